package dev.magnetar.wire;

import static dev.magnetar.wire.WireFixtures.decoderChannel;
import static dev.magnetar.wire.WireFixtures.drainInbound;
import static dev.magnetar.wire.WireFixtures.encode;
import static dev.magnetar.wire.WireFixtures.everyMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.wire.PeerMessage.Have;
import dev.magnetar.wire.PeerMessage.InboundPiece;
import dev.magnetar.wire.PeerMessage.Piece;
import dev.magnetar.wire.PeerMessage.Request;
import dev.magnetar.wire.PeerProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerMessageCodecTest {

    private static final WireOptions OPTIONS = WireOptions.defaults();

    @Test
    void everyMessageSurvivesEncoderThenDecoder() {
        EmbeddedChannel sender = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        EmbeddedChannel receiver = decoderChannel(OPTIONS);
        for (PeerMessage m : everyMessage()) {
            assertTrue(sender.writeOutbound(m));
            ByteBuf wire = sender.readOutbound();
            receiver.writeInbound(wire);
            assertEquals(m, WireFixtures.asValue(receiver.readInbound()), "round trip of " + m);
        }
        assertTrue(receiver.isOpen());
        assertFalse(sender.finish());
        assertFalse(receiver.finish());
    }

    @Test
    void writesTheBep3ByteLayout() {
        // BEP 3 request: <len=0013><id=6><index><begin><length>
        assertEquals("0000000d06000000010000400000004000",
                HexFormat.of().formatHex(encode(List.of(new Request(1, 16384, 16384)))));
        assertEquals("00000000", HexFormat.of().formatHex(encode(List.of(new PeerMessage.KeepAlive()))));
        assertEquals("000000050400000102", HexFormat.of().formatHex(encode(List.of(new PeerMessage.Have(258)))));
        assertEquals("000000030900c8", HexFormat.of().formatHex(encode(List.of(new PeerMessage.Port(200)))));
        assertEquals("000000010e", HexFormat.of().formatHex(encode(List.of(new PeerMessage.HaveAll()))));
    }

    @Test
    void pieceBlockIsWrappedNotCopied() {
        EmbeddedChannel sender = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        byte[] block = {1, 2, 3, 4};
        sender.writeOutbound(new Piece(0, 0, block));
        ByteBuf wire = sender.readOutbound();
        CompositeByteBuf composite = assertInstanceOf(CompositeByteBuf.class, wire);
        block[0] = 42; // visible through the wrapped component: proof that no copy was made
        assertEquals(42, composite.getByte(13));
        assertEquals(13 + 4, composite.readableBytes());
        wire.release();
    }

    @Test
    void oneByteAtATimeDecodesTheSame() {
        byte[] stream = encode(everyMessage());
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        for (byte b : stream) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(everyMessage(), drainInbound(ch));
    }

    @Test
    void oversizeFrameIsRefusedAsSoonAsTheLengthArrives() {
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        // 4 bytes of length prefix only: the decoder must not wait for (or buffer) the announced body.
        PeerProtocolException e = assertThrows(PeerProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x10, 0x00, 0x0e})));
        assertEquals(Violation.FRAME_TOO_LONG, e.violation());
        assertFalse(ch.isOpen());
    }

    @Test
    void maxFrameLengthIsConfigurable() {
        WireOptions small = OPTIONS.withMaxBlockLength(16 * 1024).withMaxFrameLength(16 * 1024 + 13);
        EmbeddedChannel ok = decoderChannel(small);
        ok.writeInbound(Unpooled.wrappedBuffer(encode(List.of(new Piece(0, 0, new byte[16 * 1024])))));
        assertInstanceOf(InboundPiece.class, ok.readInbound()).release();

        EmbeddedChannel tooBig = decoderChannel(small);
        PeerProtocolException e = assertThrows(PeerProtocolException.class, () -> tooBig.writeInbound(
                Unpooled.wrappedBuffer(encode(List.of(new PeerMessage.BitfieldMessage(new byte[16 * 1024 + 13]))))));
        assertEquals(Violation.FRAME_TOO_LONG, e.violation());
    }

    @Test
    void fixedSizeMessagesWithTheWrongLengthAreMalformed() {
        String[] frames = {
            "0000000604000000010a", // have with 5 payload bytes (BEP 3: exactly 4)
            "0000000200ff", // choke with a payload
            "0000000c06000000000000000000000040", // request 11 payload bytes instead of 12
            "000000020900", // port with 1 byte (BEP 5: 2)
            "00000009070000000000000000", // piece with no block
            "0000000114", // extended without the extended id
        };
        for (String hex : frames) {
            EmbeddedChannel ch = decoderChannel(OPTIONS);
            PeerProtocolException e = assertThrows(PeerProtocolException.class,
                    () -> ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex))), hex);
            assertEquals(Violation.MALFORMED_MESSAGE, e.violation(), hex);
            assertFalse(ch.isOpen(), hex);
        }
    }

    @Test
    void wrongLengthIsRefusedBeforeTheBodyArrives() {
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        // A "have" announcing 1000 bytes: refused on the id byte, nothing is buffered for the body.
        assertThrows(PeerProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("000003e804"))));
        assertFalse(ch.isOpen());
    }

    @Test
    void requestLengthAboveTheBlockLimitOrZeroIsMalformed() {
        for (String length : new String[] {"00020001", "00000000", "ffffffff"}) {
            EmbeddedChannel ch = decoderChannel(OPTIONS);
            PeerProtocolException e = assertThrows(PeerProtocolException.class, () -> ch.writeInbound(
                    Unpooled.wrappedBuffer(HexFormat.of().parseHex("0000000d060000000000000000" + length))));
            assertEquals(Violation.MALFORMED_MESSAGE, e.violation());
        }
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0000000d06000000000000000000020000")));
        assertEquals(new Request(0, 0, 128 * 1024), ch.readInbound(), "128 KiB is still accepted");
    }

    @Test
    void pieceIndexBeyondTwoToTheThirtyOneIsMalformed() {
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        PeerProtocolException e = assertThrows(PeerProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0000000504ffffffff"))));
        assertEquals(Violation.MALFORMED_MESSAGE, e.violation());
    }

    @Test
    void unknownMessageIdsAreSkipped() {
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        byte[] unknown = HexFormat.of().parseHex("00000005" + "1e" + "01020304"); // id 30, 4 bytes
        byte[] have = encode(List.of(new Have(5)));
        ByteBuf in = Unpooled.wrappedBuffer(unknown, have);
        // Fed in two halves to exercise skipping across reads.
        ch.writeInbound(in.readRetainedSlice(7));
        ch.writeInbound(in);
        assertEquals(List.of(new Have(5)), drainInbound(ch));
        assertTrue(ch.isOpen());
    }

    @Test
    void fastMessagesWithoutTheFastExtensionCloseTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new PeerMessageDecoder(OPTIONS, false));
        PeerProtocolException e = assertThrows(PeerProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(encode(List.of(new PeerMessage.HaveAll())))));
        assertEquals(Violation.FAST_EXTENSION_NOT_NEGOTIATED, e.violation());
        assertFalse(ch.isOpen());
    }

    @Test
    void nothingAfterAViolationIsDecoded() {
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        byte[] bad = HexFormat.of().parseHex("0000000604000000010a");
        ByteBuf in = Unpooled.wrappedBuffer(encode(List.of(new Have(1))), bad, encode(List.of(new Have(2))));
        assertThrows(PeerProtocolException.class, () -> ch.writeInbound(in));
        assertEquals(List.of(new Have(1)), drainInbound(ch));
    }

    @Test
    void decodedBlockIsASliceOfTheReceivedBytesThatItsReceiverReleases() {
        ByteBuf in = Unpooled.buffer().writeBytes(encode(List.of(new Piece(1, 2, new byte[] {9, 8, 7}))));
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        ch.writeInbound(in);
        InboundPiece p = ch.readInbound();
        assertEquals(new Request(1, 2, 3), p.request());
        assertEquals(1, in.refCnt(), "the decoder is done with the bytes; only the block's slice holds them");
        in.setByte(13, 0);
        assertEquals(0, p.block().getByte(p.block().readerIndex()), "a view of the received bytes, not a copy");
        p.release();
        assertEquals(0, in.refCnt(), "releasing the block frees the received bytes");
        assertFalse(ch.finish());
    }
}
