package dev.magnetar.engine;

import dev.magnetar.metainfo.MerkleProof;
import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.wire.HashRange;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The BEP 52 leaf hashes of one piece (one SHA-256 per 16 KiB block), asked with the proof up to their file's
 * pieces root and checked against it before any of them is believed: the root is in the metadata, which the
 * info-hash vouches for, so leaves that hash up to it vouch for each block on its own, before the rest of the
 * piece is in. The piece layer is not needed (a hybrid magnet's metadata has none). Immutable.
 */
final class BlockLeaves {

    private final byte[][] leaves;

    private BlockLeaves(byte[][] leaves) {
        this.leaves = leaves;
    }

    /**
     * The hash request for the leaves of the {@code pieceInFile}-th piece of a file larger than one piece, whose
     * tree's root is {@code rootHeight} layers above its blocks: a piece's worth of block hashes and every uncle
     * up to the root. BEP 52 pads a file's last piece with zero leaves up to a whole piece, so the run is always
     * whole.
     */
    static HashRange request(byte[] piecesRoot, int rootHeight, int pieceInFile, int pieceLength) {
        int leavesPerPiece = pieceLength / MerkleTree.BLOCK_SIZE;
        return new HashRange(piecesRoot, 0, pieceInFile * leavesPerPiece, leavesPerPiece, rootHeight - 1);
    }

    /**
     * The leaves in {@code payload}, the hashes answering {@code range} (a {@link #request}), or null when they
     * do not hash up to the range's pieces root, whose tree is {@code rootHeight} tall: the peer lied.
     */
    static BlockLeaves check(HashRange range, byte[] payload, int rootHeight) {
        int runBytes = range.length() * MerkleTree.HASH_SIZE;
        if (range.baseLayer() != 0 || payload.length != range.hashesInReply() * MerkleTree.HASH_SIZE || payload.length < runBytes) {
            return null;
        }
        byte[] run = Arrays.copyOf(payload, runBytes);
        byte[] uncles = Arrays.copyOfRange(payload, runBytes, payload.length);
        if (!MerkleProof.verify(range.piecesRoot(), rootHeight, 0, range.index(), run, uncles)) {
            return null;
        }
        byte[][] leaves = new byte[range.length()][];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = Arrays.copyOfRange(run, i * MerkleTree.HASH_SIZE, (i + 1) * MerkleTree.HASH_SIZE);
        }
        return new BlockLeaves(leaves);
    }

    /** Whether {@code block} (its remaining bytes, left as they were) is the piece's {@code index}-th block. */
    boolean matches(int index, ByteBuffer block) {
        if (index < 0 || index >= leaves.length) {
            return false;
        }
        MessageDigest sha256 = sha256();
        sha256.update(block.duplicate());
        return MessageDigest.isEqual(sha256.digest(), leaves[index]);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
