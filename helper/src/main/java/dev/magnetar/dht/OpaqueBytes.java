package dev.magnetar.dht;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bytes a KRPC peer chose and we only hand back ({@link Token}, {@link TransactionId}): immutable,
 * compared by content, shown in hex. Each kind is its own subclass so the two can never be mixed up;
 * a token never equals a transaction id with the same bytes.
 */
abstract class OpaqueBytes {

    private final byte[] bytes;

    /** Takes {@code bytes} as is: callers pass a fresh or cloned array. */
    OpaqueBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    public final byte[] bytes() {
        return bytes.clone();
    }

    public final int length() {
        return bytes.length;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((OpaqueBytes) o).bytes);
    }

    @Override
    public final int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public final String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
