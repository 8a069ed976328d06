package dev.magnetar.approval;

/** The spend gate said no; {@link #reason()} says why, the message says what the user can do. */
public final class SpendRefusedException extends ApprovalException {

    public enum Reason {
        NO_BUDGET, PENDING, REJECTED, EXPIRED, REVOKED, REPLACED, EXHAUSTED,
        WRONG_PURPOSE, WRONG_TORRENT, WRONG_NETWORK, WRONG_TOKEN, WRONG_RECIPIENT,
        INVALID_AMOUNT, OVER_REMAINING
    }

    private final Reason reason;

    public SpendRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
