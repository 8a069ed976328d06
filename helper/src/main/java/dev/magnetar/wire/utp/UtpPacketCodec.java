package dev.magnetar.wire.utp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Reads and writes uTP packets (BEP 29). Header, big-endian:
 * <pre>
 * type(4 bits) version(4) | extension(8) | connection_id(16)
 * timestamp_microseconds(32)
 * timestamp_difference_microseconds(32)
 * wnd_size(32)
 * seq_nr(16) | ack_nr(16)
 * then extensions: next_extension(8) len(8) len bytes … (a chain ending in 0), then the payload.
 * </pre>
 * Unknown extensions are skipped as BEP 29 asks (libtorrent's close reason, 3, among them); only
 * extension 1, the selective ack, is read.
 */
public final class UtpPacketCodec {

    public static final int HEADER_BYTES = 20;
    public static final int VERSION = 1;
    static final int EXTENSION_SELECTIVE_ACK = 1;
    /**
     * The largest datagram accepted; a longer one is dropped before it is looked at. Peers keep uTP
     * packets to about one Ethernet frame (libtorrent reads each datagram into a buffer that long, and we
     * send at most 1,472 bytes), so this leaves room for paths with a larger MTU while letting a datagram
     * and its receive buffer stay small (see {@code UtpMultiplexer.DATAGRAM_SLOT_BYTES}). A peer whose MTU
     * probe is longer sees it lost and settles below, which is what probing is for. KRPC, which shares the
     * socket, bounds its datagrams at 4,096 bytes.
     */
    public static final int MAX_DATAGRAM_BYTES = 4_095;
    private UtpPacketCodec() {}

    /**
     * Whether a datagram's first byte is a uTP type with version 1 (0x01, 0x11, 0x21, 0x31, 0x41). This
     * is what tells uTP apart from KRPC on the shared UDP port: a bencoded KRPC message starts with 'd'
     * (0x64), which has version nibble 4.
     */
    public static boolean looksLikeUtp(ByteBuf datagram) {
        if (!datagram.isReadable()) {
            return false;
        }
        int first = datagram.getUnsignedByte(datagram.readerIndex());
        return (first & 0x0F) == VERSION && UtpType.ofCode(first >> 4) != null;
    }

    public static UtpPacket decode(ByteBuf in) throws UtpDecodeException {
        int length = in.readableBytes();
        if (length > MAX_DATAGRAM_BYTES) {
            throw new UtpDecodeException("datagram of " + length + " bytes is larger than any uTP packet");
        }
        if (length < HEADER_BYTES) {
            throw new UtpDecodeException("datagram of " + length + " bytes is shorter than the uTP header");
        }
        int first = in.readUnsignedByte();
        if ((first & 0x0F) != VERSION) {
            throw new UtpDecodeException("uTP version " + (first & 0x0F) + " is not 1");
        }
        UtpType type = UtpType.ofCode(first >> 4);
        if (type == null) {
            throw new UtpDecodeException("uTP packet type " + (first >> 4) + " is undefined");
        }
        int extension = in.readUnsignedByte();
        int connectionId = in.readUnsignedShort();
        int timestamp = in.readInt();
        int timestampDifference = in.readInt();
        int window = in.readInt();
        int seq = in.readUnsignedShort();
        int ack = in.readUnsignedShort();
        byte[] selectiveAck = null;
        while (extension != 0) {
            if (in.readableBytes() < 2) {
                throw new UtpDecodeException("uTP extension header is truncated");
            }
            int next = in.readUnsignedByte();
            int extensionLength = in.readUnsignedByte();
            if (in.readableBytes() < extensionLength) {
                throw new UtpDecodeException("uTP extension " + extension + " claims " + extensionLength
                        + " bytes, " + in.readableBytes() + " left");
            }
            if (extension == EXTENSION_SELECTIVE_ACK && extensionLength > 0) {
                // BEP 29 asks for a multiple of 4 bytes, but libtorrent sends (packets held + 7) / 8 bytes,
                // up to what its MTU leaves: any length the one-byte field can say is read.
                selectiveAck = new byte[extensionLength];
                in.readBytes(selectiveAck);
            } else {
                in.skipBytes(extensionLength); // BEP 29: skip extensions we do not know
            }
            extension = next;
        }
        byte[] payload = UtpPacket.NO_PAYLOAD;
        if (in.isReadable()) {
            if (type != UtpType.DATA) {
                throw new UtpDecodeException("uTP " + type + " packet carries " + in.readableBytes() + " bytes of payload");
            }
            payload = new byte[in.readableBytes()];
            in.readBytes(payload);
        }
        return new UtpPacket(type, connectionId, timestamp, timestampDifference, window, seq, ack, selectiveAck, payload);
    }

    public static ByteBuf encode(UtpPacket p, ByteBufAllocator alloc) {
        int sackBytes = p.selectiveAck() == null ? 0 : 2 + p.selectiveAck().length;
        ByteBuf out = alloc.ioBuffer(HEADER_BYTES + sackBytes + p.payload().length);
        out.writeByte(p.type().code() << 4 | VERSION);
        out.writeByte(p.selectiveAck() == null ? 0 : EXTENSION_SELECTIVE_ACK);
        out.writeShort(p.connectionId());
        out.writeInt(p.timestampMicros());
        out.writeInt(p.timestampDifferenceMicros());
        out.writeInt(p.windowSize());
        out.writeShort(p.seqNr());
        out.writeShort(p.ackNr());
        if (p.selectiveAck() != null) {
            out.writeByte(0);
            out.writeByte(p.selectiveAck().length);
            out.writeBytes(p.selectiveAck());
        }
        out.writeBytes(p.payload());
        return out;
    }
}
