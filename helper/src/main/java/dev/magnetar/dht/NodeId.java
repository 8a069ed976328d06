package dev.magnetar.dht;

import dev.magnetar.metainfo.InfoHash;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 160-bit DHT node id or lookup target (BEP 5). Closeness is the XOR metric: the distance between two
 * ids is their XOR read as an unsigned 160-bit integer.
 */
public final class NodeId implements Comparable<NodeId> {

    public static final int LENGTH = 20;
    public static final int BITS = LENGTH * 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies 20 bytes; any other length is a programming error here (the codec checks peers' input). */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id is 20 bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** The lookup target for an info-hash: the same 160-bit space (BEP 5). */
    public static NodeId of(InfoHash infoHash) {
        return new NodeId(infoHash.bytes());
    }

    public static NodeId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new NodeId(b);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Bit {@code i} counting from the most significant bit of byte 0. */
    public boolean bit(int i) {
        return (bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0;
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /**
     * Orders {@code a} and {@code b} by their distance to this id: negative when {@code a} is closer.
     * Compares byte by byte without allocating, since lookups sort often.
     */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /**
     * A random id that shares exactly the first {@code prefixLength} bits with this one and differs in
     * the next: a target inside the bucket at that depth, for bucket refresh (BEP 5).
     */
    public NodeId randomWithPrefix(int prefixLength) {
        if (prefixLength < 0 || prefixLength >= BITS) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        byte[] r = new byte[LENGTH];
        RANDOM.nextBytes(r);
        for (int i = 0; i < prefixLength; i++) {
            setBit(r, i, bit(i));
        }
        setBit(r, prefixLength, !bit(prefixLength));
        return new NodeId(r);
    }

    private static void setBit(byte[] b, int i, boolean value) {
        int mask = 0x80 >>> (i & 7);
        if (value) {
            b[i >>> 3] |= (byte) mask;
        } else {
            b[i >>> 3] &= (byte) ~mask;
        }
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Unsigned numeric order of the ids themselves (not a distance). */
    @Override
    public int compareTo(NodeId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
