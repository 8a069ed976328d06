package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.dht.DhtNode;
import dev.magnetar.dht.DhtSettings;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.TestTorrents;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With uTP on, the DHT node runs on the listen port's UDP socket beside uTP (BEP 29: one port, the
 * datagrams told apart by their first byte), and both protocols work through it at once.
 */
class UtpSharedPortTest {

    @TempDir
    Path root;

    private static DhtSettings loopbackDht(List<String> bootstrap) {
        return new DhtSettings(true, "127.0.0.1", 0, bootstrap, true, false, null, 5000, 5000, 20000, Duration.ofSeconds(1));
    }

    @Test
    void theDhtAndUtpShareTheListenPortAndBothWork() throws Exception {
        Path content = root.resolve("content");
        TestTorrents.multiFile(content, "shared", 256 * 1024, 3_000_000, 1_000_001);
        byte[] torrent = TorrentCreator.create(content.resolve("shared"),
                new TorrentCreator.Options(List.of(), 256 * 1024, false, null, "Magnetar shared port test", null), n -> { });
        Metainfo metainfo = MetainfoParser.parse(torrent);
        DhtNode router = new DhtNode(loopbackDht(List.of()));
        router.start();
        try {
            EngineSettings withDht = loopback(root, "seeder").toBuilder().utp(true)
                    .discovery(PeerDiscoverySettings.offline().withDht(loopbackDht(List.of("127.0.0.1:" + router.port()))))
                    .build();
            try (Engine seeder = Engine.start(withDht);
                    Engine leecher = Engine.start(loopback(root, "leecher").toBuilder().utp(true).build())) {
                int port = seeder.listenAddress().getPort();
                DhtNode ours = seeder.dhtNode().orElseThrow();
                assertEquals(port, ours.port(), "the DHT node is on the listen port");
                // Our queries went out and their answers came back through the shared socket...
                assertTrue(ours.bootstrapped().get(30, TimeUnit.SECONDS) >= 1, "the router answered our bootstrap");
                // ...and queries sent to the listen port are answered there.
                assertTrue(router.addNode(new InetSocketAddress("127.0.0.1", port)).get(30, TimeUnit.SECONDS),
                        "our node answered a ping on the listen port");

                Torrent seeding = seeder.add(metainfo, content, AddOptions.defaults());
                await(seeding.completion(), "check of the seeder's data");
                Torrent t = leecher.add(metainfo, root.resolve("leecher"), AddOptions.defaults());
                // uTP alone: in the usual dial race TCP starts 250 ms after uTP, and on a loaded machine it can
                // win, which would leave this test's uTP half unproven.
                assertTrue(t.dialOverUtpOnly(new InetSocketAddress("127.0.0.1", port)).get(30, TimeUnit.SECONDS),
                        "the uTP dial started");
                await(t.completion(), "download over uTP from the port the DHT shares");
                assertTrue(leecher.utp().streamBytesReceived() >= metainfo.info().totalLength(),
                        "uTP carried the download: " + leecher.utp().streamBytesReceived() + " B");
                assertTrue(ours.answeredQueries() >= 1, "the DHT kept answering");
            }
        } finally {
            router.close();
        }
        assertSameFiles(metainfo.info(), content, root.resolve("leecher"));
    }
}
