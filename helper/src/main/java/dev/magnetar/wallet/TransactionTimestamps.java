package dev.magnetar.wallet;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code raw_data.timestamp} of the transactions this process signs, strictly increasing. A
 * transaction id is the SHA-256 of the raw data, and two transfers of the same amount to the same
 * recipient built against the same head block differ in nothing else: with the node's millisecond
 * timestamp they got the same id, and the second payment was the first one again. The chain does not
 * check this field (TRON uses the reference block and expiration for replay protection), so it is ours
 * to make unique.
 */
final class TransactionTimestamps {

    /** Process-wide: every client that signs for a key must stay apart from every other one. */
    private static final AtomicLong LAST = new AtomicLong();

    private TransactionTimestamps() {}

    /** The node's timestamp if it is later than every one handed out before, else one more than the last. */
    static long next(long proposedMillis) {
        return LAST.updateAndGet(last -> Math.max(proposedMillis, last + 1));
    }
}
