package dev.magnetar.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.BitSet;

/**
 * One piece being put together from 16 KiB blocks: a buffer of the piece's size and which blocks are
 * in it. All peers that send blocks of the piece write into the same assembly, so a piece started
 * by one peer can be finished by another (the picker's "partial pieces first"). When every block is
 * in, the whole buffer goes to storage for its SHA-1 check (BEP 3); blocks are never hashed or
 * written one by one, so nothing is read back from disk.
 *
 * <p>Not thread-safe: owned by the torrent's event loop, like the picker.
 */
public final class PieceAssembly {

    /** The fewest pieces a torrent may assemble at once, whatever the heap: enough to keep a peer busy. */
    static final int MIN_IN_PROGRESS = 4;

    private final int piece;
    private final int blockSize;
    private final byte[] data;
    private final BitSet received;
    private final int blockCount;

    /**
     * How many pieces one torrent may have in assembly at once: as many as fit in an eighth of the
     * heap, at least {@link #MIN_IN_PROGRESS}. Each assembly holds its whole piece until the last
     * block arrives; unbounded, a torrent with 16 MiB pieces and its 80 peers each on a piece of its
     * own wanted over a GiB, and a hostile peer could start a piece per 16 KiB block it sent. An
     * eighth per torrent leaves room for the pending writes (another eighth, engine-wide), Netty's
     * buffers and the wallet's 128 MiB scrypt. All torrents together are held to a quarter of the
     * heap by the engine's {@link AssemblyBudget}, so that two such torrents reach it and no number
     * of them goes past it by more than a piece each. With 1 MiB pieces and the default heap the cap
     * is in the hundreds and never reached.
     */
    static int maxInProgress(long maxHeapBytes, long pieceLength) {
        if (pieceLength <= 0) {
            throw new IllegalArgumentException("piece length must be positive");
        }
        return (int) Math.max(MIN_IN_PROGRESS, Math.min(Integer.MAX_VALUE, maxHeapBytes / 8 / pieceLength));
    }

    public PieceAssembly(int piece, int pieceSize, int blockSize) {
        this(piece, new byte[Math.max(0, pieceSize)], blockSize);
    }

    /**
     * Assembles into {@code buffer} (its length is the piece size), which may hold any bytes from an
     * earlier piece: they never reach storage, since {@link #takeData} hands the buffer over only when
     * every block has overwritten its part of it.
     */
    public PieceAssembly(int piece, byte[] buffer, int blockSize) {
        if (buffer.length == 0 || blockSize <= 0) {
            throw new IllegalArgumentException("piece and block sizes must be positive");
        }
        this.piece = piece;
        this.blockSize = blockSize;
        this.data = buffer;
        this.blockCount = (buffer.length + blockSize - 1) / blockSize;
        this.received = new BitSet(blockCount);
    }

    public int piece() {
        return piece;
    }

    public int size() {
        return data.length;
    }

    /**
     * Copies a block (the readable bytes of {@code block}, which is left as it was) into place.
     *
     * @return false if the block does not fit this piece's block grid (wrong offset or length) — the
     *     caller treats that as a protocol violation; true if it was stored (a block already present
     *     is overwritten: the picker decides what counts as a duplicate)
     */
    public boolean put(int offset, ByteBuf block) {
        if (offset < 0 || offset % blockSize != 0 || offset >= data.length) {
            return false;
        }
        int expected = Math.min(blockSize, data.length - offset);
        if (block.readableBytes() != expected) {
            return false;
        }
        block.getBytes(block.readerIndex(), data, offset, expected);
        received.set(offset / blockSize);
        return true;
    }

    /** {@link #put(int, ByteBuf)} for a block in an array. */
    public boolean put(int offset, byte[] block) {
        return put(offset, Unpooled.wrappedBuffer(block));
    }

    public boolean has(int offset) {
        return offset >= 0 && offset % blockSize == 0 && offset < data.length && received.get(offset / blockSize);
    }

    public boolean isComplete() {
        return received.cardinality() == blockCount;
    }

    public int blocksReceived() {
        return received.cardinality();
    }

    /** After a failed hash check: every block must be fetched again. */
    public void reset() {
        received.clear();
    }

    /**
     * The assembled bytes, for {@code TorrentStorage.writePiece}. Hands over the buffer itself; the
     * assembly must not be used afterwards.
     */
    public byte[] takeData() {
        if (!isComplete()) {
            throw new IllegalStateException("piece " + piece + " has " + received.cardinality() + "/" + blockCount + " blocks");
        }
        return data;
    }
}
