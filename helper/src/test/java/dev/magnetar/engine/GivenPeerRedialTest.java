package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopbackWithoutPex;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A peer the user gave by hand is dialled again after it was lost ({@link GivenPeers}), between two engines. */
class GivenPeerRedialTest {

    @TempDir
    Path root;

    /**
     * The peer hangs up on us first (it does not have the torrent yet, as a peer that is restarting, or that
     * still holds our last connection, refuses us for a moment); once it has the torrent, our redial reaches
     * it. Nothing else would: without PEX, trackers or the DHT, the seeder never learns our address.
     */
    @Test
    void aPeerGivenByHandThatHungUpOnUsIsDialledAgainAndServesTheTorrent() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "given", 32 * 1024, 700_001, 90_000);
        try (Engine seeder = Engine.start(loopbackWithoutPex(root, "seeder"));
                Engine leecher = Engine.start(loopbackWithoutPex(root, "leecher"))) {
            InetSocketAddress seederAddress = addressOf(seeder);
            Torrent down = leecher.add(info, root.resolve("down"), List.of(), AddOptions.defaults());
            down.addPeer(seederAddress);
            // Wait for the state, not a time: the plain dial and its MSE retry both ended, nothing dials it now.
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (down.reach(seederAddress).get(30, TimeUnit.SECONDS) != GivenPeers.Reach.LOST) {
                assertTrue(System.nanoTime() < deadline, "the dials to a peer without the torrent never ended");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            Torrent seeding = seeder.add(info, content, List.of(), AddOptions.defaults());
            await(seeding.completion(), "the seeder's check");
            await(down.completion(), "download from the peer given by hand, dialled again");
        }
        assertSameFiles(info, content, root.resolve("down"));
    }
}
