package dev.magnetar.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.RC4Engine;
import org.junit.jupiter.api.Test;

/**
 * The responder against an initiator written here from the MSE spec (the real one, libtorrent's, is
 * in {@code LibtorrentInteropTest}): what reaches the next handler, what goes back, and hostile input.
 */
class MseResponderTest {

    private static final byte[] OUR_INFO_HASH = WireFixtures.INFO_HASH.bytes();
    private static final byte[] PLAIN_HANDSHAKE = plainHandshake();

    private static byte[] plainHandshake() {
        ByteBuf b = Unpooled.buffer();
        HandshakeEncoder.write(Handshake.of(WireFixtures.INFO_HASH, WireFixtures.peerId("them"), true, true, false), b);
        return ByteBufUtil.getBytes(b);
    }

    /** What the responder hands on, and whether something closed the channel with an error. */
    private final BytesRecorder downstream = new BytesRecorder();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    MseResponderTest() {
        channel.pipeline().addLast(WirePipeline.MSE, new MseResponder(
                req2 -> MessageDigest.isEqual(req2, MseResponder.req2(OUR_INFO_HASH)) ? OUR_INFO_HASH : null,
                new SecureRandom()));
        channel.pipeline().addLast(downstream);
    }

    /** Everything the responder has written so far. */
    private byte[] written() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            out.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        return out.toByteArray();
    }

    /** The initiator's side of the spec, step by step. */
    private final class Initiator {
        final BigInteger privateKey = MseCrypto.privateKey(new SecureRandom());
        byte[] secret;
        RC4Engine encrypt;
        RC4Engine decrypt;

        void sendPublicKey(int padBytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(MseCrypto.publicKey(privateKey), new byte[padBytes]));
        }

        /** Reads Yb (and PadB, which stays unread in the returned stream), computes S and the streams. */
        byte[] readPublicKey(byte[] skey) {
            byte[] reply = written();
            secret = MseCrypto.sharedSecret(Arrays.copyOf(reply, MseCrypto.KEY_BYTES), privateKey);
            encrypt = MseCrypto.stream("keyA", secret, skey);
            decrypt = MseCrypto.stream("keyB", secret, skey);
            return reply;
        }

        void sendOffer(byte[] skey, int provide, int padC, byte[] initialPayload) {
            ByteBuf offer = Unpooled.buffer();
            offer.writeBytes(MseCrypto.hash(MseCrypto.label("req1"), secret));
            byte[] masked = MseCrypto.hash(MseCrypto.label("req2"), skey);
            byte[] req3 = MseCrypto.hash(MseCrypto.label("req3"), secret);
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= req3[i];
            }
            offer.writeBytes(masked);
            ByteBuf plain = Unpooled.buffer();
            plain.writeZero(8).writeInt(provide).writeShort(padC).writeZero(padC).writeShort(initialPayload.length)
                    .writeBytes(initialPayload);
            offer.writeBytes(rc4(encrypt, ByteBufUtil.getBytes(plain)));
            channel.writeInbound(offer);
        }

        /** The responder's crypto_select, found by its encrypted VC after PadB as the spec says. */
        int readSelect() {
            byte[] stream = written();
            byte[] vc = rc4(decrypt, new byte[8]);
            for (int at = 0; at + 14 <= stream.length; at++) {
                if (Arrays.equals(Arrays.copyOfRange(stream, at, at + 8), vc)) {
                    byte[] rest = rc4(decrypt, Arrays.copyOfRange(stream, at + 8, at + 14));
                    assertEquals(0, ((rest[4] & 0xff) << 8) | (rest[5] & 0xff), "no PadD");
                    return rest[3];
                }
            }
            throw new AssertionError("no encrypted VC in the reply");
        }
    }

    private static byte[] rc4(RC4Engine stream, byte[] in) {
        byte[] out = new byte[in.length];
        stream.processBytes(in, 0, in.length, out, 0);
        return out;
    }

    @Test
    void aPlainHandshakePassesThroughUntouched() {
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(PLAIN_HANDSHAKE, 5)));
        assertEquals(0, downstream.bytes.size(), "undecided after 5 bytes that look plain");
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(PLAIN_HANDSHAKE, 5, PLAIN_HANDSHAKE.length)));
        assertArrayEquals(PLAIN_HANDSHAKE, downstream.bytes.toByteArray());
        assertNull(channel.pipeline().get(WirePipeline.MSE), "gone from the pipeline");
        assertEquals(0, written().length, "nothing sent");
    }

    @Test
    void aPlainPeersFirstReadOfAnySizeGoesOnWhole() {
        byte[] handshakeAndBitfield = Arrays.copyOf(PLAIN_HANDSHAKE, PLAIN_HANDSHAKE.length + 64 * 1024);
        handshakeAndBitfield[handshakeAndBitfield.length - 1] = 42;
        channel.writeInbound(Unpooled.wrappedBuffer(handshakeAndBitfield));
        assertArrayEquals(handshakeAndBitfield, downstream.bytes.toByteArray());
        assertNull(downstream.error);
    }

    @Test
    void anEncryptedHandshakeOfferingPlainTextGetsItAndHandsOnTheInitialPayload() {
        Initiator a = new Initiator();
        a.sendPublicKey(333);
        assertTrue(a.readPublicKey(OUR_INFO_HASH).length >= MseCrypto.KEY_BYTES, "Yb and PadB came back");
        a.sendOffer(OUR_INFO_HASH, MseCrypto.PLAINTEXT | MseCrypto.RC4, 17, PLAIN_HANDSHAKE);
        assertEquals(MseCrypto.PLAINTEXT, a.readSelect());
        assertArrayEquals(PLAIN_HANDSHAKE, downstream.bytes.toByteArray(), "IA decrypted");
        assertNull(channel.pipeline().get(WirePipeline.MSE));
        assertNull(channel.pipeline().get(WirePipeline.RC4), "plain text: nothing left to decrypt");

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 2}));
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {9, 9}));
        assertArrayEquals(new byte[] {9, 9}, written(), "what we send after it is plain too");
        assertEquals(PLAIN_HANDSHAKE.length + 5, downstream.bytes.size());
        assertNull(downstream.error);
    }

    @Test
    void anRc4OnlyOfferGetsRc4BothWays() {
        Initiator a = new Initiator();
        a.sendPublicKey(0);
        a.readPublicKey(OUR_INFO_HASH);
        a.sendOffer(OUR_INFO_HASH, MseCrypto.RC4, 0, PLAIN_HANDSHAKE);
        assertEquals(MseCrypto.RC4, a.readSelect());
        assertArrayEquals(PLAIN_HANDSHAKE, downstream.bytes.toByteArray());
        assertNotNull(channel.pipeline().get(WirePipeline.RC4));

        byte[] interested = {0, 0, 0, 1, 2};
        channel.writeInbound(Unpooled.wrappedBuffer(rc4(a.encrypt, interested)));
        assertArrayEquals(interested, Arrays.copyOfRange(downstream.bytes.toByteArray(), PLAIN_HANDSHAKE.length,
                PLAIN_HANDSHAKE.length + interested.length), "the peer's stream decrypted");
        channel.writeOutbound(Unpooled.wrappedBuffer(PLAIN_HANDSHAKE));
        assertArrayEquals(PLAIN_HANDSHAKE, rc4(a.decrypt, written()), "ours encrypted with keyB's stream");
        assertNull(downstream.error);
    }

    @Test
    void garbageWithNoSyncIsRefused() {
        byte[] noise = new byte[MseCrypto.KEY_BYTES + 700];
        new SecureRandom().nextBytes(noise);
        noise[0] = 7; // not the plain handshake's first byte
        channel.writeInbound(Unpooled.wrappedBuffer(noise));
        assertRefused(PeerProtocolException.Violation.BAD_ENCRYPTED_HANDSHAKE);
    }

    @Test
    void aWeakPublicKeyIsRefused() {
        byte[] one = new byte[MseCrypto.KEY_BYTES];
        one[MseCrypto.KEY_BYTES - 1] = 1; // Y = 1 would make S = 1
        channel.writeInbound(Unpooled.wrappedBuffer(one));
        assertRefused(PeerProtocolException.Violation.BAD_ENCRYPTED_HANDSHAKE);
    }

    @Test
    void aTorrentWeDoNotHaveIsRefused() {
        Initiator a = new Initiator();
        a.sendPublicKey(10);
        byte[] other = WireFixtures.OTHER_INFO_HASH.bytes();
        a.readPublicKey(other);
        a.sendOffer(other, MseCrypto.RC4, 0, PLAIN_HANDSHAKE);
        assertRefused(PeerProtocolException.Violation.UNKNOWN_INFO_HASH);
    }

    @Test
    void anOversizedPadOrNoCommonMethodIsRefused() {
        Initiator a = new Initiator();
        a.sendPublicKey(0);
        a.readPublicKey(OUR_INFO_HASH);
        a.sendOffer(OUR_INFO_HASH, MseCrypto.RC4, 513, new byte[0]);
        assertRefused(PeerProtocolException.Violation.BAD_ENCRYPTED_HANDSHAKE);

        MseResponderTest again = new MseResponderTest();
        Initiator b = again.new Initiator();
        b.sendPublicKey(0);
        b.readPublicKey(OUR_INFO_HASH);
        b.sendOffer(OUR_INFO_HASH, 0x04, 0, new byte[0]); // a method neither spec nor we define
        again.assertRefused(PeerProtocolException.Violation.BAD_ENCRYPTED_HANDSHAKE);
    }

    private void assertRefused(PeerProtocolException.Violation violation) {
        PeerProtocolException e = assertInstanceOf(PeerProtocolException.class, downstream.error);
        assertEquals(violation, e.violation(), e.getMessage());
        assertFalse(channel.isOpen(), "closed");
        assertEquals(0, downstream.bytes.size(), "nothing handed on");
    }

    @Test
    void req2IsTheSpecsHashOfTheInfoHash() throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update("req2".getBytes(StandardCharsets.US_ASCII));
        sha1.update(OUR_INFO_HASH);
        assertArrayEquals(sha1.digest(), MseResponder.req2(OUR_INFO_HASH));
    }

    @Test
    void detectingEncryptionOnAnIncomingConnectionTakesNoChunkFromAPooledHeapArena() {
        // A pooled arena keeps the first chunk it carves (4 MiB) for the life of the process once any
        // buffer came from it, and every incoming connection starts with this detection.
        PooledByteBufAllocator pooled = new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);
        EmbeddedChannel incoming = new EmbeddedChannel();
        incoming.config().setAllocator(pooled);
        incoming.pipeline().addLast(WirePipeline.MSE, new MseResponder(req2 -> null, new SecureRandom()));
        incoming.pipeline().addLast(new BytesRecorder());
        incoming.writeInbound(Unpooled.wrappedBuffer(PLAIN_HANDSHAKE));
        assertEquals(0, pooled.metric().usedHeapMemory());
        incoming.finishAndReleaseAll();
    }
}
