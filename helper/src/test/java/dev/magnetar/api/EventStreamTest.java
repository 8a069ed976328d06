package dev.magnetar.api;

import static dev.magnetar.api.EventsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/events over real WebSockets: auth, snapshot then deltas, drop-and-resync (progress: EngineEventsOnTheWebSocketTest). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamTest {

    static final String HASH = "89abcdef0123456789abcdef0123456789abcdef";

    ApiHarness api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        api = new ApiHarness(dir, 4);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void withoutTokenTheUpgradeIsRefused() throws Exception {
        ClientUpgradeRequest none = new ClientUpgradeRequest();
        none.setSubProtocols("magnetar.v1");
        Throwable t = EventsClient.refused(api.port(), none);
        assertTrue(t instanceof UpgradeException u && u.getResponseStatusCode() == 401, String.valueOf(t));
        ClientUpgradeRequest wrong = new ClientUpgradeRequest();
        wrong.setSubProtocols("magnetar.v1", "bearer.wrong");
        Throwable w = EventsClient.refused(api.port(), wrong);
        assertTrue(w instanceof UpgradeException u && u.getResponseStatusCode() == 401, String.valueOf(w));
        ClientUpgradeRequest evil = new ClientUpgradeRequest();
        evil.setSubProtocols("magnetar.v1", "bearer." + api.token);
        evil.setHeader("Origin", "https://evil.example");
        Throwable o = EventsClient.refused(api.port(), evil);
        assertTrue(o instanceof UpgradeException u && u.getResponseStatusCode() == 403, String.valueOf(o));
    }

    @Test
    void snapshotThenTorrentEventsUpToCompletion() throws Exception {
        try (EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            JsonNode snapshot = events.await(n -> true, "first message");
            assertEquals("snapshot", snapshot.path("type").asText());
            assertEquals(api.walletAddress, snapshot.path("wallet").path("address").asText());

            api.post("/api/v1/torrents/magnet", "{\"uri\":\"magnet:?xt=urn:btih:" + HASH + "\"}");
            assertEquals(HASH, events.await(type("torrent_added"), "torrent_added").path("torrent").path("infoHash").asText());
            api.torrents.progress(HASH, InMemoryTorrentControl.SIZE / 2);
            events.await(n -> n.path("type").asText().equals("torrent_updated")
                    && n.path("torrent").path("verifiedBytes").asLong() == InMemoryTorrentControl.SIZE / 2, "half way");
            api.torrents.progress(HASH, InMemoryTorrentControl.SIZE);
            JsonNode done = events.await(type("torrent_state_changed"), "completion");
            assertEquals("SEEDING", done.path("torrent").path("state").asText());
            assertEquals(done.path("torrent").path("totalBytes").asLong(), done.path("torrent").path("verifiedBytes").asLong());

            api.delete("/api/v1/torrents/" + HASH, "{}");
            assertEquals(HASH, events.await(type("torrent_removed"), "removal").path("infoHash").asText());
        }
    }

    @Test
    void aClientThatDoesNotReadGetsResyncAndNeverStallsThePublisher() throws Exception {
        try (StalledWebSocket slow = new StalledWebSocket(api.port(), api.token);
             EventsClient fast = EventsClient.connect(api.port(), api.token, true)) {
            fast.await(type("snapshot"), "fast snapshot");
            // Clients of earlier tests disconnect asynchronously; poll (hang-guarded) until only these two remain.
            assertTimeoutPreemptively(Duration.ofSeconds(EventsClient.HANG_GUARD_SECONDS), () -> {
                while (api.server.events().clientCount() != 2) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            });
            // Publish big events until the slow client's outbox overflows; every publish must return.
            int published = assertTimeoutPreemptively(Duration.ofSeconds(EventsClient.HANG_GUARD_SECONDS), () -> {
                int n = 0;
                // The slow client connected first; the fast one may overflow too, which must not end the loop.
                while (api.server.events().resyncsByClient().get(0) == 0) {
                    api.torrents.publishLarge(HASH, 256 * 1024);
                    n++;
                    if (n > 2000) {
                        throw new AssertionError("the slow client never overflowed");
                    }
                }
                return n;
            });
            assertTrue(published > 4);
            // The other client still receives what comes after. It may have overflowed during the flood
            // too (then it got resync + snapshot instead of some events), so publish the marker until one
            // arrives: what is asserted is that it keeps receiving, not how fast it drained the flood.
            String marker = "fedcba9876543210fedcba9876543210fedcba98";
            assertTimeoutPreemptively(Duration.ofSeconds(EventsClient.HANG_GUARD_SECONDS), () -> {
                JsonNode got = null;
                while (got == null) {
                    api.torrents.publishLarge(marker, 10);
                    got = fast.poll(n -> n.path("torrent").path("infoHash").asText().equals(marker), Duration.ofSeconds(1));
                }
            });
            // When the slow client finally reads, it is told to resync and gets a fresh snapshot.
            assertTimeoutPreemptively(Duration.ofSeconds(EventsClient.HANG_GUARD_SECONDS), () -> {
                String m;
                do {
                    m = slow.nextMessage();
                } while (!m.startsWith("{\"type\":\"resync\""));
                assertTrue(slow.nextMessage().startsWith("{\"type\":\"snapshot\""), "a snapshot follows the resync marker");
            });
        }
    }
}
