package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.portmap.PortMappingStatus;
import dev.magnetar.testing.TestTorrents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router mapped our listen port to a different external one: peers outside can dial only that one,
 * so trackers, the DHT and our BEP 10 handshakes must name it — as soon as the mapping exists, not at
 * the next regular announce — and an answer naming the router's address at that port names us.
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

    @Test
    void aMappingThatArrivesAfterTheFirstAnnounceIsAnnouncedAtOnce() throws Exception {
        LinkedBlockingQueue<String> queries = new LinkedBlockingQueue<>();
        HttpServer tracker = tracker(queries, new byte[0]);
        try (Engine e = Engine.start(loopback(root, "late"))) {
            int local = e.listenAddress().getPort();
            int external = local == 40_000 ? 40_001 : 40_000;
            TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "late.bin", 16 * 1024, 50_000);
            // Nothing on disk: a download, so no "completed" announce comes to muddle the count.
            e.add(info, root.resolve("empty"), List.of(List.of(url(tracker))), AddOptions.defaults());
            String started = queries.poll(60, TimeUnit.SECONDS);
            assertTrue(started != null && ("&" + started + "&").contains("&port=" + local + "&"), "started, at our port: " + started);

            e.portMapping(new PortMappingStatus(PortMappingStatus.MAPPED, "pcp", "203.0.113.7", external, external, "10.0.0.1", null));
            // The tracker asked for 30 minutes between announces: only the new port brings one now.
            String next = queries.poll(60, TimeUnit.SECONDS);
            assertTrue(next != null && ("&" + next + "&").contains("&port=" + external + "&"), "re-announced at the mapped port: " + next);
        } finally {
            tracker.stop(0);
        }
    }

    @Test
    void aTrackerListingUsAtTheRoutersAddressAndMappedPortIsNeverDialledThere() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                Engine e = Engine.start(loopback(root, "self"))) {
            int external = e.listenAddress().getPort() == 40_000 ? 40_001 : 40_000;
            InetSocketAddress ourselves = new InetSocketAddress(InetAddress.getByName("127.0.0.9"), external);
            InetSocketAddress somebody = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), other.getLocalPort());
            HttpServer tracker = tracker(new LinkedBlockingQueue<>(), compact(ourselves, somebody));
            try {
                e.portMapping(new PortMappingStatus(PortMappingStatus.MAPPED, "upnp", "127.0.0.9", external, external, "10.0.0.1", null));
                TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "self.bin", 16 * 1024, 50_000);
                Torrent t = e.add(info, root.resolve("empty"), List.of(List.of(url(tracker))), AddOptions.defaults());
                // One answer names both, learned in one go: once the other is dialled, we know what we kept.
                other.setSoTimeout((int) EngineFixtures.GUARD.toMillis());
                other.accept().close();
                Set<InetSocketAddress> known = t.knownPeers().get(60, TimeUnit.SECONDS);
                assertTrue(known.contains(somebody), "the other peer is known: " + known);
                assertFalse(known.contains(ourselves), "our own mapped address is not a peer: " + known);
            } finally {
                tracker.stop(0);
            }
        }
    }

    /** A tracker that records each announce's query and answers every one with {@code peers} (compact, BEP 23). */
    private static HttpServer tracker(LinkedBlockingQueue<String> queries, byte[] peers) throws IOException {
        HttpServer tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tracker.createContext("/announce", x -> {
            queries.add(x.getRequestURI().getRawQuery());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("d8:intervali1800e5:peers" + peers.length + ":").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(peers);
            body.write('e');
            x.sendResponseHeaders(200, body.size());
            try (OutputStream out = x.getResponseBody()) {
                body.writeTo(out);
            }
        });
        tracker.start();
        return tracker;
    }

    private static String url(HttpServer tracker) {
        return "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
    }

    private static byte[] compact(InetSocketAddress... peers) {
        ByteBuffer b = ByteBuffer.allocate(6 * peers.length);
        for (InetSocketAddress p : peers) {
            b.put(p.getAddress().getAddress()).putShort((short) p.getPort());
        }
        return b.array();
    }
}
