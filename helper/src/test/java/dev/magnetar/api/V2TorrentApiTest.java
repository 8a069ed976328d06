package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.spec.SpecValidator;
import dev.magnetar.testing.LibtorrentTorrents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A v2-only .torrent (BEP 52) added through the API, as the extension adds one: it is taken, and its
 * detail says v2 with the full SHA-256 info-hash beside the truncated one the swarm uses — checked
 * against protocol-spec/. A forged piece layer is an INVALID_TORRENT with the reason.
 */
class V2TorrentApiTest {

    @TempDir
    Path root;

    @Test
    void aV2TorrentFileIsAddedAndItsDetailShowsBothInfoHashes() throws Exception {
        Path content = LibtorrentTorrents.writeFiles(root.resolve("content").resolve("pack"), new long[] {70_001, 20_000}, 4);
        LibtorrentTorrents.Made v2 = LibtorrentTorrents.make(content, root.resolve("v2.torrent"), 32 * 1024, "v2");
        HttpClient http = HttpClient.newHttpClient();
        try (EngineApiHarness api = new EngineApiHarness(root.resolve("api"))) {
            HttpResponse<String> added = post(http, api, "/api/v1/torrents/file", "{\"torrentBase64\":\""
                    + Base64.getEncoder().encodeToString(v2.torrent()) + "\",\"downloadDir\":" + json(content.getParent()) + "}");
            assertEquals(201, added.statusCode(), added.body());
            String hash = v2.v2Hash().substring(0, 40);
            assertEquals(hash, new ObjectMapper().readTree(added.body()).path("infoHash").asText());

            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1/torrents/" + hash))
                    .header("Authorization", "Bearer " + api.token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            SpecValidator.shared().http("GET", "/api/v1/torrents/" + hash, 200, r.body());
            JsonNode detail = new ObjectMapper().readTree(r.body());
            assertEquals("v2", detail.path("metaVersion").asText());
            assertEquals(v2.v2Hash(), detail.path("infoHashV2").asText());
            assertEquals(2, detail.path("files").size(), "pad files are not listed: " + detail.path("files"));

            byte[] forged = v2.torrent().clone();
            int at = indexOf(forged, "12:piece layers".getBytes()) + 100; // inside the first layer's hashes
            forged[at] ^= 1;
            HttpResponse<String> refused = post(http, api, "/api/v1/torrents/file", "{\"torrentBase64\":\""
                    + Base64.getEncoder().encodeToString(forged) + "\"}");
            assertEquals(400, refused.statusCode(), refused.body());
            SpecValidator.shared().http("POST", "/api/v1/torrents/file", 400, refused.body());
            assertTrue(refused.body().contains("INVALID_TORRENT") && refused.body().contains("does not hash to"), refused.body());
        }
    }

    private static HttpResponse<String> post(HttpClient http, EngineApiHarness api, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + api.token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String json(Path p) throws Exception {
        return new ObjectMapper().writeValueAsString(p.toAbsolutePath().toString());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
