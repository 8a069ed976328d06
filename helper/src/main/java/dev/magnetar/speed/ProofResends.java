package dev.magnetar.speed;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The payer's record of its payment notices to one payee and what the payee acknowledged (spec §4.5,
 * rule P7): it decides when a confirmed payment's notice goes out again — when the payee says it does
 * not hold it, when it never answered within the acknowledgement timeout, or on a new connection (the
 * payee may have restarted and lost it) — never for one acknowledged as credited or rejected, and at most
 * {@value #MAX_RESENDS} times per notice. Sending a notice again never pays again: it names the same
 * transaction. Not thread-safe.
 */
final class ProofResends {

    /** At most this many repeats of one notice: a payee that never answers cannot make the payer send without end. */
    static final int MAX_RESENDS = 3;

    private static final class Notice {
        SpeedMessage.PaymentAck.Status answer; // null: no answer since it was last sent
        SpeedMessage.PaymentAck.Status lastAnswer;
        int resends;
        Object sentOn;
        long sentAtNanos;
    }

    private final Duration ackTimeout;
    private final Map<String, Notice> byTxid = new HashMap<>();

    /** @param ackTimeout how long an unanswered notice waits before it is sent again */
    ProofResends(Duration ackTimeout) {
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
    }

    /** The notice of {@code txid} went out on {@code connection} (its first time, right after the payment). */
    void sent(String txid, Object connection, long nowNanos) {
        Notice n = byTxid.computeIfAbsent(txid, t -> new Notice());
        n.sentOn = connection;
        n.sentAtNanos = nowNanos;
        n.answer = null;
    }

    /** The payee acknowledged the notice of {@code txid}. */
    void answered(String txid, SpeedMessage.PaymentAck.Status status) {
        Notice n = byTxid.computeIfAbsent(txid, t -> new Notice());
        n.answer = status;
        n.lastAnswer = status;
    }

    /**
     * Whether the notice of {@code txid}, a payment confirmed on chain, should go out again now on
     * {@code connection}; if so it is counted as sent.
     */
    boolean resendNow(String txid, Object connection, long nowNanos) {
        Notice n = byTxid.computeIfAbsent(txid, t -> new Notice());
        if (n.lastAnswer == SpeedMessage.PaymentAck.Status.CREDITED || n.lastAnswer == SpeedMessage.PaymentAck.Status.REJECTED
                || n.resends >= MAX_RESENDS) {
            return false;
        }
        boolean due = n.sentOn != connection // a new connection (or a restart here): the payee may never have had it
                || n.answer == SpeedMessage.PaymentAck.Status.NOT_HELD // the payee says it lacks it
                || n.answer == null && nowNanos - n.sentAtNanos >= ackTimeout.toNanos(); // no answer at all
        if (due) {
            n.resends++;
            sent(txid, connection, nowNanos);
        }
        return due;
    }

    /** How often the notice of {@code txid} went out again. */
    int resends(String txid) {
        Notice n = byTxid.get(txid);
        return n == null ? 0 : n.resends;
    }
}
