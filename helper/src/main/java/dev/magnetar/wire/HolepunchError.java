package dev.magnetar.wire;

/** BEP 55's error codes, as a relay sends them back to the initiator of a rendezvous. */
public enum HolepunchError {
    /** The target endpoint is invalid. */
    NO_SUCH_PEER(1),
    /** The relay is not connected to the target. */
    NOT_CONNECTED(2),
    /** The target does not support the holepunch extension. */
    NO_SUPPORT(3),
    /** The target is the relay itself. */
    NO_SELF(4);

    public final int code;

    HolepunchError(int code) {
        this.code = code;
    }

    /** The error for a code, or null for one BEP 55 does not define. */
    public static HolepunchError of(long code) {
        for (HolepunchError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return null;
    }
}
