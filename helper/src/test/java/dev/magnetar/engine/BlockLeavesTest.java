package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.wire.HashRange;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BEP 52 leaf hashes of one piece, with their proof, checked against the file's pieces root. */
class BlockLeavesTest {

    private static final int PIECE = 256 * 1024;
    private static final int LEAVES = PIECE / MerkleTree.BLOCK_SIZE;
    /** Four whole pieces and a short fifth: 65 blocks, a tree of 128 leaves. */
    private static final byte[] FILE = random(4 * PIECE + 5000, 1);
    private static final MerkleTree TREE = treeOf(FILE);

    @Test
    void leavesThatHashUpToTheRootVouchForEachBlockOfTheirPiece() {
        HashRange range = request(2);
        BlockLeaves leaves = BlockLeaves.check(range, answer(TREE, range), TREE.rootHeight());
        assertNotNull(leaves);
        for (int b = 0; b < LEAVES; b++) {
            assertTrue(leaves.matches(b, block(FILE, 2 * PIECE, b)), "block " + b);
        }
    }

    @Test
    void aBlockThatIsNotTheOneItsLeafHashedIsRefused() {
        HashRange range = request(1);
        BlockLeaves leaves = BlockLeaves.check(range, answer(TREE, range), TREE.rootHeight());
        byte[] lie = Arrays.copyOfRange(FILE, PIECE + 3 * MerkleTree.BLOCK_SIZE, PIECE + 4 * MerkleTree.BLOCK_SIZE);
        lie[100] ^= 1;
        assertFalse(leaves.matches(3, ByteBuffer.wrap(lie)));
        assertFalse(leaves.matches(4, block(FILE, PIECE, 3)), "another block's bytes");
        assertFalse(leaves.matches(LEAVES, block(FILE, PIECE, 3)), "a block past the piece");
    }

    @Test
    void oneWrongLeafOrUncleMakesTheWholeAnswerALie() {
        HashRange range = request(0);
        byte[] leaf = answer(TREE, range);
        leaf[5 * MerkleTree.HASH_SIZE] ^= 1;
        assertNull(BlockLeaves.check(range, leaf, TREE.rootHeight()));
        byte[] uncle = answer(TREE, range);
        uncle[uncle.length - 1] ^= 1;
        assertNull(BlockLeaves.check(range, uncle, TREE.rootHeight()));
    }

    @Test
    void anotherPiecesLeavesAreALie() {
        byte[] theirs = answer(TREE, request(3));
        assertNull(BlockLeaves.check(request(1), theirs, TREE.rootHeight()));
    }

    @Test
    void leavesOfAnotherFileAreALie() {
        MerkleTree other = treeOf(random(FILE.length, 2));
        HashRange range = request(1);
        assertNull(BlockLeaves.check(range, answer(other, range), TREE.rootHeight()));
    }

    @Test
    void aTruncatedOrOverlongAnswerIsRefused() {
        HashRange range = request(1);
        byte[] payload = answer(TREE, range);
        assertNull(BlockLeaves.check(range, Arrays.copyOf(payload, payload.length - MerkleTree.HASH_SIZE), TREE.rootHeight()));
        assertNull(BlockLeaves.check(range, Arrays.copyOf(payload, payload.length - 1), TREE.rootHeight()));
        assertNull(BlockLeaves.check(range, Arrays.copyOf(payload, payload.length + MerkleTree.HASH_SIZE), TREE.rootHeight()));
        assertNull(BlockLeaves.check(range, Arrays.copyOf(payload, LEAVES * MerkleTree.HASH_SIZE), TREE.rootHeight()),
                "the leaves without their proof");
    }

    @Test
    void aFilesShortLastPieceHasZeroLeavesAfterItsEnd() {
        HashRange range = request(4);
        BlockLeaves leaves = BlockLeaves.check(range, answer(TREE, range), TREE.rootHeight());
        assertNotNull(leaves);
        assertTrue(leaves.matches(0, ByteBuffer.wrap(FILE, 4 * PIECE, 5000)));
    }

    @Test
    void theRequestAsksForOnePiecesLeavesWithEveryUncleUpToTheRoot() {
        HashRange r = request(3);
        assertEquals(0, r.baseLayer());
        assertEquals(3 * LEAVES, r.index());
        assertEquals(LEAVES, r.length());
        // 16 leaves are 4 layers; the tree is 7 tall: 3 uncles.
        assertEquals(LEAVES + 3, r.hashesInReply());
    }

    private static HashRange request(int piece) {
        return BlockLeaves.request(TREE.root(), TREE.rootHeight(), piece, PIECE);
    }

    /** What a peer holding the whole tree sends for {@code range}. */
    static byte[] answer(MerkleTree tree, HashRange range) {
        byte[][] hashes = tree.hashes(range.baseLayer(), range.index(), range.length(), range.proofLayers());
        byte[] out = new byte[hashes.length * MerkleTree.HASH_SIZE];
        for (int i = 0; i < hashes.length; i++) {
            System.arraycopy(hashes[i], 0, out, i * MerkleTree.HASH_SIZE, MerkleTree.HASH_SIZE);
        }
        return out;
    }

    /** A file's whole tree, from the SHA-256 of each of its blocks. */
    static MerkleTree treeOf(byte[] file) {
        int blocks = MerkleTree.blocksIn(file.length);
        byte[] leaves = new byte[blocks * MerkleTree.HASH_SIZE];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(sha256(block(file, 0, b)), 0, leaves, b * MerkleTree.HASH_SIZE, MerkleTree.HASH_SIZE);
        }
        return MerkleTree.ofBlockHashes(leaves, 1);
    }

    static ByteBuffer block(byte[] file, int pieceStart, int b) {
        int from = pieceStart + b * MerkleTree.BLOCK_SIZE;
        return ByteBuffer.wrap(file, from, Math.min(MerkleTree.BLOCK_SIZE, file.length - from));
    }

    private static byte[] sha256(ByteBuffer b) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(b);
            return d.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
