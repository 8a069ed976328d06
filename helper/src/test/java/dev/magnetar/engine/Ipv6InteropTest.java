package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.testing.ExternalTools;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine against a real libtorrent (python3-libtorrent) over IPv6 loopback, both directions,
 * bytes verified; libtorrent reports the address it saw, so the test knows the bytes went over ::1.
 */
class Ipv6InteropTest {

    static final String V6_LOOPBACK = "::1";

    @TempDir
    Path root;

    private Path python;
    private Path content;
    private Path torrentFile;
    private Metainfo metainfo;

    @BeforeEach
    void makeTorrent() throws Exception {
        python = ExternalTools.requireLibtorrentPython();
        InteropTorrent torrent = InteropTorrent.multiFile(root, "six", 64 * 1024, 9_000_000, 3_000_017);
        content = torrent.content();
        torrentFile = torrent.torrentFile();
        metainfo = torrent.metainfo();
    }

    /** An engine that accepts peers on IPv6 loopback only; nothing it starts reaches beyond ::1. */
    static EngineSettings ipv6Loopback(Path root, String name) {
        return EngineFixtures.loopback(root, name).toBuilder().listen(V6_LOOPBACK, 0).build();
    }

    private static String script() throws Exception {
        return Path.of(Ipv6InteropTest.class.getResource("/interop/lt_ipv6.py").toURI()).toString();
    }

    @Test
    void downloadsFromALibtorrentSeederOverIpv6() throws Exception {
        try (ChildProcess seeder = ChildProcess.start(List.of(python.toString(), script(), "seed",
                        torrentFile.toString(), content.toString()), null);
                Engine engine = Engine.start(ipv6Loopback(root, "ours"))) {
            String ready = seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY");
            int port = Integer.parseInt(ready.substring(6).strip());

            Torrent t = engine.add(metainfo, root.resolve("ours"), AddOptions.defaults());
            t.addPeer(Engine.parsePeer("[::1]:" + port).orElseThrow());
            String seen = seeder.awaitLine(l -> l.startsWith("PEER "), GUARD, "libtorrent's peer").substring(5);
            await(t.completion(), "download from libtorrent over ::1");
            assertEquals(TorrentState.SEEDING, t.state());
            assertInstanceOf(Inet6Address.class, InetAddress.getByName(seen), "libtorrent saw us at " + seen);
            assertTrue(InetAddress.getByName(seen).isLoopbackAddress());
            seeder.closeStdin();
        }
        assertSameFiles(metainfo.info(), content, root.resolve("ours"));
    }

    @Test
    void seedsToALibtorrentDownloaderOverIpv6() throws Exception {
        Path target = root.resolve("lt");
        Files.createDirectories(target);
        try (Engine engine = Engine.start(ipv6Loopback(root, "ours"))) {
            Torrent t = engine.add(metainfo, content, AddOptions.defaults());
            await(t.completion(), "check of the seeder's data");
            InetSocketAddress us = engine.listenAddress();
            assertInstanceOf(Inet6Address.class, us.getAddress());
            try (ChildProcess leecher = ChildProcess.start(List.of(python.toString(), script(), "download",
                    torrentFile.toString(), target.toString(), "[::1]:" + us.getPort()), null)) {
                String seen = leecher.awaitLine(l -> l.startsWith("PEER "), GUARD, "libtorrent's peer").substring(5);
                leecher.awaitLine(l -> l.equals("DONE"), GUARD, "libtorrent download DONE");
                assertEquals(0, leecher.waitFor(GUARD));
                assertEquals(InetAddress.getByName(V6_LOOPBACK), InetAddress.getByName(seen));
            }
            assertTrue(t.uploadedBytes() >= metainfo.info().totalLength(), "every byte came from us");
        }
        assertSameFiles(metainfo.info(), content, target);
    }
}
