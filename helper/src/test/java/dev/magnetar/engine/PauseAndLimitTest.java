package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pause/resume and the per-torrent download limit, asserted on byte counters and states: a paused
 * torrent moves no payload even when peers are offered to it from both sides, and a limited torrent
 * never receives more than its token bucket could have granted.
 */
class PauseAndLimitTest {

    private static final int PIECE = 64 * 1024;

    @TempDir
    Path root;

    @Test
    void pausedTorrentReceivesNothingAndResumesToCorrectBytes() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo big = TestTorrents.multiFile(content, "big", PIECE, 5_000_000, 3_000_001);
        TorrentInfo small = TestTorrents.multiFile(content, "small", PIECE, 1_000_000);
        // The seeder's upload is capped so the download is surely mid-way when we pause it.
        try (Engine seeder = Engine.start(loopback(root, "seeder").toBuilder().rateLimits(0, 2L << 20).build());
                Engine ours = Engine.start(loopback(root, "ours"))) {
            Torrent seedingBig = seeder.add(big, content, List.of(), AddOptions.defaults());
            Torrent seedingSmall = seeder.add(small, content, List.of(), AddOptions.defaults());
            await(seedingBig.completion(), "seeder's check");
            await(seedingSmall.completion(), "seeder's check");

            Torrent t = ours.add(big, root.resolve("target"), List.of(), AddOptions.defaults());
            t.addPeer(addressOf(seeder));
            Interop.pollUntil(() -> t.downloadedBytes() >= 1L << 20, null, "first MiB downloaded");
            ours.pause(big.infoHash().hex());
            Interop.pollUntil(() -> t.state() == TorrentState.PAUSED && t.peerCount() == 0 && seedingBig.peerCount() == 0,
                    null, "paused with no peers on either side");
            long downloadedAtPause = t.downloadedBytes();
            long sentAtPause = seedingBig.uploadedBytes();
            assertTrue(downloadedAtPause < big.totalLength(), "paused mid-download");

            // Offer the peer from both sides: ours must not dial, and must refuse the seeder's dial.
            t.addPeer(addressOf(seeder));
            seedingBig.addPeer(addressOf(ours));
            // Something else has to happen meanwhile: a whole other download through both engines.
            Torrent other = ours.add(small, root.resolve("other"), List.of(), AddOptions.defaults());
            other.addPeer(addressOf(seeder));
            await(other.completion(), "the other torrent's download");

            assertEquals(TorrentState.PAUSED, t.state());
            assertEquals(0, t.peerCount());
            assertEquals(downloadedAtPause, t.downloadedBytes(), "no payload while paused");
            assertEquals(sentAtPause, seedingBig.uploadedBytes(), "the seeder sent nothing for it while paused");

            ours.resume(big.infoHash().hex());
            t.addPeer(addressOf(seeder));
            await(t.completion(), "the resumed download");
            assertEquals(TorrentState.SEEDING, t.state());
            assertTrue(t.downloadedBytes() > downloadedAtPause, "the rest came after resume");
        }
        assertSameFiles(big, content, root.resolve("target"));
        assertSameFiles(small, content, root.resolve("other"));
    }

    @Test
    void perTorrentDownloadLimitBoundsTheBytesReceived() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "limited", PIECE, 3_000_000, 1_000_001);
        long limit = 1L << 20; // bytes per second; the bucket holds one second's worth
        // Bytes that can arrive after the bucket ran dry: one socket read batch and the requests in
        // flight when reading stops. Generous, still far below what an unlimited loopback moves.
        long slack = 1L << 20;
        try (Engine seeder = Engine.start(loopback(root, "seeder"));
                Engine ours = Engine.start(loopback(root, "ours"))) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "seeder's check");
            Torrent t = ours.add(info, root.resolve("target"), List.of(), AddOptions.defaults());
            t.setRateLimits(limit, 0);
            long start = System.nanoTime();
            t.addPeer(addressOf(seeder));
            await(t.completion(), "limited download");
            double seconds = (System.nanoTime() - start) / 1e9;
            // The token bucket can have granted at most burst + rate × elapsed. A slow machine only
            // makes elapsed longer, so this bound cannot fail spuriously; without the limit the
            // whole torrent (4 MiB) arrives in a fraction of a second and breaks it.
            long granted = limit + (long) (limit * seconds);
            System.out.printf("limited: %d bytes in %.2f s at %d B/s%n", t.downloadedBytes(), seconds, limit);
            assertTrue(t.downloadedBytes() <= granted + slack,
                    t.downloadedBytes() + " bytes in " + seconds + " s exceed the limit's " + granted + " + " + slack);
        }
        assertSameFiles(info, content, root.resolve("target"));
    }
}
