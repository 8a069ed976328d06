package dev.magnetar.wire;

import dev.magnetar.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The BEP 3 handshake: {@code <19>"BitTorrent protocol"<8 reserved bytes><20-byte info-hash><20-byte
 * peer id>}, 68 bytes in all. The reserved bytes announce extensions; the helpers below read the bits
 * this client knows. An extension is in use only if <em>both</em> handshakes set its bit — see
 * {@link PeerHandshakeCompleted}.
 *
 * @param reserved the 8 reserved bytes (copied in and out)
 * @param infoHash which torrent the connection is about
 * @param peerId the sender's 20-byte peer id (copied in and out)
 */
public record Handshake(byte[] reserved, InfoHash infoHash, byte[] peerId) {

    /** BEP 3: the protocol string, preceded on the wire by its length byte (19). */
    public static final String PROTOCOL = "BitTorrent protocol";
    static final byte[] PROTOCOL_BYTES = PROTOCOL.getBytes(StandardCharsets.US_ASCII);
    public static final int RESERVED_LENGTH = 8;
    public static final int PEER_ID_LENGTH = 20;
    /** Total size on the wire: 1 + 19 + 8 + 20 + 20. */
    public static final int LENGTH = 1 + 19 + RESERVED_LENGTH + InfoHash.LENGTH + PEER_ID_LENGTH;

    public Handshake {
        Objects.requireNonNull(infoHash, "infoHash");
        if (reserved.length != RESERVED_LENGTH) {
            throw new IllegalArgumentException("reserved must be 8 bytes, got " + reserved.length);
        }
        if (peerId.length != PEER_ID_LENGTH) {
            throw new IllegalArgumentException("peer id must be 20 bytes, got " + peerId.length);
        }
        reserved = reserved.clone();
        peerId = peerId.clone();
    }

    /**
     * Our own handshake with the extension bits this client sets.
     *
     * @param fast BEP 6 fast extension
     * @param extensions BEP 10 extension protocol
     * @param dht BEP 5 DHT (we then send a Port message)
     */
    public static Handshake of(InfoHash infoHash, byte[] peerId, boolean fast, boolean extensions, boolean dht) {
        return of(infoHash, peerId, fast, extensions, dht, false);
    }

    /**
     * Like {@link #of(InfoHash, byte[], boolean, boolean, boolean)}, and with {@code v2} the BEP 52 bit
     * that says we can speak v2 for this torrent (send it for v2 and hybrid torrents only).
     */
    public static Handshake of(InfoHash infoHash, byte[] peerId, boolean fast, boolean extensions, boolean dht, boolean v2) {
        byte[] reserved = new byte[RESERVED_LENGTH];
        if (extensions) {
            reserved[5] |= 0x10; // BEP 10: the 20th bit from the right
        }
        if (fast) {
            reserved[7] |= 0x04; // BEP 6: reserved[7] |= 0x04
        }
        if (dht) {
            reserved[7] |= 0x01; // BEP 5: last bit of the last reserved byte
        }
        if (v2) {
            reserved[7] |= 0x10; // BEP 52: reserved_byte[7] |= 0x10
        }
        return new Handshake(reserved, infoHash, peerId);
    }

    /** This handshake as it would read for another swarm ({@code infoHash}), with the same bits and peer id. */
    public Handshake forSwarm(InfoHash other) {
        return new Handshake(reserved, other, peerId);
    }

    /** This handshake without BEP 52's bit. */
    public Handshake withoutV2() {
        byte[] r = reserved.clone();
        r[7] &= ~0x10;
        return new Handshake(r, infoHash, peerId);
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    /** BEP 6: {@code reserved[7] & 0x04}. */
    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    /** BEP 10: {@code reserved[5] & 0x10}. */
    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    /** BEP 5: {@code reserved[7] & 0x01}. */
    public boolean supportsDht() {
        return (reserved[7] & 0x01) != 0;
    }

    /** BEP 52: {@code reserved[7] & 0x10}, the peer can exchange v2 hashes for this torrent. */
    public boolean supportsV2() {
        return (reserved[7] & 0x10) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved) && infoHash.equals(h.infoHash)
                && Arrays.equals(peerId, h.peerId);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(reserved) + infoHash.hashCode()) + Arrays.hashCode(peerId);
    }

    @Override
    public String toString() {
        return "Handshake[reserved=" + HexFormat.of().formatHex(reserved) + ", infoHash=" + infoHash
                + ", peerId=" + printablePeerId() + "]";
    }

    /** The peer id with non-printable bytes as {@code .}; most clients start it with a readable tag. */
    public String printablePeerId() {
        StringBuilder s = new StringBuilder(PEER_ID_LENGTH);
        for (byte b : peerId) {
            s.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return s.toString();
    }
}
