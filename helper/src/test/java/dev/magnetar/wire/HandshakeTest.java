package dev.magnetar.wire;

import static dev.magnetar.wire.WireFixtures.INFO_HASH;
import static dev.magnetar.wire.WireFixtures.peerId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.wire.PeerProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void reservedBitHelpersReadTheBepBits() {
        Handshake all = Handshake.of(INFO_HASH, peerId("-MG0001"), true, true, true);
        assertEquals("0000000000100005", HexFormat.of().formatHex(all.reserved()));
        assertTrue(all.supportsFast());
        assertTrue(all.supportsExtensions());
        assertTrue(all.supportsDht());
        Handshake none = Handshake.of(INFO_HASH, peerId("-MG0001"), false, false, false);
        assertFalse(none.supportsFast() || none.supportsExtensions() || none.supportsDht());
        // libtorrent's usual reserved bytes: extension protocol, fast, DHT and its own bits.
        Handshake lt = new Handshake(HexFormat.of().parseHex("0000000000100005"), INFO_HASH, peerId("-LT2080"));
        assertTrue(lt.supportsFast() && lt.supportsExtensions() && lt.supportsDht());
    }

    @Test
    void v2BitIsBep52sBitOfTheLastReservedByte() {
        Handshake v2 = Handshake.of(INFO_HASH, peerId("-MG0001"), true, true, true, true);
        assertEquals("0000000000100015", HexFormat.of().formatHex(v2.reserved()));
        assertTrue(v2.supportsV2());
        assertFalse(Handshake.of(INFO_HASH, peerId("-MG0001"), true, true, true).supportsV2(), "v1 torrents do not set it");
        // libtorrent does not set the bit on a connection made with the v2 info-hash: ours decides.
        Handshake ltByV2Hash = Handshake.of(INFO_HASH, peerId("-LT2080"), true, true, true);
        assertTrue(new PeerHandshakeCompleted(v2, ltByV2Hash, true).v2());
        assertFalse(new PeerHandshakeCompleted(ltByV2Hash, v2, false).v2(), "a v1 torrent of ours never speaks v2");
    }

    @Test
    void encodesTo68BytesAndDecodesBack() {
        Handshake h = Handshake.of(INFO_HASH, peerId("-MG0001"), true, true, false);
        ByteBuf buf = Unpooled.buffer();
        HandshakeEncoder.write(h, buf);
        assertEquals(Handshake.LENGTH, buf.readableBytes());
        assertEquals(19, buf.getByte(0));
        assertEquals("BitTorrent protocol", buf.toString(1, 19, StandardCharsets.US_ASCII));

        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeDecoder());
        // One byte at a time: the decoder must wait for all 68.
        while (buf.isReadable()) {
            ch.writeInbound(buf.readRetainedSlice(1));
        }
        buf.release();
        assertEquals(h, ch.readInbound());
        assertTrue(ch.isOpen());
    }

    @Test
    void encoderInAPipelineWritesTheSameBytes() {
        Handshake h = Handshake.of(INFO_HASH, peerId("-MG0001"), true, false, false);
        EmbeddedChannel ch = new EmbeddedChannel(HandshakeEncoder.INSTANCE);
        ch.writeOutbound(h);
        ByteBuf out = ch.readOutbound();
        ByteBuf expected = Unpooled.buffer();
        HandshakeEncoder.write(h, expected);
        assertEquals(expected, out);
        out.release();
        expected.release();
    }

    @Test
    void decoderStopsAfterOneHandshakeAndLeavesTheRest() {
        Handshake h = Handshake.of(INFO_HASH, peerId("-MG0001"), true, false, false);
        ByteBuf buf = Unpooled.buffer();
        HandshakeEncoder.write(h, buf);
        buf.writeBytes(new byte[] {0, 0, 0, 0}); // a keep-alive right behind it
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeDecoder());
        ch.writeInbound(buf);
        assertEquals(h, ch.readInbound());
        assertNull(ch.readInbound(), "the bytes after the handshake are not the handshake decoder's to decode");
    }

    @Test
    void wrongProtocolLengthFailsOnTheFirstByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeDecoder());
        PeerProtocolException e = assertThrows(PeerProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer("GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(Violation.BAD_HANDSHAKE, e.violation());
        assertFalse(ch.isOpen());
    }

    @Test
    void wrongProtocolStringFailsBeforeTheRestArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeDecoder());
        byte[] start = new byte[20];
        start[0] = 19;
        System.arraycopy("BitTorrent protocoL".getBytes(StandardCharsets.US_ASCII), 0, start, 1, 19);
        PeerProtocolException e = assertThrows(PeerProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(start)));
        assertEquals(Violation.BAD_HANDSHAKE, e.violation());
        assertFalse(ch.isOpen());
    }

    @Test
    void recordDefendsItsArrays() {
        byte[] id = peerId("-MG0001");
        Handshake h = new Handshake(new byte[8], INFO_HASH, id);
        id[0] = 'X';
        h.peerId()[1] = 'Y';
        assertArrayEquals(peerId("-MG0001"), h.peerId());
        assertThrows(IllegalArgumentException.class, () -> new Handshake(new byte[7], INFO_HASH, peerId("x")));
        assertThrows(IllegalArgumentException.class, () -> new Handshake(new byte[8], INFO_HASH, new byte[19]));
    }
}
