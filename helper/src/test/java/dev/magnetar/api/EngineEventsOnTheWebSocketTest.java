package dev.magnetar.api;

import static dev.magnetar.api.EventsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.EngineFixtures;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.HostileSeeder;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine behind the real API, read over a real WebSocket: what the engine publishes reaches
 * {@code /api/v1/events} exactly once — progress, and the bans, failed pieces and metadata arrival a
 * user (or a support thread) wants to see. Every event is checked against protocol-spec/ on arrival.
 */
class EngineEventsOnTheWebSocketTest {

    @TempDir
    Path root;

    @Test
    void aPeerSendingCorruptPiecesShowsAsPieceFailedThenPeerBanned() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "hostile", 32 * 1024, 300_000);
        String hash = info.infoHash().hex();
        try (HostileSeeder liar = HostileSeeder.start(info, content);
                EngineApiHarness api = new EngineApiHarness(root.resolve("api"));
                EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            events.await(type("snapshot"), "snapshot");
            Torrent t = api.engine.add(info, root.resolve("out"), List.of(), AddOptions.defaults());
            t.addPeer(liar.address()); // alone: the first even piece it completes fails with it as sole contributor

            String liarAddress = "127.0.0.1:" + liar.address().getPort();
            String liarId = HexFormat.of().formatHex(HostileSeeder.PEER_ID);
            JsonNode failed = events.await(n -> type("piece_failed").test(n) && n.path("infoHash").asText().equals(hash),
                    "piece_failed");
            assertTrue(HostileSeeder.isCorrupt(failed.path("piece").asInt()), "only corrupt pieces fail: " + failed);
            assertEquals(liarAddress, failed.path("contributors").path(0).path("address").asText(), failed.toString());
            assertEquals(liarId, failed.path("contributors").path(0).path("peerId").asText(), failed.toString());

            JsonNode banned = events.await(n -> type("peer_banned").test(n) && n.path("infoHash").asText().equals(hash),
                    "peer_banned");
            assertEquals(liarAddress, banned.path("peer").path("address").asText(), banned.toString());
            assertEquals(liarId, banned.path("peer").path("peerId").asText(), banned.toString());
            assertFalse(banned.path("reason").asText().isBlank(), banned.toString());
        }
    }

    @Test
    void metadataFetchedForAMagnetShowsAsMetadataReceived() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "fetched", 16 * 1024, 40_000, 25_000);
        try (Engine seeder = Engine.start(EngineFixtures.loopback(root, "seeder"));
                EngineApiHarness api = new EngineApiHarness(root.resolve("api"));
                EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            Torrent seeding = seeder.add(info, content, List.of(), AddOptions.defaults());
            seeding.completion().get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            events.await(type("snapshot"), "snapshot");

            api.engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + info.infoHash().hex() + "&x.pe=127.0.0.1:"
                    + EngineFixtures.addressOf(seeder).getPort()), root.resolve("out"), AddOptions.defaults());

            JsonNode received = events.await(type("metadata_received"), "metadata_received");
            assertEquals(info.infoHash().hex(), received.path("infoHash").asText());
            assertEquals("fetched", received.path("name").asText());
            assertEquals(65_000, received.path("totalBytes").asLong());
            assertEquals(2, received.path("files").asInt());
        }
    }

    /**
     * Progress has one producer, the engine: the client gets exactly the progress events the engine
     * published, no fewer and none added by the API. Counted up to a marker both streams carry in the
     * same place (the pause, published on the torrent's loop like progress), not over a time window.
     */
    @Test
    void eachProgressUpdateTheEnginePublishesReachesTheClientOnce() throws Exception {
        String hash = "5e".repeat(20);
        int ticks = 1; // an idle magnet reports its status once; later ticks have nothing new to say
        try (EngineApiHarness api = new EngineApiHarness(root.resolve("api"));
                EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            events.await(type("snapshot"), "snapshot");
            List<EngineEvent> published = new CopyOnWriteArrayList<>();
            CountDownLatch enoughTicks = new CountDownLatch(ticks);
            CountDownLatch pauseRecorded = new CountDownLatch(1);
            try (AutoCloseable sub = api.engine.subscribe(e -> {
                if (e.infoHash().hex().equals(hash)) {
                    published.add(e);
                    if (e instanceof EngineEvent.ProgressUpdated) {
                        enoughTicks.countDown();
                    } else if (e instanceof EngineEvent.StateChanged s && s.current() == TorrentState.PAUSED) {
                        pauseRecorded.countDown();
                    }
                }
            })) {
                // No peer will ever answer: the torrent stays active, fetching metadata, until paused.
                api.engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + hash), root.resolve("out"), AddOptions.defaults());
                assertTrue(enoughTicks.await(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS), "the engine published progress");
                api.engine.pause(hash);

                List<JsonNode> received = new ArrayList<>();
                JsonNode n;
                do {
                    n = events.await(e -> e.path("torrent").path("infoHash").asText().equals(hash), "events of " + hash);
                    received.add(n);
                } while (!(type("torrent_state_changed").test(n) && n.path("torrent").path("state").asText().equals("PAUSED")));

                long progressOnTheWire = received.stream().filter(type("torrent_updated")).count();
                // The API's subscriber may hear of the pause before this one has written it down.
                assertTrue(pauseRecorded.await(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS), "the engine published the pause");
                int paused = indexOfPause(published);
                long progressPublished = published.subList(0, paused).stream().filter(e -> e instanceof EngineEvent.ProgressUpdated).count();
                assertTrue(progressPublished >= ticks, published.toString());
                assertEquals(progressPublished, progressOnTheWire, "torrent_updated on the wire vs progress the engine published");
            }
        }
    }

    private static int indexOfPause(List<EngineEvent> published) {
        for (int i = 0; i < published.size(); i++) {
            if (published.get(i) instanceof EngineEvent.StateChanged s && s.current() == TorrentState.PAUSED) {
                return i;
            }
        }
        throw new AssertionError("the engine published no pause: " + published);
    }
}
