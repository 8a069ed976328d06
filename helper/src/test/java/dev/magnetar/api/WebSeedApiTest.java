package dev.magnetar.api;

import static dev.magnetar.api.EventsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.EngineFixtures;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.spec.SpecValidator;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.WebSeedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web seeds through the API: a lying one shows as {@code piece_failed} and {@code peer_banned} on the
 * event stream (named by its server's host:port and the SHA-1 of its URL), and the torrent's detail
 * lists every web seed with its state — all checked against protocol-spec/.
 */
class WebSeedApiTest {

    @TempDir
    Path root;

    @Test
    void aLyingWebSeedIsBannedOnTheEventStreamAndDroppedInTheDetail() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "ws-api.bin", 32 * 1024, 400_000);
        try (WebSeedServer liar = new WebSeedServer(content).mode(WebSeedServer.Mode.LIE);
                WebSeedServer honest = new WebSeedServer(content);
                EngineApiHarness api = new EngineApiHarness(root.resolve("api"));
                EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            events.await(type("snapshot"), "snapshot");
            String liarUrl = liar.uri("/ws-api.bin").toString();
            String honestUrl = honest.uri("/ws-api.bin").toString();
            String ftp = "ftp://127.0.0.1/ws-api.bin";
            Torrent t = api.engine.add(new Metainfo(info, List.of(), List.of(liarUrl, ftp, honestUrl), null, null, null),
                    root.resolve("out"), AddOptions.defaults());
            String hash = info.infoHash().hex();
            JsonNode banned = events.await(n -> type("peer_banned").test(n) && n.path("infoHash").asText().equals(hash),
                    "peer_banned for the lying web seed");
            assertEquals("127.0.0.1:" + liar.uri("/").getPort(), banned.path("peer").path("address").asText(), banned.toString());
            t.completion().get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);

            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.port() + "/api/v1/torrents/" + hash))
                    .header("Authorization", "Bearer " + api.token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            SpecValidator.shared().http("GET", "/api/v1/torrents/" + hash, 200, r.body());
            JsonNode seeds = new ObjectMapper().readTree(r.body()).path("webSeeds");
            assertEquals(3, seeds.size(), seeds.toString());
            assertEquals(liarUrl, seeds.get(0).path("url").asText());
            assertEquals("DROPPED", seeds.get(0).path("state").asText());
            assertTrue(seeds.get(0).path("lastError").asText().contains("failed the hash check"), seeds.toString());
            assertEquals("DROPPED", seeds.get(1).path("state").asText());
            assertTrue(seeds.get(1).path("lastError").asText().contains("http and https"), seeds.toString());
            assertEquals("ACTIVE", seeds.get(2).path("state").asText());
            assertTrue(seeds.get(2).path("downloadedBytes").asLong() > 0, seeds.toString());
        }
    }
}
