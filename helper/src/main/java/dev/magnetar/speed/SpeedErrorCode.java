package dev.magnetar.speed;

import java.util.Optional;

/** The {@code error} codes of protocol-spec/speed-extension.md §4.4, each with the rule that raises it. */
public enum SpeedErrorCode {
    MALFORMED(1),
    WRONG_NETWORK(2),
    WRONG_TORRENT(3),
    WRONG_PARTIES(4),
    BAD_SIGNATURE(5),
    STALE_SEQUENCE(6),
    NOT_MONOTONIC(7),
    BYTES_NOT_SERVED(8),
    AMOUNT_TOO_LOW(9),
    PRICE_REFUSED(10),
    PAYMENT_NOT_FOUND(20),
    PAYMENT_FAILED(21),
    PAYMENT_WRONG_TRANSFER(22),
    PAYMENT_WRONG_SENDER(23),
    PAYMENT_TOO_SMALL(24),
    PAYMENT_ALREADY_CREDITED(25),
    UNSUPPORTED_PROOF(26),
    TOO_MANY_PENDING(27),
    DEBT_LIMIT(30);

    private final int code;

    SpeedErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
