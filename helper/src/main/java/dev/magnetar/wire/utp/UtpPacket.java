package dev.magnetar.wire.utp;

import java.util.Arrays;

/**
 * One uTP packet (BEP 29): the 20-byte header, the selective-ack extension when present, and the
 * payload. Numbers are held as Java ints with the wire's widths: {@code connectionId}, {@code seqNr}
 * and {@code ackNr} are 16-bit, the timestamps and {@code windowSize} 32-bit unsigned (kept in an
 * int's bits; compare them with the helpers in {@link SequenceNumbers}).
 *
 * @param selectiveAck BEP 29 extension 1: bit {@code i} (least significant bit of byte 0 first) says
 *     packet {@code ackNr + 2 + i} arrived; null when the packet carries none
 * @param payload the data of a {@link UtpType#DATA} packet (empty for the others)
 */
public record UtpPacket(UtpType type, int connectionId, int timestampMicros, int timestampDifferenceMicros,
                        int windowSize, int seqNr, int ackNr, byte[] selectiveAck, byte[] payload) {

    public static final byte[] NO_PAYLOAD = new byte[0];

    public UtpPacket {
        connectionId &= 0xFFFF;
        seqNr &= 0xFFFF;
        ackNr &= 0xFFFF;
        if (selectiveAck != null && (selectiveAck.length == 0 || selectiveAck.length > 255)) {
            throw new IllegalArgumentException("a selective ack has 1 to 255 bytes, got " + selectiveAck.length);
        }
        if (payload == null) {
            payload = NO_PAYLOAD;
        }
    }

    /** Whether the selective ack says packet {@code seq} arrived. */
    public boolean selectivelyAcks(int seq) {
        if (selectiveAck == null) {
            return false;
        }
        int bit = SequenceNumbers.distance(ackNr + 2, seq);
        return bit >= 0 && bit < selectiveAck.length * 8 && (selectiveAck[bit >> 3] & (1 << (bit & 7))) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UtpPacket p && type == p.type && connectionId == p.connectionId
                && timestampMicros == p.timestampMicros && timestampDifferenceMicros == p.timestampDifferenceMicros
                && windowSize == p.windowSize && seqNr == p.seqNr && ackNr == p.ackNr
                && Arrays.equals(selectiveAck, p.selectiveAck) && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return ((type.hashCode() * 31 + connectionId) * 31 + seqNr) * 31 + ackNr;
    }

    @Override
    public String toString() {
        return type + "[conn " + connectionId + " seq " + seqNr + " ack " + ackNr + " wnd " + Integer.toUnsignedString(windowSize)
                + (selectiveAck != null ? " sack " + selectiveAck.length * 8 : "") + " " + payload.length + " B]";
    }
}
