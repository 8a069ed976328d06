package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.LibtorrentTorrents;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 magnets against libtorrent 2.0 seeding over TCP on 127.0.0.1: a {@code btmh} magnet (alone, or
 * beside the btih) with only {@code x.pe} → the metadata by BEP 9, checked against the SHA-256 (and the
 * SHA-1) → every file byte for byte. Three files, 64 KiB pieces, each file ending inside a piece.
 */
class V2MagnetInteropTest {

    private static final int PIECE_LENGTH = 64 * 1024;

    @TempDir
    Path root;

    private Path content;

    @BeforeEach
    void writeContent() {
        content = root.resolve("content");
        TestTorrents.multiFile(content, "pack", PIECE_LENGTH, 1_000_003, 300_001, 70_000);
    }

    @Test
    void hybridByItsBtmhAloneJoinsTheV2SwarmAndDownloadsEveryByte() throws Exception {
        LibtorrentTorrent t = LibtorrentTorrent.make(root, content.resolve("pack"), PIECE_LENGTH, "hybrid");
        try (ChildProcess seeder = t.seed()) {
            int port = LibtorrentTorrent.readyPort(seeder);
            Torrent ours = download("magnet:?xt=urn:btmh:1220" + t.v2Hex() + "&x.pe=127.0.0.1:" + port);
            // BEP 52: the swarm of a btmh-only link is the SHA-256 cut to 20 bytes.
            assertEquals(t.v2Hex().substring(0, 40), ours.infoHash().hex());
            assertEquals(MetaVersion.HYBRID, ours.info().metaVersion());
            assertArrayEquals(HexFormat.of().parseHex(t.v2Hex()), ours.info().v2InfoHash());
            seeder.closeStdin();
        }
        assertSameTree(content.resolve("pack"), root.resolve("out").resolve("pack"));
    }

    @Test
    void hybridByBothHashesDownloadsEveryByte() throws Exception {
        LibtorrentTorrent t = LibtorrentTorrent.make(root, content.resolve("pack"), PIECE_LENGTH, "hybrid");
        try (ChildProcess seeder = t.seed()) {
            int port = LibtorrentTorrent.readyPort(seeder);
            Torrent ours = download("magnet:?xt=urn:btih:" + t.v1Hex() + "&xt=urn:btmh:1220" + t.v2Hex()
                    + "&dn=pack&x.pe=127.0.0.1:" + port);
            assertEquals(t.v1Hex(), ours.infoHash().hex(), "a hybrid link joins through its v1 hash");
            seeder.closeStdin();
        }
        assertSameTree(content.resolve("pack"), root.resolve("out").resolve("pack"));
    }

    @Test
    void v2OnlyByBtmhFetchesItsPieceLayersWithHashRequestsThenEveryByte() throws Exception {
        // 16 KiB pieces: the first file has 550 pieces, so its layer comes in two chunks (512 + 38); the
        // last file fits in one piece and needs no layer (its root is its piece hash).
        Path v2Content = root.resolve("v2content");
        TestTorrents.multiFile(v2Content, "pack", 16 * 1024, 9_000_001, 300_001, 7_000);
        LibtorrentTorrent t = LibtorrentTorrent.make(root, v2Content.resolve("pack"), 16 * 1024, "v2");
        try (ChildProcess seeder = t.seed()) {
            int port = LibtorrentTorrent.readyPort(seeder);
            Torrent ours = download("magnet:?xt=urn:btmh:1220" + t.v2Hex() + "&x.pe=127.0.0.1:" + port);
            assertEquals(MetaVersion.V2, ours.info().metaVersion());
            assertEquals(t.v2Hex().substring(0, 40), ours.infoHash().hex());
            seeder.closeStdin();
        }
        assertSameTree(v2Content.resolve("pack"), root.resolve("out").resolve("pack"));
    }

    @Test
    void aV2OnlyMagnetDownloadComesBackAfterARestartWithTheLayersItFetched() throws Exception {
        Path v2Content = root.resolve("v2content");
        TestTorrents.multiFile(v2Content, "pack", 16 * 1024, 900_001, 7_000);
        LibtorrentTorrent t = LibtorrentTorrent.make(root, v2Content.resolve("pack"), 16 * 1024, "v2");
        EngineSettings settings = loopback(root, "ours").toBuilder().sessionFile(root.resolve("session.json")).build();
        try (ChildProcess seeder = t.seed()) {
            int port = LibtorrentTorrent.readyPort(seeder);
            try (Engine engine = Engine.start(settings)) {
                Torrent ours = engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btmh:1220" + t.v2Hex()
                        + "&x.pe=127.0.0.1:" + port), root.resolve("out"), AddOptions.defaults());
                await(ours.completion(), "download by btmh");
            }
            seeder.closeStdin();
        }
        try (Engine engine = Engine.start(settings)) {
            Torrent back = engine.torrent(dev.magnetar.metainfo.InfoHash.fromHex(t.v2Hex().substring(0, 40)))
                    .orElseThrow(() -> new AssertionError("the v2 magnet's torrent was not restored"));
            await(back.completion(), "the restored torrent's check, with no peer to ask");
            assertEquals(TorrentState.SEEDING, back.state());
            assertTrue(back.info().pieceLayers().isComplete(), "the fetched layers came back from the resume data");
        }
        assertSameTree(v2Content.resolve("pack"), root.resolve("out").resolve("pack"), 2);
    }

    @Test
    void libtorrentReachesAHybridWeHoldByItsBtihThroughItsBtmh() throws Exception {
        LibtorrentTorrent t = LibtorrentTorrent.make(root, content.resolve("pack"), PIECE_LENGTH, "hybrid");
        Path target = root.resolve("lt");
        Files.createDirectories(target);
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent ours = engine.add(MetainfoParser.parse(Files.readAllBytes(t.torrentFile())), content, AddOptions.defaults());
            await(ours.completion(), "check of our seed's data");
            assertEquals(t.v1Hex(), ours.infoHash().hex(), "a hybrid's .torrent is held by its v1 hash");
            // libtorrent joins the v2 swarm: its handshake names the truncated SHA-256, not the hash we hold it by.
            try (ChildProcess leecher = ChildProcess.start(List.of(ExternalTools.requireLibtorrentPython().toString(),
                    LibtorrentTorrent.script("lt_magnet_download.py"), "magnet:?xt=urn:btmh:1220" + t.v2Hex(),
                    target.toString(), "127.0.0.1:" + engine.listenAddress().getPort()), null)) {
                leecher.awaitLine(l -> l.equals("DONE"), GUARD, "libtorrent's download of our hybrid by btmh");
                assertEquals(0, leecher.waitFor(GUARD));
            }
            long data = ours.info().dataFiles().stream().mapToLong(f -> f.length()).sum();
            assertTrue(ours.uploadedBytes() >= data, "every data byte came from us (pad files are not sent)");
        }
        assertSameTree(content.resolve("pack"), target.resolve("pack"));
    }

    @Test
    void libtorrentDownloadsAV2OnlyTorrentFromUsByBtmhAskingUsForItsPieceLayers() throws Exception {
        Path v2Content = root.resolve("v2content");
        TestTorrents.multiFile(v2Content, "pack", 16 * 1024, 9_000_001, 300_001, 7_000);
        LibtorrentTorrent t = LibtorrentTorrent.make(root, v2Content.resolve("pack"), 16 * 1024, "v2");
        Path target = root.resolve("lt");
        Files.createDirectories(target);
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent ours = engine.add(MetainfoParser.parse(Files.readAllBytes(t.torrentFile())), v2Content, AddOptions.defaults());
            await(ours.completion(), "check of our seed's data");
            assertEquals(TorrentState.SEEDING, ours.state());
            String magnet = "magnet:?xt=urn:btmh:1220" + t.v2Hex();
            try (ChildProcess leecher = ChildProcess.start(List.of(ExternalTools.requireLibtorrentPython().toString(),
                    LibtorrentTorrent.script("lt_magnet_download.py"), magnet, target.toString(),
                    "127.0.0.1:" + engine.listenAddress().getPort()), null)) {
                leecher.awaitLine(l -> l.equals("DONE"), GUARD, "libtorrent's download by btmh");
                assertEquals(0, leecher.waitFor(GUARD));
            }
            assertTrue(ours.uploadedBytes() >= ours.info().totalLength(), "every byte came from us");
        }
        assertSameTree(v2Content.resolve("pack"), target.resolve("pack"));
    }

    private Torrent download(String magnet) throws Exception {
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.addMagnet(MagnetParser.parse(magnet), root.resolve("out"), AddOptions.defaults());
            await(t.completion(), "download of " + magnet);
            assertEquals(t.info().totalLength(), t.verifiedBytes());
            return t;
        }
    }

    /** Same files, same bytes (pad files, which libtorrent's hybrids list in .pad/, are not data). */
    static void assertSameTree(Path expected, Path actual) throws Exception {
        assertSameTree(expected, actual, 3);
    }

    static void assertSameTree(Path expected, Path actual, int fileCount) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(expected)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(fileCount, files.size());
        for (Path f : files) {
            Path other = actual.resolve(expected.relativize(f).toString());
            assertEquals(Files.size(f), Files.size(other), "size of " + f.getFileName());
            assertArrayEquals(EngineFixtures.sha256(f), EngineFixtures.sha256(other), "content of " + f.getFileName());
        }
    }

    /** A .torrent that libtorrent made of a folder, and its hashes. */
    record LibtorrentTorrent(Path torrentFile, Path saveDir, String v1Hex, String v2Hex) {

        static LibtorrentTorrent make(Path root, Path folder, int pieceLength, String kind) throws Exception {
            LibtorrentTorrents.Made made = LibtorrentTorrents.make(folder, root.resolve(kind + ".torrent"), pieceLength, kind);
            return new LibtorrentTorrent(made.file(), folder.getParent(), made.v1Hash(), made.v2Hash());
        }

        ChildProcess seed() throws Exception {
            return ChildProcess.start(List.of(ExternalTools.requireLibtorrentPython().toString(), script("lt_seed.py"),
                    torrentFile.toString(), saveDir.toString(), "0"), null);
        }

        static int readyPort(ChildProcess seeder) throws Exception {
            return Integer.parseInt(seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY").substring(6).strip());
        }

        static String script(String name) throws Exception {
            return Path.of(V2MagnetInteropTest.class.getResource("/interop/" + name).toURI()).toString();
        }
    }
}
