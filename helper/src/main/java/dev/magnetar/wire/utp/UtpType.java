package dev.magnetar.wire.utp;

/** The five uTP packet types, numbered as on the wire (BEP 29, the high nibble of the first byte). */
public enum UtpType {
    /** Payload; consumes a sequence number. */
    DATA,
    /** The sender has no more data; consumes a sequence number (its seq_nr is the last of the stream). */
    FIN,
    /** A bare acknowledgement; does not consume a sequence number. */
    STATE,
    /** Hard close: the connection is gone at once. */
    RESET,
    /** Opens a connection; consumes a sequence number. */
    SYN;

    private static final UtpType[] BY_CODE = values();

    int code() {
        return ordinal();
    }

    /** The type for a wire code, or null for a code BEP 29 does not define. */
    static UtpType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
