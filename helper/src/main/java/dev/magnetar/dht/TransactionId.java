package dev.magnetar.dht;

/**
 * The KRPC "t" value (BEP 5): opaque bytes chosen by the querier and echoed in the reply. Usually two
 * bytes; other clients may use any short string, so the codec accepts up to a small bound.
 */
public final class TransactionId extends OpaqueBytes {

    private TransactionId(byte[] bytes) {
        super(bytes);
    }

    public static TransactionId of(byte[] bytes) {
        return new TransactionId(bytes.clone());
    }

    /** The two-byte form used for our own queries. */
    public static TransactionId ofShort(int value) {
        return new TransactionId(new byte[] {(byte) (value >>> 8), (byte) value});
    }
}
