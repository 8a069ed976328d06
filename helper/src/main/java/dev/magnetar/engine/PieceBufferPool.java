package dev.magnetar.engine;

import java.util.ArrayDeque;

/**
 * A torrent's spare piece-sized arrays for {@link PieceAssembly}s. A fresh {@code byte[pieceSize]}
 * per piece costs zeroing and page faults on newly grown heap for every MiB downloaded; an array
 * comes back here once storage has hashed (and written) it and is reused by the next piece.
 *
 * <p>Only arrays of the torrent's regular piece size are kept: the last piece is shorter and comes
 * once. The pool holds at most {@code maxPooled} arrays and only ones that were in use together
 * before, so it never makes the torrent's peak memory larger than it was without it; {@link #trim}
 * lets arrays that went unused for a whole interval go to the GC, so a torrent that stops downloading
 * (seeding, paused) gives its spares back.
 *
 * <p>Reuse is safe without clearing because an assembly is handed to storage only when every block of
 * it was received ({@link PieceAssembly#isComplete}): each byte of a reused array has then been
 * overwritten by this piece's data, so no stale byte can reach a hash or the disk.
 *
 * <p>Not thread-safe: owned by the torrent's event loop.
 */
final class PieceBufferPool {

    private final int pieceSize;
    private final int maxPooled;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    /** Fewest spares since the last {@link #trim}: that many sat unused for the whole interval. */
    private int lowWater;

    PieceBufferPool(int pieceSize, int maxPooled) {
        if (pieceSize <= 0 || maxPooled < 0) {
            throw new IllegalArgumentException("piece size must be positive and the bound non-negative");
        }
        this.pieceSize = pieceSize;
        this.maxPooled = maxPooled;
    }

    /**
     * Bound for a torrent: as many pieces as may wait for storage ({@code maxPendingWriteBytes}, after
     * which peers are no longer read) plus a few being assembled.
     */
    static PieceBufferPool forTorrent(int pieceSize, long maxPendingWriteBytes) {
        long pending = maxPendingWriteBytes / pieceSize + 1;
        return new PieceBufferPool(pieceSize, (int) Math.min(1024, pending + 4));
    }

    /** An array of exactly {@code size} bytes, with arbitrary content if it was used before. */
    byte[] take(int size) {
        if (size == pieceSize) {
            byte[] b = free.pollLast();
            lowWater = Math.min(lowWater, free.size());
            if (b != null) {
                return b;
            }
        }
        return new byte[size];
    }

    /**
     * Gives back an array nobody reads or writes any more (storage's future for it has completed).
     * Other sizes, and arrays beyond the bound, are left to the GC.
     */
    void give(byte[] b) {
        if (b.length == pieceSize && free.size() < maxPooled) {
            free.addLast(b);
        }
    }

    /** Drops the spares that were not needed since the last call; call at a steady interval. */
    void trim() {
        for (int i = 0; i < lowWater; i++) {
            free.pollFirst();
        }
        lowWater = free.size();
    }

    int spares() {
        return free.size();
    }
}
