package dev.magnetar.wire.utp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UtpPacketCodecTest {

    private static UtpPacket roundTrip(UtpPacket p) throws UtpDecodeException {
        ByteBuf b = UtpPacketCodec.encode(p, Unpooled.buffer().alloc());
        try {
            return UtpPacketCodec.decode(b);
        } finally {
            b.release();
        }
    }

    @Test
    void synHeaderHasTheByteLayoutOfBep29() {
        UtpPacket syn = new UtpPacket(UtpType.SYN, 0x1234, 0x01020304, 0, 0x00100000, 1, 0, null, null);
        ByteBuf b = UtpPacketCodec.encode(syn, Unpooled.buffer().alloc());
        assertEquals("41001234" + "01020304" + "00000000" + "00100000" + "0001" + "0000", ByteBufUtil.hexDump(b));
        b.release();
    }

    @Test
    void dataWithSelectiveAckSurvivesARoundTrip() throws Exception {
        byte[] sack = {0b101, 0, 0, (byte) 0x80};
        UtpPacket p = new UtpPacket(UtpType.DATA, 65535, -5, 123_456, -1, 65535, 7, sack,
                "hello".getBytes(StandardCharsets.US_ASCII));
        UtpPacket back = roundTrip(p);
        assertEquals(p, back);
        assertTrue(back.selectivelyAcks(9));   // bit 0: ack + 2
        assertFalse(back.selectivelyAcks(10)); // bit 1
        assertTrue(back.selectivelyAcks(11));  // bit 2
        assertTrue(back.selectivelyAcks(7 + 2 + 31));
        assertFalse(back.selectivelyAcks(8));
    }

    @Test
    void selectiveAckWrapsAroundTheSequenceSpace() {
        UtpPacket p = new UtpPacket(UtpType.STATE, 1, 0, 0, 0, 0, 65534, new byte[] {1, 0, 0, 0}, null);
        assertTrue(p.selectivelyAcks(0)); // 65534 + 2 wraps to 0
    }

    @Test
    void aSelectiveAckWhoseLengthIsNoMultipleOfFourIsReadAsLibtorrentSendsIt() throws Exception {
        // libtorrent sizes its selective ack to the packets it holds, (span + 7) / 8 bytes, although BEP 29
        // asks for a multiple of 4; dropping such packets dropped every ack and request it sent after a loss.
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x21).writeByte(1).writeShort(9).writeInt(1).writeInt(2).writeInt(3).writeShort(4).writeShort(100);
        b.writeByte(0).writeByte(5).writeBytes(new byte[] {0b10, 0, 0, 0, (byte) 0x80});
        UtpPacket p = UtpPacketCodec.decode(b);
        assertEquals(UtpType.STATE, p.type());
        assertFalse(p.selectivelyAcks(102));
        assertTrue(p.selectivelyAcks(103));
        assertTrue(p.selectivelyAcks(102 + 39));
        assertFalse(p.selectivelyAcks(102 + 40));
    }

    @Test
    void theLongestSelectiveAckTheLengthByteAllowsIsRead() throws Exception {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x21).writeByte(1).writeShort(9).writeInt(1).writeInt(2).writeInt(3).writeShort(4).writeShort(0);
        byte[] sack = new byte[255];
        sack[254] = (byte) 0x80;
        b.writeByte(0).writeByte(255).writeBytes(sack);
        UtpPacket p = UtpPacketCodec.decode(b);
        assertTrue(p.selectivelyAcks(2 + 255 * 8 - 1));
        assertFalse(p.selectivelyAcks(2 + 255 * 8 - 2));
    }

    @Test
    void unknownExtensionsAreSkipped() throws Exception {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x01).writeByte(7).writeShort(9).writeInt(1).writeInt(2).writeInt(3).writeShort(4).writeShort(5);
        b.writeByte(0).writeByte(3).writeBytes(new byte[] {1, 2, 3});
        b.writeBytes("xy".getBytes(StandardCharsets.US_ASCII));
        UtpPacket p = UtpPacketCodec.decode(b);
        assertEquals(UtpType.DATA, p.type());
        assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), p.payload());
    }

    @Test
    void malformedDatagramsAreRefusedWithTheReason() {
        assertEquals("datagram of 19 bytes is shorter than the uTP header",
                assertThrows(UtpDecodeException.class, () -> UtpPacketCodec.decode(Unpooled.wrappedBuffer(new byte[19]))).getMessage());
        byte[] v2 = new byte[20];
        v2[0] = 0x02;
        assertThrows(UtpDecodeException.class, () -> UtpPacketCodec.decode(Unpooled.wrappedBuffer(v2)));
        byte[] type9 = new byte[20];
        type9[0] = (byte) 0x91;
        assertThrows(UtpDecodeException.class, () -> UtpPacketCodec.decode(Unpooled.wrappedBuffer(type9)));
        byte[] truncatedExtension = new byte[21];
        truncatedExtension[0] = 0x21;
        truncatedExtension[1] = 1;
        assertThrows(UtpDecodeException.class, () -> UtpPacketCodec.decode(Unpooled.wrappedBuffer(truncatedExtension)));
        byte[] stateWithPayload = new byte[30];
        stateWithPayload[0] = 0x21;
        assertThrows(UtpDecodeException.class, () -> UtpPacketCodec.decode(Unpooled.wrappedBuffer(stateWithPayload)));
        assertThrows(UtpDecodeException.class,
                () -> UtpPacketCodec.decode(Unpooled.wrappedBuffer(new byte[UtpPacketCodec.MAX_DATAGRAM_BYTES + 1])));
    }

    @Test
    void krpcIsNotMistakenForUtp() {
        assertFalse(UtpPacketCodec.looksLikeUtp(Unpooled.copiedBuffer("d1:ad2:id20:", StandardCharsets.US_ASCII)));
        assertFalse(UtpPacketCodec.looksLikeUtp(Unpooled.EMPTY_BUFFER));
        for (int first : new int[] {0x01, 0x11, 0x21, 0x31, 0x41}) {
            assertTrue(UtpPacketCodec.looksLikeUtp(Unpooled.wrappedBuffer(new byte[] {(byte) first})));
        }
        assertFalse(UtpPacketCodec.looksLikeUtp(Unpooled.wrappedBuffer(new byte[] {0x51})));
    }

    @Test
    void sequenceNumbersCompareAcrossTheWrap() {
        assertTrue(SequenceNumbers.before(65535, 0));
        assertFalse(SequenceNumbers.before(0, 65535));
        assertEquals(2, SequenceNumbers.distance(65535, 1));
        assertEquals(0, SequenceNumbers.next(65535));
    }
}
