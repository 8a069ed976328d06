package dev.magnetar.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The engine's spare piece-sized arrays for {@link PieceAssembly}s, shared by all its torrents. A fresh
 * {@code byte[pieceSize]} per piece costs zeroing and page faults on newly grown heap for every MiB
 * downloaded; an array comes back here once storage has hashed (and written) it and is reused by the next
 * piece — of this torrent or of the next one. The daemon's piece arrays live in the old generation
 * ({@code util.JvmFlags}: pretenured), so with a pool per torrent the arrays of a removed torrent were
 * garbage there, and the next download's new arrays filled the old generation to a full collection:
 * one per download in bench/daemon (22–252 ms at load 9–17, bench/README.md).
 *
 * <p>Only power-of-two lengths are kept: piece lengths are powers of two (BEP 52 requires it, BEP 3
 * torrents in practice), while a torrent's last piece is shorter and comes once. The spares of all sizes
 * together are held to {@code maxSpareBytes}; arrays beyond it go to the GC.
 *
 * <p>{@link #trim}, called every {@link #TRIM_INTERVAL}, drops the spares that sat unused for a whole
 * interval, so an engine that stops downloading gives its spares back within two intervals. Holding them
 * that long costs no memory the process would otherwise return: the Serial collector gives heap back only
 * after a full collection, and the daemon's idle collection (daemon.IdleHeapShrinker) comes only after a
 * quiet minute — by then the spares are gone. A download started meanwhile reuses them instead.
 *
 * <p>Reuse is safe without clearing because an assembly is handed to storage only when every block of
 * it was received ({@link PieceAssembly#isComplete}): each byte of a reused array has then been
 * overwritten by this piece's data, so no stale byte can reach a hash or the disk.
 *
 * <p>Thread-safe: torrents on different event loops take and give; one array per piece, so the lock is
 * taken a few hundred times a second at most.
 */
final class PieceBufferPool {

    /** Longer than the gap between two downloads started one after another, shorter than a quiet minute. */
    static final Duration TRIM_INTERVAL = Duration.ofSeconds(15);

    private final long maxSpareBytes;
    private final Map<Integer, Spares> bySize = new HashMap<>(); // guarded by this
    private long spareBytes; // guarded by this
    private long reused; // guarded by this
    private long allocated; // guarded by this

    /** The spares of one length, and the fewest of them since the last {@link #trim}. */
    private static final class Spares {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int lowWater;
    }

    PieceBufferPool(long maxSpareBytes) {
        if (maxSpareBytes < 0) {
            throw new IllegalArgumentException("the bound on spare bytes must not be negative");
        }
        this.maxSpareBytes = maxSpareBytes;
    }

    /**
     * The bound for an engine whose pieces waiting for storage are held to {@code maxPendingWriteBytes}
     * (after which peers are no longer read): as many again for the pieces being assembled beside them.
     */
    static PieceBufferPool forEngine(long maxPendingWriteBytes) {
        return new PieceBufferPool(2 * maxPendingWriteBytes);
    }

    /** An array of exactly {@code size} bytes, with arbitrary content if it was used before. */
    synchronized byte[] take(int size) {
        Spares spares = bySize.get(size);
        if (spares != null && !spares.free.isEmpty()) {
            byte[] b = spares.free.pollLast();
            spares.lowWater = Math.min(spares.lowWater, spares.free.size());
            spareBytes -= size;
            reused++;
            return b;
        }
        allocated++;
        return new byte[size];
    }

    /**
     * Gives back an array nobody reads or writes any more (storage's future for it has completed).
     * Lengths that are not a power of two, and arrays beyond the bound, are left to the GC.
     */
    synchronized void give(byte[] b) {
        if (Integer.bitCount(b.length) != 1 || spareBytes + b.length > maxSpareBytes) {
            return;
        }
        bySize.computeIfAbsent(b.length, n -> new Spares()).free.addLast(b);
        spareBytes += b.length;
    }

    /** Drops the spares that were not needed since the last call; called every {@link #TRIM_INTERVAL}. */
    synchronized void trim() {
        for (Iterator<Map.Entry<Integer, Spares>> it = bySize.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Spares> e = it.next();
            Spares spares = e.getValue();
            for (int i = 0; i < spares.lowWater; i++) {
                spares.free.pollFirst(); // the oldest first: the newest were used last
                spareBytes -= e.getKey();
            }
            if (spares.free.isEmpty()) {
                it.remove();
            } else {
                spares.lowWater = spares.free.size();
            }
        }
    }

    synchronized int spares() {
        return bySize.values().stream().mapToInt(s -> s.free.size()).sum();
    }

    synchronized long spareBytes() {
        return spareBytes;
    }

    /** Arrays handed out from the spares so far. */
    synchronized long reused() {
        return reused;
    }

    /** Arrays newly allocated so far. */
    synchronized long allocated() {
        return allocated;
    }
}
