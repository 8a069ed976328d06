package dev.magnetar.engine;

import dev.magnetar.metainfo.MerkleTree;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * A copy of one time-critical piece's blocks as they arrive, each readable once it matches its leaf hash
 * ({@link BlockLeaves}): blocks that came before the leaves are checked when they come. A block that does
 * not match is forgotten here; it still sits in the piece's assembly, whose whole-piece check then fails
 * and charges its sender, as for any bad piece. Torrent loop only.
 */
final class LeafVerifiedPiece {

    /** Only blocks put here since are ever read: a reused array's old content never is. */
    private final byte[] data;
    private final BitSet arrived = new BitSet();
    private final BitSet verified = new BitSet();
    private BlockLeaves leaves;
    private int mismatches;

    /** @param data the piece's size in bytes, of any content (an array used before, see {@link PieceBufferPool}) */
    LeafVerifiedPiece(byte[] data) {
        this.data = data;
    }

    /** The array, for the pool, once this piece is forgotten: nothing may be put or read here after it. */
    byte[] release() {
        arrived.clear();
        verified.clear();
        return data;
    }

    /** Blocks kept here: those that matched their leaf and those waiting for the leaves (not those that failed). */
    int arrivedBlocks() {
        return verified.cardinality() + arrived.cardinality();
    }

    boolean hasLeaves() {
        return leaves != null;
    }

    /** Blocks that did not match their leaf. */
    int mismatches() {
        return mismatches;
    }

    /**
     * Keeps a block that arrived ({@code block}'s remaining bytes, left as they were).
     *
     * @return whether it became readable
     */
    boolean put(int offset, ByteBuffer block) {
        int index = offset / MerkleTree.BLOCK_SIZE;
        if (offset % MerkleTree.BLOCK_SIZE != 0 || offset + block.remaining() > data.length || verified.get(index)) {
            return false;
        }
        block.duplicate().get(data, offset, block.remaining());
        arrived.set(index);
        return check(index);
    }

    /** The piece's leaves came: checks the blocks already here. @return whether any became readable */
    boolean leavesArrived(BlockLeaves checked) {
        leaves = checked;
        boolean any = false;
        for (int i = arrived.nextSetBit(0); i >= 0; i = arrived.nextSetBit(i + 1)) {
            any |= check(i);
        }
        return any;
    }

    private boolean check(int index) {
        if (leaves == null || !arrived.get(index)) {
            return false;
        }
        int offset = index * MerkleTree.BLOCK_SIZE;
        int length = Math.min(MerkleTree.BLOCK_SIZE, data.length - offset);
        arrived.clear(index);
        if (leaves.matches(index, ByteBuffer.wrap(data, offset, length))) {
            verified.set(index);
            return true;
        }
        mismatches++;
        return false;
    }

    /** How many bytes from {@code begin} on are readable without a gap (0: the block at {@code begin} is not). */
    int readableFrom(int begin) {
        if (begin < 0 || begin >= data.length) {
            return 0;
        }
        int firstMissing = verified.nextClearBit(begin / MerkleTree.BLOCK_SIZE);
        return (int) Math.max(0, Math.min((long) firstMissing * MerkleTree.BLOCK_SIZE, data.length) - begin);
    }

    /** A copy of {@code length} readable bytes from {@code begin}, ready to read. */
    ByteBuffer copy(int begin, int length) {
        if (length <= 0 || length > readableFrom(begin)) {
            throw new IllegalArgumentException(length + " bytes from " + begin + " are not all verified");
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put(data, begin, length).flip();
        return out;
    }
}
