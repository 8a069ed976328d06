package dev.magnetar.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static final int BLOCK = MerkleTree.BLOCK_SIZE;

    @Test
    void aOneBlockFileHasTheBlocksHashAsItsRoot() throws Exception {
        byte[] data = random(5000, 1);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(data);
        assertArrayEquals(sha, MerkleTree.subtreeRoot(data, 0, data.length, 1));
        assertArrayEquals(sha, MerkleTree.ofBlockHashes(sha, 1).root());
        assertEquals(0, MerkleTree.ofBlockHashes(sha, 1).rootHeight());
    }

    @Test
    void leavesPastTheEndAreZeroHashesAndParentsHashTheirChildren() throws Exception {
        byte[] data = random(3 * BLOCK + 7, 2);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[][] leaf = new byte[4][];
        for (int b = 0; b < 4; b++) {
            int start = b * BLOCK;
            leaf[b] = start < data.length ? sha.digest(Arrays.copyOfRange(data, start, Math.min(data.length, start + BLOCK)))
                    : new byte[32];
        }
        byte[] left = pair(leaf[0], leaf[1]);
        byte[] right = pair(leaf[2], leaf[3]);
        assertArrayEquals(pair(left, right), MerkleTree.subtreeRoot(data, 0, data.length, 4));
        // A piece of 8 blocks holding these 3.x blocks pads with a whole zero subtree on the right.
        assertArrayEquals(pair(pair(left, right), MerkleTree.padHash(2)), MerkleTree.subtreeRoot(data, 0, data.length, 8));
        assertArrayEquals(pair(new byte[32], new byte[32]), MerkleTree.padHash(1));
    }

    @Test
    void aFileOfWholePiecesHasThePieceLayerItsPiecesHashTo() {
        int pieceLength = 4 * BLOCK;
        byte[] data = random(3 * pieceLength, 3); // an exact multiple of the piece size
        byte[] layer = new byte[3 * 32];
        for (int p = 0; p < 3; p++) {
            System.arraycopy(MerkleTree.subtreeRoot(data, p * pieceLength, pieceLength, 4), 0, layer, p * 32, 32);
        }
        MerkleTree full = MerkleTree.ofBlockHashes(blockHashes(data), 1);
        assertArrayEquals(full.root(), MerkleTree.rootFromPieceLayer(layer, pieceLength));
        assertArrayEquals(Arrays.copyOf(full.layer(2), 3 * 32), layer);
        assertEquals(4, full.rootHeight(), "12 blocks round up to 16 leaves");
    }

    @Test
    void hashesWithUnclesVerifyAgainstTheRootAndATamperedOneDoesNot() {
        byte[] data = random(37 * BLOCK + 100, 4);
        MerkleTree tree = MerkleTree.ofBlockHashes(blockHashes(data), 1);
        int rootHeight = tree.rootHeight(); // 38 blocks -> 64 leaves -> height 6
        assertEquals(6, rootHeight);
        for (int base = 0; base < rootHeight; base++) {
            int width = 1 << (rootHeight - base);
            for (int length = 1; length <= width / 2; length *= 2) {
                for (int index = 0; index < width; index += length) {
                    int proofLayers = rootHeight - base - 1;
                    byte[][] reply = tree.hashes(base, index, length, proofLayers);
                    byte[] run = concat(reply, 0, length);
                    byte[] uncles = concat(reply, length, reply.length);
                    assertTrue(MerkleProof.verify(tree.root(), rootHeight, base, index, run, uncles),
                            "base " + base + " index " + index + " length " + length);
                    run[0] ^= 1;
                    assertFalse(MerkleProof.verify(tree.root(), rootHeight, base, index, run, uncles));
                    run[0] ^= 1;
                    if (uncles.length > 0) {
                        uncles[uncles.length - 1] ^= 1;
                        assertFalse(MerkleProof.verify(tree.root(), rootHeight, base, index, run, uncles));
                        uncles[uncles.length - 1] ^= 1;
                        // the right hashes presented at the wrong index prove nothing
                        int wrong = (index + length) % width;
                        assertFalse(MerkleProof.verify(tree.root(), rootHeight, base, wrong, run, uncles)
                                && !Arrays.equals(run, concat(tree.hashes(base, wrong, length, proofLayers), 0, length)));
                    }
                }
            }
        }
    }

    @Test
    void aTreeBuiltFromThePieceLayerAnswersFromThePieceLayerUp() {
        int pieceLength = 2 * BLOCK;
        byte[] data = random(9 * pieceLength + 1, 5);
        MerkleTree full = MerkleTree.ofBlockHashes(blockHashes(data), 1);
        byte[] layer = Arrays.copyOf(full.layer(1), 10 * 32);
        MerkleTree fromLayer = MerkleTree.ofPieceLayer(layer, pieceLength);
        assertArrayEquals(full.root(), fromLayer.root());
        assertEquals(full.rootHeight(), fromLayer.rootHeight());
        assertNull(fromLayer.hashes(0, 0, 2, 1), "no block hashes below the piece layer");
        byte[][] reply = fromLayer.hashes(1, 8, 4, fromLayer.rootHeight() - 2);
        assertTrue(MerkleProof.verify(full.root(), full.rootHeight(), 1, 8, concat(reply, 0, 4), concat(reply, 4, reply.length)));
    }

    @Test
    void requestsATreeCannotAnswerGetNull() {
        MerkleTree tree = MerkleTree.ofBlockHashes(blockHashes(random(8 * BLOCK, 6)), 1);
        assertNull(tree.hashes(0, 0, 3, 0), "length not a power of two");
        assertNull(tree.hashes(0, 2, 4, 0), "index not a multiple of length");
        assertNull(tree.hashes(0, 8, 2, 0), "past the layer");
        assertNull(tree.hashes(0, 0, 2, 3), "proof layers reaching the root");
        assertNull(tree.hashes(3, 0, 1, 0), "the root layer itself");
        assertFalse(MerkleProof.verify(tree.root(), 3, 0, 0, new byte[3 * 32], new byte[0]), "three hashes are no subtree");
    }

    static byte[] blockHashes(byte[] data) {
        int blocks = MerkleTree.blocksIn(data.length);
        byte[] out = new byte[blocks * 32];
        for (int b = 0; b < blocks; b++) {
            int start = b * BLOCK;
            System.arraycopy(MerkleTree.subtreeRoot(data, start, Math.min(BLOCK, data.length - start), 1), 0, out, b * 32, 32);
        }
        return out;
    }

    private static byte[] concat(byte[][] hashes, int from, int to) {
        byte[] out = new byte[(to - from) * 32];
        for (int i = from; i < to; i++) {
            System.arraycopy(hashes[i], 0, out, (i - from) * 32, 32);
        }
        return out;
    }

    private static byte[] pair(byte[] a, byte[] b) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(a);
        sha.update(b);
        return sha.digest();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
