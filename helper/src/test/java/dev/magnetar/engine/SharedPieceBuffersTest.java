package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download's piece arrays serve the next torrent's download in the same engine (one after another, the
 * first removed with its data, as a user — and bench/daemon — does), and the spares stay within their bound.
 */
class SharedPieceBuffersTest {

    private static final int PIECE = 64 * 1024;

    @TempDir
    Path root;

    @Test
    void theNextTorrentReusesTheRemovedOnesArraysAndTheSparesStayBounded() throws Exception {
        TorrentInfo one = TestTorrents.multiFile(root.resolve("c1"), "one", PIECE, 2_000_000);
        TorrentInfo two = TestTorrents.multiFile(root.resolve("c2"), "two", PIECE, 1_500_001);
        long maxPendingWrites = 4L * PIECE;
        long bound = 2 * maxPendingWrites;
        try (Engine seeder = Engine.start(loopback(root, "seeder"));
                Engine leecher = Engine.start(loopback(root, "leecher").toBuilder().maxPendingWriteBytes(maxPendingWrites).build())) {
            await(seeder.add(one, root.resolve("c1"), List.of(), AddOptions.defaults()).completion(), "seeding one");
            await(seeder.add(two, root.resolve("c2"), List.of(), AddOptions.defaults()).completion(), "seeding two");
            PieceBufferPool pool = leecher.pieceBuffers();

            Torrent first = leecher.add(one, root.resolve("d1"), List.of(), AddOptions.defaults());
            first.addPeer(addressOf(seeder));
            await(first.completion(), "download one");
            assertSameFiles(one, root.resolve("c1"), root.resolve("d1"));
            leecher.remove(one.infoHash().hex(), true);
            // Each written piece's array came back before its piece counted as verified.
            long spares = pool.spares();
            assertTrue(spares >= 1, "the first download left spares");
            assertTrue(pool.spareBytes() <= bound, pool.spareBytes() + " spare bytes over the bound " + bound);

            long reusedBefore = pool.reused();
            Torrent second = leecher.add(two, root.resolve("d2"), List.of(), AddOptions.defaults());
            second.addPeer(addressOf(seeder));
            await(second.completion(), "download two");
            assertSameFiles(two, root.resolve("c2"), root.resolve("d2"));

            // Spares only grow by gives, so the second torrent's first takes of a regular piece found them.
            long regularPieces = two.totalLength() / PIECE;
            long reused = pool.reused() - reusedBefore;
            assertTrue(reused >= Math.min(spares, regularPieces),
                    "the second torrent reused " + reused + " arrays with " + spares + " spares left by the first");
            assertTrue(pool.spareBytes() <= bound, pool.spareBytes() + " spare bytes over the bound " + bound);
        }
    }
}
