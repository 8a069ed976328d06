package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.tracker.EmbeddedTracker;
import dev.magnetar.tracker.SwarmRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 3's {@code completed} announce event counts downloads (a tracker's scrape "downloaded"): it is
 * sent once, when the last piece of the whole torrent is downloaded — not by a seeder that starts with
 * complete data, and not when the wanted files of a partly selected torrent are done.
 */
class TrackerCompletedEventTest {

    private static final int PIECE = 64 * 1024;

    @TempDir
    Path root;

    @Test
    void completedIsAnnouncedOnlyWhenTheWholeTorrentHasBeenDownloaded() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "three", PIECE, 400_000, 800_000, 400_003);
        String hex = info.infoHash().hex();
        try (EmbeddedTracker tracker = InteropTorrent.quickTracker();
                Engine seeder = Engine.start(loopback(root, "seeder"));
                Engine ours = Engine.start(loopback(root, "ours"))) {
            List<List<String>> tiers = List.of(List.of(tracker.announceUri().toString()));
            await(seeder.add(info, content, tiers, AddOptions.defaults()).completion(), "the seeder's check");

            Torrent t = ours.add(info, root.resolve("target"), tiers, new AddOptions(null, true, false));
            ours.setFilePriority(hex, 1, 0);
            ours.resume(hex);
            await(t.completion(), "the wanted files");
            Instant finished = Instant.now();
            // Wait for an announce of ours made after the wanted files were done: a completed event
            // would have gone out at once, before it.
            Interop.pollUntil(() -> ourEntry(tracker, info, seeder).filter(p -> p.lastSeen().isAfter(finished)).isPresent(),
                    null, "a re-announce after the wanted files were done");
            assertEquals(0, tracker.registry().counts(info.infoHash()).completed(),
                    "neither the seeder's start nor a partial download counts as a completed download");
            assertFalse(ourEntry(tracker, info, seeder).orElseThrow().seeder(), "bytes are still left");

            ours.setFilePriority(hex, 1, 4);
            Interop.pollUntil(() -> tracker.registry().counts(info.infoHash()).completed() == 1, null,
                    "the completed event once the skipped file arrived");
            Interop.pollUntil(() -> ourEntry(tracker, info, seeder).map(SwarmRegistry.Peer::seeder).orElse(false), null,
                    "the tracker sees us as a seeder");
            assertEquals(1, tracker.registry().counts(info.infoHash()).completed());
        }
    }

    /** Our engine's entry at the tracker: the one that is not the seeder's listening port. */
    private static Optional<SwarmRegistry.Peer> ourEntry(EmbeddedTracker tracker, TorrentInfo info, Engine seeder) {
        int seederPort = seeder.listenAddress().getPort();
        return tracker.registry().peers(info.infoHash()).stream().filter(p -> p.address().getPort() != seederPort)
                .findFirst();
    }
}
