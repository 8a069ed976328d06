package dev.magnetar.metainfo;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Checks a BEP 52 "hashes" answer against the file's pieces root: the run of {@code length} hashes at
 * the base layer is folded into its subtree's root, then each uncle hash (lowest first) is combined on
 * the side the node's index says, until the root's height; the result must equal the pieces root. A
 * proof that stops below the root cannot be checked against the root and is refused here.
 */
public final class MerkleProof {

    private MerkleProof() {}

    /**
     * Whether {@code run} (the base-layer hashes, concatenated) at {@code baseLayer} from {@code index},
     * with {@code uncles} (concatenated, lowest layer first), hashes up to {@code root} of a tree whose
     * root sits at {@code rootHeight} (log2 of the file's blocks rounded up to a power of two).
     */
    public static boolean verify(byte[] root, int rootHeight, int baseLayer, int index, byte[] run, byte[] uncles) {
        if (run.length == 0 || run.length % MerkleTree.HASH_SIZE != 0 || uncles.length % MerkleTree.HASH_SIZE != 0) {
            return false;
        }
        int length = run.length / MerkleTree.HASH_SIZE;
        if (Integer.bitCount(length) != 1 || index < 0 || index % length != 0 || baseLayer < 0) {
            return false;
        }
        int runHeight = Integer.numberOfTrailingZeros(length);
        int uncleCount = uncles.length / MerkleTree.HASH_SIZE;
        if (baseLayer + runHeight + uncleCount != rootHeight) {
            return false; // the proof must end exactly at the root
        }
        if ((long) (index + length) > (1L << (rootHeight - baseLayer))) {
            return false;
        }
        MessageDigest sha256 = MerkleTree.sha256();
        byte[] node = MerkleTree.ofBlockHashes(run, 1).root(); // the run's own subtree, no padding: length is a power of two
        int position = index >> runHeight;
        for (int u = 0; u < uncleCount; u++) {
            byte[] uncle = Arrays.copyOfRange(uncles, u * MerkleTree.HASH_SIZE, (u + 1) * MerkleTree.HASH_SIZE);
            if ((position & 1) == 0) {
                sha256.update(node);
                sha256.update(uncle);
            } else {
                sha256.update(uncle);
                sha256.update(node);
            }
            node = sha256.digest();
            position >>= 1;
        }
        return MessageDigest.isEqual(node, root);
    }
}
