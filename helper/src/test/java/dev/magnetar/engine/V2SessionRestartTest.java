package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.testing.LibtorrentTorrents;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A v2-only torrent added from its .torrent survives a restart: the session keeps only its info
 * dictionary, which has no piece layers (BEP 52), so the restore takes them from the resume data.
 */
class V2SessionRestartTest {

    @TempDir
    Path root;

    @Test
    void aV2OnlyTorrentComesBackAfterARestartWithItsPieceLayers() throws Exception {
        Path content = root.resolve("content");
        LibtorrentTorrents.writeFiles(content.resolve("pack"), new long[] {300_001, 100_000, 17}, 5);
        Metainfo metainfo = MetainfoParser.parse(
                LibtorrentTorrents.make(content.resolve("pack"), root.resolve("v2.torrent"), 64 * 1024, "v2").torrent());
        assertEquals(MetaVersion.V2, metainfo.info().metaVersion());
        EngineSettings settings = loopback(root, "e").toBuilder().sessionFile(root.resolve("session.json")).build();
        try (Engine engine = Engine.start(settings)) {
            Torrent t = engine.add(metainfo, content, AddOptions.defaults());
            await(t.completion(), "the check of the seeder's data");
            assertEquals(TorrentState.SEEDING, t.state());
        }
        try (Engine engine = Engine.start(settings)) {
            Torrent t = engine.torrent(metainfo.info().infoHash()).orElseThrow(() -> new AssertionError("not restored"));
            await(t.completion(), "the restored torrent's check");
            assertEquals(TorrentState.SEEDING, t.state());
            assertTrue(t.info().pieceLayers().isComplete(), "its piece layers came back from the resume data");
        }
    }
}
