package dev.magnetar.engine;

/**
 * The engine-wide bound on the bytes of pieces in assembly: every torrent's pieces in progress, each
 * counted at its full piece length, since its {@link PieceAssembly} holds it whole until the last
 * block arrives. Each torrent also has a bound of its own ({@link PieceAssembly#maxInProgress}), but
 * per torrent alone, several torrents with big pieces and many peers each would together want a
 * multiple of it; this is the same reasoning as the one {@link PendingWriteBudget} for all torrents.
 *
 * <p>A torrent with no piece in progress may always start one, even past the bound: every download
 * keeps moving, at the cost of overshooting by at most one piece per torrent. Torrents on different
 * event loops check for room and then count their new piece, so two of them may also pass the bound
 * by a piece each at the same moment; the same bound, and no lock held across the picker. (Counting
 * pieces, not buffers, also covers pieces whose blocks are requested but not yet here.)
 *
 * <p>Thread-safe: torrents on different event loops hold shares of one budget.
 */
final class AssemblyBudget {

    private final long capacity;
    private long total; // guarded by this
    private long peak; // guarded by this

    AssemblyBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the assembly bound must be positive");
        }
        this.capacity = capacity;
    }

    /** The default bound for a heap of {@code maxHeapBytes}: a quarter of it. */
    static long defaultCapacity(long maxHeapBytes) {
        return Math.max(1, maxHeapBytes / 4);
    }

    /** A share for a torrent whose pieces are {@code pieceBytes} long and which may have {@code maxPieces} at once. */
    Share join(long pieceBytes, int maxPieces) {
        return new Share(pieceBytes, maxPieces);
    }

    synchronized long total() {
        return total;
    }

    /** The highest {@link #total} so far. */
    synchronized long peak() {
        return peak;
    }

    /** One torrent's pieces in progress, counted into the budget until {@link #close}. */
    final class Share implements InProgressLimit {

        private final long pieceBytes;
        private final int maxPieces;
        private long held; // guarded by AssemblyBudget.this
        private boolean closed; // guarded by AssemblyBudget.this

        private Share(long pieceBytes, int maxPieces) {
            if (pieceBytes < 1 || maxPieces < 1) {
                throw new IllegalArgumentException("piece length and max pieces must be positive");
            }
            this.pieceBytes = pieceBytes;
            this.maxPieces = maxPieces;
        }

        @Override
        public boolean mayStartAnother(int inProgress) {
            if (inProgress < 1) {
                return true;
            }
            if (inProgress >= maxPieces) {
                return false;
            }
            synchronized (AssemblyBudget.this) {
                return total + pieceBytes <= capacity;
            }
        }

        @Override
        public void inProgressChanged(int inProgress) {
            synchronized (AssemblyBudget.this) {
                if (closed) {
                    return;
                }
                long now = inProgress * pieceBytes;
                total += now - held;
                held = now;
                peak = Math.max(peak, total);
            }
        }

        /** The torrent is gone (or its picker replaced): its pieces no longer count. Idempotent. */
        void close() {
            synchronized (AssemblyBudget.this) {
                if (!closed) {
                    closed = true;
                    total -= held;
                    held = 0;
                }
            }
        }
    }
}
