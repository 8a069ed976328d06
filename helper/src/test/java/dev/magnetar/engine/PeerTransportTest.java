package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerTransportTest {

    @TempDir
    Path root;

    @Test
    void linuxOnAShippedArchitectureGetsTheNativeTransport() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "epoll is Linux only");
        assumeTrue(Set.of("amd64", "aarch64").contains(System.getProperty("os.arch")),
                "the jar ships the native library for x86-64 and aarch64 only");
        // Fails if the native library is missing from the classpath or does not load.
        assertEquals(PeerTransport.EPOLL, PeerTransport.best());
    }

    @Test
    void nioAndTheBestTransportExchangeATorrentBothWays() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "both", 32 * 1024, 700_001, 90_000);
        try (Engine nio = Engine.open(EngineFixtures.loopbackWithoutPex(root, "nio"), PeerTransport.NIO);
                Engine best = Engine.start(EngineFixtures.loopbackWithoutPex(root, "best"))) {
            assertEquals(PeerTransport.NIO, nio.transport());
            await(nio.add(info, content, List.of(), AddOptions.defaults()).completion(), "the NIO seeder's check");
            Torrent down = best.add(info, root.resolve("to-best"), List.of(), AddOptions.defaults());
            down.addPeer(addressOf(nio)); // best connects out, NIO accepts
            await(down.completion(), "download over " + best.transport().name() + " from NIO");

            try (Engine nioLeech = Engine.open(loopback(root, "nio-leech"), PeerTransport.NIO)) {
                Torrent back = nioLeech.add(info, root.resolve("to-nio"), List.of(), AddOptions.defaults());
                back.addPeer(addressOf(best)); // NIO connects out, best accepts and seeds
                await(back.completion(), "download over NIO from " + best.transport().name());
                assertEquals(info.totalLength(), back.verifiedBytes());
            }
        }
        assertSameFiles(info, content, root.resolve("to-best"));
        assertSameFiles(info, content, root.resolve("to-nio"));
    }

    /**
     * The UDP socket of uTP runs on the engine's peer loop, over either transport, so a uTP peer's events
     * reach its torrent without a hop between threads, as a TCP peer's do.
     */
    @Test
    void nioAndTheBestTransportExchangeATorrentOverUtpOnTheTorrentsOwnLoop() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "utp", 32 * 1024, 700_001, 90_000);
        try (Engine nio = Engine.open(EngineFixtures.loopbackWithoutPex(root, "nio").toBuilder().utp(true).build(),
                PeerTransport.NIO);
                Engine best = Engine.start(EngineFixtures.loopbackWithoutPex(root, "best").toBuilder().utp(true).build())) {
            Torrent seeding = nio.add(info, content, List.of(), AddOptions.defaults());
            await(seeding.completion(), "the NIO seeder's check");
            Torrent down = best.add(info, root.resolve("to-best"), List.of(), AddOptions.defaults());
            assertSame(down.loop(), best.utp().eventLoop(), "uTP shares the torrent's loop over " + best.transport().name());
            assertSame(seeding.loop(), nio.utp().eventLoop(), "uTP shares the torrent's loop over NIO");
            assertTrue(down.dialOverUtpOnly(new InetSocketAddress("127.0.0.1", addressOf(nio).getPort()))
                    .get(30, TimeUnit.SECONDS), "the uTP dial started");
            await(down.completion(), "download over uTP (" + best.transport().name() + ") from NIO");
            assertTrue(best.utp().streamBytesReceived() >= info.totalLength(),
                    "uTP carried the download: " + best.utp().streamBytesReceived() + " B");
        }
        assertSameFiles(info, content, root.resolve("to-best"));
    }
}
