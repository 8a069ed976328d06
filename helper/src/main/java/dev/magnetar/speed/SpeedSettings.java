package dev.magnetar.speed;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * A peer's speed-economy settings (spec §5–§7). Amounts are token base units.
 *
 * @param askPerGiB least rate we sell a paid slot for; 0 = we sell none
 * @param paidSlots how many of the choker's regular upload slots are sold (the rest stay tit-for-tat)
 * @param paymentThreshold P: as payer, pay when owed − paid reaches this
 * @param disconnectThreshold D: as payee, stop paid service when a payer's unpaid debt reaches this; D > P
 * @param receiptStep S: as payer, sign a new receipt when owed grew this much since the last one
 * @param confirmationThreshold payments above this are credited only once solidified (C7)
 * @param noticeTimeout how long (chain time) a payment notice may wait for its transaction (C2)
 * @param proofAckTimeout as payer, how long a confirmed payment's notice may go unacknowledged (§4.5) before
 *     it is sent again (P7)
 */
public record SpeedSettings(BigInteger askPerGiB, int paidSlots, BigInteger paymentThreshold, BigInteger disconnectThreshold,
                            BigInteger receiptStep, BigInteger confirmationThreshold, Duration noticeTimeout, Duration proofAckTimeout) {

    /** A payee answers within its notice timeout (120 s) once the transaction is in a block; a minute more covers the way back. */
    public static final Duration DEFAULT_PROOF_ACK_TIMEOUT = Duration.ofSeconds(180);

    /** At most this many payment notices per payer may wait for the chain (spec C2). */
    public static final int MAX_PENDING_NOTICES = 4;
    public static final BigInteger ONE_BTT = BigInteger.TEN.pow(18);

    public SpeedSettings {
        Objects.requireNonNull(askPerGiB, "askPerGiB");
        Objects.requireNonNull(paymentThreshold, "paymentThreshold");
        Objects.requireNonNull(disconnectThreshold, "disconnectThreshold");
        Objects.requireNonNull(receiptStep, "receiptStep");
        Objects.requireNonNull(confirmationThreshold, "confirmationThreshold");
        Objects.requireNonNull(noticeTimeout, "noticeTimeout");
        Objects.requireNonNull(proofAckTimeout, "proofAckTimeout");
        if (proofAckTimeout.isNegative() || askPerGiB.signum() < 0 || paidSlots < 0 || paymentThreshold.signum() <= 0 || receiptStep.signum() <= 0
                || confirmationThreshold.signum() < 0 || noticeTimeout.isNegative()) {
            throw new IllegalArgumentException("ask >= 0, paid slots >= 0, P > 0, receipt step > 0, confirmation threshold >= 0");
        }
        if (disconnectThreshold.compareTo(paymentThreshold) <= 0) {
            throw new IllegalArgumentException("the disconnect threshold D (" + disconnectThreshold
                    + ") must exceed the payment threshold P (" + paymentThreshold + "), or honest payers are cut off (spec §7)");
        }
    }

    /** With the default acknowledgement timeout. */
    public SpeedSettings(BigInteger askPerGiB, int paidSlots, BigInteger paymentThreshold, BigInteger disconnectThreshold,
                         BigInteger receiptStep, BigInteger confirmationThreshold, Duration noticeTimeout) {
        this(askPerGiB, paidSlots, paymentThreshold, disconnectThreshold, receiptStep, confirmationThreshold, noticeTimeout,
                DEFAULT_PROOF_ACK_TIMEOUT);
    }

    /** Defaults: ask 1 BTT/GiB, 2 paid slots, P = 10 BTT, D = 25 BTT, S = P/4, solid view above 100 BTT, 120 s notice timeout. */
    public static SpeedSettings defaults() {
        BigInteger p = ONE_BTT.multiply(BigInteger.TEN);
        return new SpeedSettings(ONE_BTT, 2, p, ONE_BTT.multiply(BigInteger.valueOf(25)), p.shiftRight(2),
                ONE_BTT.multiply(BigInteger.valueOf(100)), Duration.ofSeconds(120));
    }

    public SpeedSettings withAsk(BigInteger ask) {
        return new SpeedSettings(ask, paidSlots, paymentThreshold, disconnectThreshold, receiptStep, confirmationThreshold, noticeTimeout,
                proofAckTimeout);
    }

    public SpeedSettings withThresholds(BigInteger p, BigInteger d, BigInteger step) {
        return new SpeedSettings(askPerGiB, paidSlots, p, d, step, confirmationThreshold, noticeTimeout, proofAckTimeout);
    }

    public SpeedSettings withProofAckTimeout(Duration timeout) {
        return new SpeedSettings(askPerGiB, paidSlots, paymentThreshold, disconnectThreshold, receiptStep, confirmationThreshold, noticeTimeout,
                timeout);
    }
}
