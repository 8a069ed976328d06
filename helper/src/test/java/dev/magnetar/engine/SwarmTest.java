package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.tracker.EmbeddedTracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2's swarm: one seeder and three of our engines downloading the same multi-file torrent at
 * once, finding each other through the embedded tracker. The seeder's upload is capped so that the
 * downloaders must trade pieces among themselves to finish — a swarm, not three parallel copies.
 */
class SwarmTest {

    private static final int DOWNLOADERS = 3;
    private static final long SEEDER_UPLOAD_LIMIT = 6L << 20;

    @TempDir
    Path root;

    @Test
    void oneSeederAndThreeDownloadersAllFinishCorrect() throws Exception {
        try (EmbeddedTracker tracker = InteropTorrent.quickTracker()) {
            Path content = root.resolve("content");
            TestTorrents.multiFile(content, "swarm", 64 * 1024, 9_000_000, 7_000_011, 123);
            byte[] bytes = TorrentCreator.create(content.resolve("swarm"), new TorrentCreator.Options(
                    List.of(List.of(tracker.announceUri().toString())), 64 * 1024, false, null, "Magnetar test", null), n -> { });
            Metainfo metainfo = MetainfoParser.parse(bytes);
            long total = metainfo.info().totalLength();

            List<Engine> engines = new ArrayList<>();
            try {
                Engine seederEngine = Engine.start(loopback(root, "seeder").toBuilder()
                        .rateLimits(0, SEEDER_UPLOAD_LIMIT).build());
                engines.add(seederEngine);
                Torrent seeder = seederEngine.add(metainfo, content, AddOptions.defaults());
                await(seeder.completion(), "seeder's check");
                List<Torrent> downloaders = new ArrayList<>();
                for (int i = 0; i < DOWNLOADERS; i++) {
                    Engine e = Engine.start(loopback(root, "leecher" + i));
                    engines.add(e);
                    downloaders.add(e.add(metainfo, root.resolve("leecher" + i + "-data"), AddOptions.defaults()));
                }
                await(CompletableFuture.allOf(downloaders.stream().map(Torrent::completion).toArray(CompletableFuture[]::new)),
                        "all three downloads");

                long fromPeers = 0;
                for (Torrent d : downloaders) {
                    assertEquals(TorrentState.SEEDING, d.state());
                    fromPeers += d.uploadedBytes();
                }
                System.out.printf("swarm: seeder sent %.1f MiB, downloaders sent each other %.1f MiB, torrent %.1f MiB%n",
                        seeder.uploadedBytes() / 1048576.0, fromPeers / 1048576.0, total / 1048576.0);
                assertTrue(fromPeers > 0, "the downloaders traded pieces among themselves");
                assertTrue(seeder.uploadedBytes() < DOWNLOADERS * total,
                        "the seeder did not have to send every copy: " + seeder.uploadedBytes());
            } finally {
                for (Engine e : engines) {
                    e.close();
                }
            }
            for (int i = 0; i < DOWNLOADERS; i++) {
                assertSameFiles(metainfo.info(), content, root.resolve("leecher" + i + "-data"));
            }
        }
    }
}
