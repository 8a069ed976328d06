package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two of our engines on 127.0.0.1: the seeder stops at its goal, and stays stopped after a restart. */
class SeedingGoalEngineTest {

    @TempDir
    Path root;

    private static CompletableFuture<TorrentStatus> reaches(Engine engine, String infoHash, TorrentState state) {
        CompletableFuture<TorrentStatus> reached = new CompletableFuture<>();
        engine.subscribe(e -> {
            if (e instanceof EngineEvent.StateChanged c && c.infoHash().hex().equals(infoHash) && c.status().state() == state) {
                reached.complete(c.status());
            }
        });
        return reached;
    }

    @Test
    void aSeederStopsAtTheGlobalRatioAndARestartKeepsItStoppedUntilResumed() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "goal.bin", 64 * 1024, 1_500_000, 7);
        String hash = info.infoHash().hex();
        EngineSettings seederSettings = loopback(root, "seeder").toBuilder().sessionFile(root.resolve("seeder-session.json")).build();

        try (Engine seeder = Engine.start(seederSettings);
                Engine leecher = Engine.start(loopback(root, "leecher"))) {
            seeder.setSeedingGoal(new SeedingGoal(1.0, null));
            CompletableFuture<TorrentStatus> finished = reaches(seeder, hash, TorrentState.COMPLETED);
            Torrent seeding = seeder.add(info, content, List.of(), AddOptions.defaults());
            await(seeding.completion(), "the seeder's check of its data");

            Torrent download = leecher.add(info, root.resolve("down"), List.of(), AddOptions.defaults());
            download.addPeer(addressOf(seeder));
            await(download.completion(), "the download");
            TorrentStatus stopped = finished.get(EngineFixtures.GUARD.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

            assertTrue(stopped.uploadedBytes() >= info.totalLength(), "it stopped only once it had uploaded its size: " + stopped);
            SeedingStatus s = seeder.detail(hash).orElseThrow().seeding();
            assertTrue(s.finishedReason().startsWith("ratio 1."), s.toString());
            assertNull(s.ownGoal());
            assertEquals(new SeedingGoal(1.0, null), s.goal());
            assertEquals(TorrentState.COMPLETED, seeding.state());
            assertTrue(seeding.refusesPeerId(new byte[20]), "held like a pause: no peer is let in");
        }

        try (Engine seeder = Engine.start(seederSettings)) {
            Torrent back = seeder.torrent(info.infoHash()).orElseThrow();
            await(back.completion(), "the restored torrent's check");
            await(back.peerStatuses(), "a turn of its loop"); // after the restore's finish ran
            assertEquals(TorrentState.COMPLETED, back.state(), "finished before the restart, finished after it");
            SeedingStatus kept = seeder.detail(hash).orElseThrow().seeding();
            assertTrue(kept.uploadedBytes() >= info.totalLength(), "the upload count survived: " + kept);
            assertTrue(kept.finishedReason().startsWith("ratio 1."), kept.toString());

            // No engine-wide goal was set in this session, and resuming a finished torrent seeds it on
            // without one of its own: the user asked for more seeding.
            CompletableFuture<TorrentStatus> seedingAgain = reaches(seeder, hash, TorrentState.SEEDING);
            seeder.resume(hash);
            seedingAgain.get(EngineFixtures.GUARD.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            SeedingStatus resumed = seeder.detail(hash).orElseThrow().seeding();
            assertEquals(SeedingGoal.NONE, resumed.ownGoal());
            assertNull(resumed.finishedReason());

            // A goal of its own that is met already stops it again at the next look.
            CompletableFuture<TorrentStatus> finishedAgain = reaches(seeder, hash, TorrentState.COMPLETED);
            seeder.setSeedingGoal(hash, new SeedingGoal(0.5, null));
            finishedAgain.get(EngineFixtures.GUARD.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(new SeedingGoal(0.5, null), seeder.detail(hash).orElseThrow().seeding().ownGoal());
        }
    }
}
