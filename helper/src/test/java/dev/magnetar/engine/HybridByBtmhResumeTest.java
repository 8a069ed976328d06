package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.V2MagnetInteropTest.LibtorrentTorrent;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid (BEP 52) added by its {@code btmh} alone is held by its truncated SHA-256; its metadata then
 * names a SHA-1 too. Its resume data must live under the hash the torrent is held by, so that a restart
 * finds it and a removal deletes it.
 */
class HybridByBtmhResumeTest {

    private static final int PIECE_LENGTH = 64 * 1024;

    @TempDir
    Path root;

    private LibtorrentTorrent hybrid;
    private EngineSettings settings;

    @BeforeEach
    void makeHybrid() throws Exception {
        Path content = root.resolve("content");
        TestTorrents.multiFile(content, "pack", PIECE_LENGTH, 400_003, 70_001);
        hybrid = LibtorrentTorrent.make(root, content.resolve("pack"), PIECE_LENGTH, "hybrid");
        settings = loopback(root, "ours").toBuilder().sessionFile(root.resolve("session.json")).build();
    }

    /** Downloads the hybrid by its btmh alone from libtorrent, then closes the engine (and the seeder). */
    private InfoHash downloadByBtmh() throws Exception {
        try (ChildProcess seeder = hybrid.seed()) {
            int port = LibtorrentTorrent.readyPort(seeder);
            try (Engine engine = Engine.start(settings)) {
                Torrent t = engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btmh:1220" + hybrid.v2Hex()
                        + "&x.pe=127.0.0.1:" + port), root.resolve("out"), AddOptions.defaults());
                await(t.completion(), "download by btmh");
                assertEquals(MetaVersion.HYBRID, t.info().metaVersion());
                assertEquals(hybrid.v2Hex().substring(0, 40), t.infoHash().hex());
                return t.infoHash();
            } finally {
                seeder.closeStdin();
            }
        }
    }

    @Test
    void aRestartBringsItBackCompleteFromItsResumeDataWithoutFetchingTheMetadata() throws Exception {
        InfoHash key = downloadByBtmh();
        // No seeder now: metadata can come only from the resume data.
        try (Engine engine = Engine.start(settings)) {
            Torrent back = engine.torrent(key).orElseThrow(() -> new AssertionError("the btmh hybrid was not restored"));
            assertNotNull(back.info(), "restored with its metadata, not fetching it from peers again (state " + back.state() + ")");
            assertEquals(key, back.infoHash(), "still held by the hash it was added by");
            await(back.completion(), "the restored torrent's check");
            assertEquals(TorrentState.SEEDING, back.state());
            assertEquals(back.info().totalLength(), back.verifiedBytes());
            // Its .torrent names the SHA-1: the same torrent, in its other swarm, not a second copy.
            Torrent again = engine.add(MetainfoParser.parse(Files.readAllBytes(hybrid.torrentFile())), root.resolve("elsewhere"),
                    AddOptions.defaults());
            assertSame(back, again);
            assertEquals(1, engine.torrents().size());
        }
    }

    @Test
    void removingItWithItsDataDeletesItsFilesAndItsResumeData() throws Exception {
        InfoHash key = downloadByBtmh();
        try (Engine engine = Engine.start(settings)) {
            EngineFixtures.removeAndAwait(engine, key.hex(), true);
        }
        try (Stream<Path> left = Files.walk(root.resolve("out"))) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "every downloaded file deleted");
        }
        try (Stream<Path> left = Files.list(root.resolve("ours-resume"))) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".resume")).toList(), "no resume data left behind");
        }
        try (Engine engine = Engine.start(settings)) {
            assertTrue(engine.torrents().isEmpty(), "a removed torrent does not come back");
        }
    }

    @Test
    void theApiFindsItByItsSha1AsWellAsByTheHashItIsHeldBy() throws Exception {
        InfoHash key = downloadByBtmh();
        String sha1 = MetainfoParser.parse(Files.readAllBytes(hybrid.torrentFile())).info().infoHash().hex();
        assertNotEquals(key.hex(), sha1);
        try (Engine engine = Engine.start(settings)) {
            assertEquals(key.hex(), engine.detail(sha1).orElseThrow(() -> new AssertionError("not found by its SHA-1"))
                    .status().infoHash(), "the 40-hex btih of a hybrid held by its btmh");
            assertEquals(key.hex(), engine.detail(key.hex()).orElseThrow().status().infoHash());
            assertEquals(key.hex(), engine.detail(hybrid.v2Hex()).orElseThrow().status().infoHash());
        }
    }

    @Test
    void aHybridHeldByItsSha1IsFoundByItsBtmhInBothForms() throws Exception {
        try (Engine engine = Engine.start(settings)) {
            Torrent t = engine.add(MetainfoParser.parse(Files.readAllBytes(hybrid.torrentFile())), root.resolve("out"),
                    new AddOptions(null, true, false));
            String sha1 = t.infoHash().hex();
            assertNotEquals(hybrid.v2Hex().substring(0, 40), sha1, "held by its SHA-1");
            assertEquals(sha1, engine.detail(hybrid.v2Hex()).orElseThrow().status().infoHash(), "by the full SHA-256");
            assertEquals(sha1, engine.detail(hybrid.v2Hex().substring(0, 40)).orElseThrow(
                    () -> new AssertionError("not found by its truncated SHA-256")).status().infoHash(), "by the v2 swarm's hash");
            assertTrue(engine.detail("ab".repeat(20)).isEmpty(), "another hash finds nothing");
        }
    }
}
