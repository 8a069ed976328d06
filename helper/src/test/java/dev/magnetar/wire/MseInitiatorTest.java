package dev.magnetar.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Our initiator against our responder over an in-memory wire, and against a peer that does not speak
 * MSE. Against libtorrent, RC4 included (our responder always picks plain text when offered, and we
 * always offer it), in {@code LibtorrentInteropTest}.
 */
class MseInitiatorTest {

    private static final byte[] INFO_HASH = WireFixtures.INFO_HASH.bytes();
    private static final byte[] OUR_HANDSHAKE = "our BEP 3 handshake, 68 bytes in real life".getBytes();

    /** Sends what {@code from} wrote to {@code to}; whether there was anything. */
    private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
        boolean any = false;
        for (ByteBuf b; (b = from.readOutbound()) != null; ) {
            any = true;
            to.writeInbound(b);
        }
        return any;
    }

    private static void exchange(EmbeddedChannel a, EmbeddedChannel b) {
        for (int i = 0; i < 20 && (carry(a, b) | carry(b, a)); i++) {
            // until both sides are quiet
        }
    }

    private final BytesRecorder dialler = new BytesRecorder();
    private final BytesRecorder answerer = new BytesRecorder();

    private EmbeddedChannel dial() {
        // The handshake handler writes ours as the channel becomes active; here the test writes it.
        EmbeddedChannel a = new EmbeddedChannel(new MseInitiator(INFO_HASH, new SecureRandom()), dialler);
        a.writeAndFlush(Unpooled.wrappedBuffer(OUR_HANDSHAKE));
        return a;
    }

    private EmbeddedChannel answer() {
        MseResponder responder = new MseResponder(
                req2 -> MessageDigest.isEqual(req2, MseResponder.req2(INFO_HASH)) ? INFO_HASH : null, new SecureRandom());
        return new EmbeddedChannel(responder, answerer);
    }

    @Test
    void ourInitiatorAndResponderAgreeOnPlainTextAndCarryTheHandshakeAsIa() {
        EmbeddedChannel a = dial();
        EmbeddedChannel b = answer();
        exchange(a, b);
        assertArrayEquals(OUR_HANDSHAKE, answerer.bytes.toByteArray(), "IA arrived as the first bytes");
        assertNull(a.pipeline().get(MseInitiator.class), "the initiator left");
        assertNull(a.pipeline().get(WirePipeline.RC4), "plain text chosen");

        b.writeAndFlush(Unpooled.wrappedBuffer("their handshake".getBytes()));
        a.writeAndFlush(Unpooled.wrappedBuffer("interested".getBytes()));
        exchange(a, b);
        assertEquals("their handshake", dialler.bytes.toString());
        assertEquals(new String(OUR_HANDSHAKE) + "interested", answerer.bytes.toString());
        assertNull(dialler.error);
        assertNull(answerer.error);
    }

    @Test
    void whatThePeerSendsRightAfterItsChoiceGoesOnInTheSameRead() {
        EmbeddedChannel a = dial();
        EmbeddedChannel b = answer();
        carry(a, b); // Ya
        carry(b, a); // Yb, PadB
        carry(a, b); // the offer with IA; b answers and hands IA on
        byte[] bitfield = new byte[64 * 1024]; // a big torrent's bitfield, right behind the choice
        bitfield[bitfield.length - 1] = 42;
        b.writeAndFlush(Unpooled.wrappedBuffer(bitfield));
        ByteBuf oneRead = Unpooled.buffer();
        for (ByteBuf x; (x = b.readOutbound()) != null; ) {
            oneRead.writeBytes(x);
            x.release();
        }
        a.writeInbound(oneRead);
        assertArrayEquals(bitfield, dialler.bytes.toByteArray());
        assertNull(dialler.error);
    }

    @Test
    void aPeerWithoutMseGetsNoHandshakeAndIsLeftOnError() {
        EmbeddedChannel a = dial();
        ByteBuf ya = a.readOutbound();
        assertEquals(true, ya.readableBytes() >= MseCrypto.KEY_BYTES, "Ya (and PadA) went out first");
        ya.release();
        assertNull(a.readOutbound(), "our plain handshake is held back, not leaked unencrypted");
        byte[] plainPeer = new byte[MseCrypto.KEY_BYTES + 600]; // a plain peer's handshake and messages
        plainPeer[MseCrypto.KEY_BYTES - 1] = 5; // a public key that is at least in range
        a.writeInbound(Unpooled.wrappedBuffer(plainPeer));
        PeerProtocolException e = assertInstanceOf(PeerProtocolException.class, dialler.error);
        assertEquals(PeerProtocolException.Violation.BAD_ENCRYPTED_HANDSHAKE, e.violation());
        assertFalse(a.isOpen());
        ByteBuf offer = a.readOutbound();
        assertNotNull(offer, "the offer went out once Yb was read");
        offer.release();
        assertEquals(0, dialler.bytes.size());
    }
}
