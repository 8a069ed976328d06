package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.LibtorrentTorrents;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BitTorrent v2 (BEP 52) by .torrent against a real libtorrent over TCP on 127.0.0.1, both directions:
 * v2-only and hybrid torrents libtorrent made of three files with 256 KiB pieces, none a whole number of
 * pieces, so every file ends in a short piece followed by padding (and the last file in the torrent's
 * short last piece).
 */
class V2InteropTest {

    private static final int PIECE = 256 * 1024;
    private static final long[] SIZES = {9_000_123, 3L * PIECE + 1, 4_444_444};

    @TempDir
    Path root;

    @Test
    void downloadsAV2OnlyTorrentFromLibtorrent() throws Exception {
        downloadFromLibtorrent("v2", MetaVersion.V2);
    }

    @Test
    void downloadsAHybridTorrentFromLibtorrent() throws Exception {
        downloadFromLibtorrent("hybrid", MetaVersion.HYBRID);
    }

    @Test
    void seedsAV2OnlyTorrentToLibtorrent() throws Exception {
        seedToLibtorrent("v2", MetaVersion.V2);
    }

    @Test
    void seedsAHybridTorrentToLibtorrent() throws Exception {
        seedToLibtorrent("hybrid", MetaVersion.HYBRID);
    }

    private Metainfo make(String kind, MetaVersion expected, Path content) throws Exception {
        LibtorrentTorrents.writeFiles(content.resolve("pack"), SIZES, 23);
        LibtorrentTorrents.Made made = LibtorrentTorrents.make(content.resolve("pack"), root.resolve(kind + ".torrent"), PIECE, kind);
        Metainfo metainfo = MetainfoParser.parse(made.torrent());
        assertEquals(expected, metainfo.info().metaVersion());
        assertEquals(made.v2Hash().substring(0, 40), expected == MetaVersion.V2 ? metainfo.info().infoHash().hex()
                : made.v2Hash().substring(0, 40));
        return metainfo;
    }

    private void downloadFromLibtorrent(String kind, MetaVersion version) throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        Path content = root.resolve("content");
        Metainfo metainfo = make(kind, version, content);
        List<String> command = List.of(python.toString(), script("lt_seed.py"), root.resolve(kind + ".torrent").toString(),
                content.toString(), "0");
        try (ChildProcess seeder = ChildProcess.start(command, null);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String ready = seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY");
            int port = Integer.parseInt(ready.substring(6).strip());
            Torrent t = engine.add(metainfo, root.resolve("ours"), AddOptions.defaults());
            t.addPeer(new InetSocketAddress("127.0.0.1", port));
            await(t.completion(), "v2 download (" + kind + ") from libtorrent");
            assertEquals(TorrentState.SEEDING, t.state());
            assertTrue(t.downloadedBytes() >= metainfo.info().dataFiles().stream().mapToLong(f -> f.length()).sum());
            seeder.closeStdin();
        }
        assertSameFiles(metainfo.info(), content, root.resolve("ours"));
    }

    private void seedToLibtorrent(String kind, MetaVersion version) throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        Path content = root.resolve("content");
        Metainfo metainfo = make(kind, version, content);
        Path target = root.resolve("lt");
        Files.createDirectories(target);
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.add(metainfo, content, AddOptions.defaults());
            await(t.completion(), "check of the seeder's data");
            assertEquals(TorrentState.SEEDING, t.state());
            InetSocketAddress us = addressOf(engine);
            try (ChildProcess leecher = ChildProcess.start(List.of(python.toString(), script("lt_download.py"),
                    root.resolve(kind + ".torrent").toString(), target.toString(), "127.0.0.1:" + us.getPort()), null)) {
                leecher.awaitLine(l -> l.equals("DONE"), GUARD, "libtorrent download DONE");
                assertEquals(0, leecher.waitFor(GUARD));
            }
            assertTrue(t.uploadedBytes() >= metainfo.info().dataFiles().stream().mapToLong(f -> f.length()).sum(),
                    "every byte came from us");
        }
        assertSameFiles(metainfo.info(), content, target);
    }

    private static String script(String name) throws Exception {
        return Path.of(V2InteropTest.class.getResource("/interop/" + name).toURI()).toString();
    }
}
