package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seek's piece in a hybrid torrent is read block by block as its blocks match their leaves, and it is
 * whole only much later (its head, before the seek position, is not time-critical). So the reader's window
 * must grow once a read is answered in full from such blocks — not before: while the blocks it waits for
 * still come, a grown window would share the peers with them. Nothing downloads here (there are no peers):
 * the leaves and blocks are played on the torrent's loop.
 */
class WindowGrowsOnAReadAnsweredFromLeafVerifiedBlocksTest {

    private static final int PIECE = 256 * 1024;
    private static final int BLOCK = 16 * 1024;
    private static final int SIZE = 40 * PIECE - 777;
    private static final int SEEK_PIECE = 5;

    @TempDir
    Path root;

    @Test
    void aReadAnsweredInFullFromLeafVerifiedBlocksGrowsTheWindowAPartOfOneDoesNot() throws Exception {
        byte[] film = BlockLeavesTest.random(SIZE, 44);
        Path file = Files.createDirectories(root.resolve("content")).resolve("film.webm");
        Files.write(file, film);
        Metainfo metainfo = MetainfoParser.parse(TorrentCreator.create(file,
                new TorrentCreator.Options(List.of(), PIECE, false, null, "Magnetar/test", null, MetaVersion.HYBRID), b -> { }));
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        int windowEnd = (int) (ReadAhead.MIN_WINDOW_BYTES / PIECE) + SEEK_PIECE; // in the smallest grown window, not the first
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = EngineFixtures.addAndAwaitDownloading(engine, metainfo, downloads);
            try (FileStream stream = engine.fileStreaming().orElseThrow().openStream(metainfo.info().infoHash().hex(), 0)) {
                long seek = (long) SEEK_PIECE * PIECE + 3 * BLOCK;
                CompletableFuture<ByteBuffer> waiting = stream.read(seek, 2 * BLOCK);
                List<Integer> before = EngineFixtures.timeCriticalPieces(t);
                assertEquals(SEEK_PIECE, before.get(0), before.toString());
                assertFalse(before.contains(windowEnd), "until its first bytes are out its window is small: " + before);

                List<HashRange> asked = onLoop(t, () -> {
                    List<HashRange> ranges = new ArrayList<>();
                    t.leafBlocks().ask(new PieceLayerFetch.Peer() {
                        @Override
                        public boolean canRequestHashes() {
                            return true;
                        }

                        @Override
                        public void requestHashes(HashRange range) {
                            ranges.add(range);
                        }
                    });
                    return ranges;
                });
                HashRange forSeek = asked.stream().filter(r -> r.index() == SEEK_PIECE * (PIECE / BLOCK)).findFirst().orElseThrow();
                byte[] leaves = BlockLeavesTest.answer(BlockLeavesTest.treeOf(film), forSeek);

                // The leaves and the seek position's first block: a part of the read.
                List<Integer> afterPart = onLoop(t, () -> {
                    t.leafBlocks().accept(new PeerMessage.Hashes(forSeek, leaves));
                    arrive(t, film, 3);
                    return t.picker().deadlines();
                });
                ByteBuffer first = waiting.get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
                assertArrayEquals(Arrays.copyOfRange(film, (int) seek, (int) seek + BLOCK), bytes(first), "the leaf-verified block");
                assertFalse(onLoop(t, () -> t.picker().deadlines()).contains(windowEnd),
                        "a read answered in part: the block after it is still awaited, nothing may share the peers with it: " + afterPart);

                // The next two blocks come before the player's next read, which is so answered in full: the window grows.
                onLoop(t, () -> {
                    arrive(t, film, 4);
                    arrive(t, film, 5);
                    return null;
                });
                assertFalse(EngineFixtures.timeCriticalPieces(t).contains(windowEnd), "blocks alone change nothing");
                CompletableFuture<ByteBuffer> next = stream.read(seek + BLOCK, 2 * BLOCK);
                assertEquals(2 * BLOCK, next.get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS).remaining());
                List<Integer> grown = EngineFixtures.timeCriticalPieces(t);
                assertTrue(grown.contains(windowEnd), "the window grows before the piece is whole: " + grown);
                assertFalse(onLoop(t, () -> t.storage().verified().has(SEEK_PIECE)), "the piece is not whole");
            }
        }
    }

    /** Block {@code b} of the seek's piece arrives: kept for the reader if it matches its leaf. */
    private static void arrive(Torrent t, byte[] film, int b) {
        int from = SEEK_PIECE * PIECE + b * BLOCK;
        if (t.leafBlocks().blockArrived(SEEK_PIECE, b * BLOCK, ByteBuffer.wrap(film, from, BLOCK))) {
            t.streams().blocksReadable(SEEK_PIECE);
        }
    }

    private static <T> T onLoop(Torrent t, java.util.concurrent.Callable<T> task) throws Exception {
        return t.loop().submit(task).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
