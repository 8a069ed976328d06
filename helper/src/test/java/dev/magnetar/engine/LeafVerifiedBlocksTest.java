package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.PieceLayers;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocks of time-critical pieces a player may read before their piece is whole: only those whose leaf
 * hash matched, and only leaves that hash up to the piece layer. Peers here are stand-ins recording the hash
 * requests; the hashes are the real ones of a hybrid torrent made by our own creator.
 */
class LeafVerifiedBlocksTest {

    private static final int PIECE = 64 * 1024;
    private static final int BLOCK = MerkleTree.BLOCK_SIZE;
    private static final int SIZE = 5 * PIECE - 3000;

    @TempDir
    Path root;

    private byte[] film;
    private TorrentInfo info;
    private LeafVerifiedBlocks blocks;
    private PieceBufferPool pool;

    /** A peer that takes up to two hash requests, as HashExchange allows. */
    private static final class Asked implements PieceLayerFetch.Peer {
        final List<HashRange> ranges = new ArrayList<>();

        @Override
        public boolean canRequestHashes() {
            return ranges.size() < HashExchange.MAX_OUTSTANDING;
        }

        @Override
        public void requestHashes(HashRange range) {
            ranges.add(range);
        }
    }

    @BeforeEach
    void hybridTorrent() throws Exception {
        film = BlockLeavesTest.random(SIZE, 11);
        Path file = Files.createDirectories(root.resolve("content")).resolve("film.mp4");
        Files.write(file, film);
        info = MetainfoParser.parse(TorrentCreator.create(file,
                new TorrentCreator.Options(List.of(), PIECE, false, null, "Magnetar/test", null, MetaVersion.HYBRID), b -> { })).info();
        pool = new PieceBufferPool(8L * PIECE);
        blocks = new LeafVerifiedBlocks(info::pieceLayers, info::pieceSize, pool);
    }

    @Test
    void aTrackedPiecesCopyIsASpareArrayGivenBackWhenThePieceIsForgottenAndItsOldBytesAreNeverRead() throws Exception {
        byte[] spare = new byte[PIECE];
        Arrays.fill(spare, (byte) 0x5A);
        pool.give(spare);
        blocks.track(List.of(2));
        assertEquals(1, pool.reused(), "a spare taken, not a new array (a fresh one is a full collection in the daemon)");
        assertEquals(0, pool.spares());

        Asked peer = new Asked();
        blocks.ask(peer);
        blocks.accept(answer(peer.ranges.get(0), 2));
        assertTrue(blocks.blockArrived(2, BLOCK, block(2, 1)));
        assertNull(blocks.read(2, 0, PIECE), "block 0 did not come: the spare's old bytes there are not readable");
        assertArrayEquals(bytes(2, BLOCK, BLOCK), array(blocks.read(2, BLOCK, PIECE)), "only the block that came");

        blocks.track(List.of(0));
        assertEquals(1, pool.spares(), "piece 2 left the deadlines: its array is a spare again");
        blocks.forget(0);
        assertEquals(2, pool.spares(), "piece 0 verified whole: its array too");
        blocks.track(List.of(1, 3));
        blocks.clear();
        assertEquals(2, pool.spares(), "a recheck or close gives back every tracked piece's array");
        assertEquals(1, pool.allocated(), "one array allocated (piece 0's, when the pool was empty), all others reused");
    }

    @Test
    void aTimeCriticalPiecesLeavesAreAskedOnceAndItsBlocksReadableAsTheyMatch() throws Exception {
        blocks.track(List.of(2, 0));
        Asked peer = new Asked();
        blocks.ask(peer);
        blocks.ask(peer);
        assertEquals(2, peer.ranges.size(), "one request per piece: " + peer.ranges);
        HashRange forTwo = peer.ranges.get(0);
        assertEquals(2 * (PIECE / BLOCK), forTwo.index());

        assertNull(blocks.read(2, 0, PIECE), "nothing before a block arrived");
        assertFalse(blocks.blockArrived(2, BLOCK, block(2, 1)), "without its leaves a block is not readable");
        assertNull(blocks.read(2, BLOCK, PIECE));

        assertEquals(2, blocks.accept(answer(forTwo, 2)), "the leaves make the block already here readable");
        assertArrayEquals(bytes(2, BLOCK, BLOCK), array(blocks.read(2, BLOCK, PIECE)), "up to the next missing block");
        assertNull(blocks.read(2, 0, PIECE), "block 0 has not come");

        assertTrue(blocks.blockArrived(2, 0, block(2, 0)));
        assertArrayEquals(bytes(2, 0, 2 * BLOCK), array(blocks.read(2, 0, PIECE)));
        assertArrayEquals(bytes(2, 100, 5000), array(blocks.read(2, 100, 5000)), "at most what was asked");
    }

    @Test
    void aBlockThatDoesNotMatchItsLeafNeverReachesAReader() throws Exception {
        blocks.track(List.of(1));
        Asked peer = new Asked();
        blocks.ask(peer);
        blocks.accept(answer(peer.ranges.get(0), 1));
        byte[] lie = bytes(1, 0, BLOCK);
        lie[77] ^= 1;
        assertFalse(blocks.blockArrived(1, 0, ByteBuffer.wrap(lie)));
        assertNull(blocks.read(1, 0, PIECE));
        assertTrue(blocks.blockArrived(1, 0, block(1, 0)), "the honest block, from another peer");
        assertArrayEquals(bytes(1, 0, BLOCK), array(blocks.read(1, 0, PIECE)));
    }

    @Test
    void aLieBeforeTheLeavesCameIsNotReadableAfterThem() throws Exception {
        blocks.track(List.of(1));
        Asked peer = new Asked();
        blocks.ask(peer);
        byte[] lie = bytes(1, 0, BLOCK);
        lie[0] ^= 1;
        blocks.blockArrived(1, 0, ByteBuffer.wrap(lie));
        assertEquals(-1, blocks.accept(answer(peer.ranges.get(0), 1)), "nothing became readable");
        assertNull(blocks.read(1, 0, PIECE));
    }

    @Test
    void leavesThatDoNotHashUpToThePieceAreALieAndMakeNothingReadable() throws Exception {
        blocks.track(List.of(3));
        Asked peer = new Asked();
        blocks.ask(peer);
        blocks.blockArrived(3, 0, block(3, 0));
        HashRange range = peer.ranges.get(0);
        byte[] forged = answer(range, 3).hashes();
        forged[0] ^= 1;
        assertNull(blocks.accept(new PeerMessage.Hashes(range, forged)), "a lie: the caller bans the peer");
        assertNull(blocks.read(3, 0, PIECE));
        Asked other = new Asked();
        blocks.ask(other);
        assertEquals(List.of(range), other.ranges, "the leaves are asked again");
    }

    @Test
    void theShortLastPieceIsReadableToItsEnd() throws Exception {
        int last = info.pieceCount() - 1;
        int size = info.pieceSize(last);
        blocks.track(List.of(last));
        Asked peer = new Asked();
        blocks.ask(peer);
        assertEquals(-1, blocks.accept(answer(peer.ranges.get(0), last)), "no block here yet to make readable");
        for (int b = 0; b * BLOCK < size; b++) {
            blocks.blockArrived(last, b * BLOCK, block(last, b));
        }
        assertArrayEquals(bytes(last, 0, size), array(blocks.read(last, 0, PIECE)));
    }

    @Test
    void aRejectSendsTheRequestToAnotherPeer() throws Exception {
        blocks.track(List.of(0));
        Asked first = new Asked();
        blocks.ask(first);
        blocks.rejected(first, first.ranges.get(0));
        blocks.ask(first);
        assertEquals(1, first.ranges.size(), "a peer that refused is not asked again");
        Asked second = new Asked();
        blocks.ask(second);
        assertEquals(first.ranges, second.ranges);
        blocks.track(List.of(0, 1));
        blocks.ask(first);
        assertEquals(1, first.ranges.size(),
                "nor for other pieces: a peer holding only piece layers rejects them all, and counts them against a flood");
    }

    @Test
    void piecesOfOneBlockAreTheirOwnLeafAndNotTracked() {
        LeafVerifiedBlocks small = new LeafVerifiedBlocks(() -> new PieceLayers(BLOCK, List.of()), p -> BLOCK, pool);
        small.track(List.of(0, 1, 2));
        assertEquals(List.of(), small.tracked());
    }

    /** A peer whose room for our hash requests is a real connection's ({@link HashExchange}). */
    private static final class Exchanging implements PieceLayerFetch.Peer {
        final HashExchange exchange = new HashExchange(null, true);
        final List<HashRange> ranges = new ArrayList<>();

        @Override
        public boolean canRequestHashes() {
            return exchange.canRequest();
        }

        @Override
        public boolean canRequestLeaves() {
            return exchange.canRequestLeaves();
        }

        @Override
        public void requestHashes(HashRange range) {
            exchange.request(range);
            ranges.add(range);
        }
    }

    @Test
    void aSeeksLeavesAreAskedWhileTheOldPositionsAreStillUnanswered() {
        Exchanging peer = new Exchanging();
        blocks.track(List.of(0, 1));
        blocks.ask(peer);
        assertEquals(2, peer.ranges.size(), "the old position's two leaf requests are in flight: " + peer.ranges);

        blocks.track(List.of(4, 3)); // the seek: the old pieces are no longer time-critical, their answers still to come
        blocks.ask(peer);
        assertEquals(List.of(4 * (PIECE / BLOCK), 3 * (PIECE / BLOCK)), peer.ranges.subList(2, peer.ranges.size()).stream()
                .map(HashRange::index).toList(), "the seek's leaves go out now, ahead of its blocks, not after the old answers");
    }

    @Test
    void everyArrivedBlockIsKeptUntilOneFailsItsLeafOrCameUntracked() throws Exception {
        blocks.track(List.of(2));
        Asked peer = new Asked();
        blocks.ask(peer);
        assertTrue(blocks.holdsEveryArrivedBlock(2, 0));
        blocks.blockArrived(2, 0, block(2, 0));
        assertTrue(blocks.holdsEveryArrivedBlock(2, 1), "a block waiting for the leaves");
        blocks.accept(answer(peer.ranges.get(0), 2));
        assertTrue(blocks.holdsEveryArrivedBlock(2, 1), "a block that matched its leaf");
        assertTrue(blocks.blockArrived(2, BLOCK, block(2, 1)));
        assertTrue(blocks.holdsEveryArrivedBlock(2, 2));
        assertFalse(blocks.blockArrived(2, 2 * BLOCK, ByteBuffer.wrap(new byte[BLOCK])), "a lie");
        assertFalse(blocks.holdsEveryArrivedBlock(2, 3), "the lie is not kept: the piece must come whole");
        assertFalse(blocks.holdsEveryArrivedBlock(1, 0), "an untracked piece keeps nothing");
    }

    @Test
    void piecesNoLongerTimeCriticalAndVerifiedOnesAreForgotten() {
        blocks.track(List.of(0, 1, 2));
        blocks.track(List.of(2));
        assertEquals(List.of(2), blocks.tracked());
        blocks.forget(2);
        assertEquals(List.of(), blocks.tracked());
    }

    @Test
    void aHybridMagnetsMetadataWithoutPieceLayersStillHasItsBlocksVerified() {
        // BEP 9 metadata has no piece layers: the leaves' proof up to the file's root is all there is.
        PieceLayers withoutLayers = new PieceLayers(PIECE, info.pieceLayers().files());
        assertFalse(withoutLayers.hasHashesFor(withoutLayers.files().get(0)));
        LeafVerifiedBlocks magnet = new LeafVerifiedBlocks(() -> withoutLayers, info::pieceSize, pool);
        magnet.track(List.of(2));
        Asked peer = new Asked();
        magnet.ask(peer);
        assertFalse(magnet.blockArrived(2, 0, block(2, 0)));
        assertEquals(2, magnet.accept(answer(peer.ranges.get(0), 2)), "the leaves came with their proof");
        assertArrayEquals(bytes(2, 0, BLOCK), array(magnet.read(2, 0, PIECE)));
    }

    @Test
    void aV1TorrentHasNothingToVerifyEarly() {
        LeafVerifiedBlocks v1 = new LeafVerifiedBlocks(() -> null, p -> PIECE, pool);
        v1.track(List.of(0, 1));
        Asked peer = new Asked();
        v1.ask(peer);
        assertEquals(List.of(), peer.ranges);
        assertFalse(v1.blockArrived(0, 0, block(0, 0)));
        assertNull(v1.read(0, 0, PIECE));
    }

    /** The true leaves of {@code piece} with their proof, as a peer that has the file sends them. */
    private PeerMessage.Hashes answer(HashRange range, int piece) {
        return new PeerMessage.Hashes(range, BlockLeavesTest.answer(BlockLeavesTest.treeOf(film), range));
    }

    private ByteBuffer block(int piece, int b) {
        int from = b * BLOCK;
        return ByteBuffer.wrap(bytes(piece, from, Math.min(BLOCK, info.pieceSize(piece) - from)));
    }

    private byte[] bytes(int piece, int begin, int length) {
        int from = piece * PIECE + begin;
        return Arrays.copyOfRange(film, from, from + length);
    }

    private static byte[] array(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
