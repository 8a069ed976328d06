package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router mapped our listen port to a different external one: peers outside can dial only that one,
 * so trackers, the DHT and our BEP 10 handshakes must name it.
 */
class ExternalPortAnnounceTest {

    @TempDir
    Path root;

    @Test
    void theMappedExternalPortIsWhatTrackersAndPeersAreTold() throws Exception {
        CompletableFuture<String> query = new CompletableFuture<>();
        HttpServer tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tracker.createContext("/announce", x -> {
            query.complete(x.getRequestURI().getRawQuery());
            byte[] body = "d8:intervali1800e5:peers0:e".getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        tracker.start();
        try (Engine e = Engine.start(loopback(root, "mapped"))) {
            int local = e.listenAddress().getPort();
            int external = local == 40_000 ? 40_001 : 40_000; // any port but the local one
            e.externalPort(external);
            Path content = root.resolve("content");
            TorrentInfo info = TestTorrents.multiFile(content, "mapped", 16 * 1024, 50_000);
            Torrent t = e.add(info, content, List.of(List.of("http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce")),
                    AddOptions.defaults());

            String q = query.get(60, TimeUnit.SECONDS);
            assertTrue(("&" + q + "&").contains("&port=" + external + "&"), "the tracker is told the external port: " + q);
            assertEquals(external, t.listenPort(), "BEP 10 p and the DHT's announce_peer name it too");

            e.externalPort(0);
            assertEquals(local, t.listenPort(), "without a mapping, the local port again");
            assertThrows(IllegalArgumentException.class, () -> e.externalPort(65_536));
            assertEquals(local, t.listenPort(), "a bad port changes nothing");
        } finally {
            tracker.stop(0);
        }
    }
}
