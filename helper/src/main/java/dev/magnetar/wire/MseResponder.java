package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Function;
import org.bouncycastle.crypto.engines.RC4Engine;

/**
 * The receiving side of Message Stream Encryption (MSE, the Azureus/Vuze spec) on a connection we
 * accepted. libtorrent and the clients built on it dial with an encrypted handshake first; without
 * this we dropped it and they dialled again in plain text a second later (bench/README.md), and a
 * peer that allows only encrypted connections never got in.
 *
 * <p>First in the pipeline. A connection that opens with the plain BEP 3 handshake
 * ({@code 19 "BitTorrent protocol"}) passes through untouched. Otherwise the peer's 96 bytes are its
 * Diffie-Hellman key Ya: we answer with ours, find {@code HASH('req1', S)} after its padding, learn
 * the torrent from {@code HASH('req2', info-hash) xor HASH('req3', S)}, decrypt its offer (VC,
 * crypto_provide, padding, the initial payload IA), and select plain text when offered — the payload
 * is then as cheap as an unencrypted connection's, only the handshake was hidden — else RC4, which
 * {@link Rc4Codec} then applies to everything. The BEP 3 handshake (usually IA) and what follows go
 * on to the handshake decoder as if they had arrived in plain text.
 *
 * <p>Hostile input: each step waits for a bounded number of bytes (pads of at most 512, IA of at most
 * {@link #MAX_INITIAL_PAYLOAD}) and consumes them, so what is held is bounded too; whatever arrives
 * after IA goes on with it, however much a read brings (a plain peer's first read may hold its
 * handshake and a large bitfield). A violation closes the connection with {@link PeerProtocolException};
 * the handshake timeout ({@link HandshakeHandler}) covers this phase too.
 */
public final class MseResponder extends ChannelInboundHandlerAdapter {

    private static final byte[] PLAIN_HANDSHAKE_START = ("\u0013" + Handshake.PROTOCOL).getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PAD = 512;
    private static final int HASH = 20;
    private static final int VC = 8;
    /** VC, crypto_provide, len(PadC). */
    private static final int PREAMBLE = VC + 4 + 2;
    /** The initial payload is the peer's BEP 3 handshake and perhaps a message or two: 68 bytes usually. */
    static final int MAX_INITIAL_PAYLOAD = 4096;

    private enum Phase { SNIFF, SYNC, TORRENT, OFFER, PAD_C, INITIAL_PAYLOAD }

    private final Function<byte[], byte[]> infoHashByReq2;
    private final SecureRandom random;
    private Phase phase = Phase.SNIFF;
    private ByteBuf in;
    private BigInteger privateKey;
    private byte[] secret;
    private RC4Engine decrypt;
    private RC4Engine encrypt;
    private int provided;
    private int padC;
    private int initialPayload;

    /**
     * @param infoHashByReq2 the info-hash of ours whose {@code HASH('req2', info-hash)} is the given
     *     20 bytes, or null if none is (see {@link #req2}); called on the event loop
     */
    public MseResponder(Function<byte[], byte[]> infoHashByReq2, SecureRandom random) {
        this.infoHashByReq2 = infoHashByReq2;
        this.random = random;
    }

    /** {@code HASH('req2', infoHash)}: what an encrypting peer sends (masked) to name the torrent. */
    public static byte[] req2(byte[] infoHash) {
        return MseCrypto.hash(MseCrypto.label("req2"), infoHash);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        in = ctx.alloc().heapBuffer(256);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (in != null) {
            in.release();
            in = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (in == null) {
                return; // closing after a violation
            }
            in.writeBytes(bytes);
        } finally {
            bytes.release();
        }
        try {
            advance(ctx);
        } catch (PeerProtocolException e) {
            in.release();
            in = null;
            ctx.fireExceptionCaught(e);
            ctx.close();
        }
    }

    /** Takes the handshake as far as the bytes here allow. */
    private void advance(ChannelHandlerContext ctx) throws PeerProtocolException {
        boolean progressed = true;
        while (progressed && in != null) {
            progressed = switch (phase) {
                case SNIFF -> sniff(ctx);
                case SYNC -> sync();
                case TORRENT -> torrent();
                case OFFER -> offer();
                case PAD_C -> padC();
                case INITIAL_PAYLOAD -> initialPayload(ctx);
            };
        }
    }

    /** Once IA is here: our answer, and the connection handed on (this handler leaves). */
    private boolean initialPayload(ChannelHandlerContext ctx) {
        if (in.readableBytes() < initialPayload) {
            return false;
        }
        answer(ctx);
        return false;
    }

    /** A plain handshake passes through; else, once Ya is here, we send Yb and PadB. */
    private boolean sniff(ChannelHandlerContext ctx) throws PeerProtocolException {
        int have = Math.min(in.readableBytes(), PLAIN_HANDSHAKE_START.length);
        boolean plainSoFar = true;
        for (int i = 0; i < have && plainSoFar; i++) {
            plainSoFar = in.getByte(in.readerIndex() + i) == PLAIN_HANDSHAKE_START[i];
        }
        if (plainSoFar) {
            if (have == PLAIN_HANDSHAKE_START.length) {
                passOn(ctx, null); // a BEP 3 peer: nothing to do here
            }
            return false;
        }
        if (in.readableBytes() < MseCrypto.KEY_BYTES) {
            return false;
        }
        byte[] ya = new byte[MseCrypto.KEY_BYTES];
        in.readBytes(ya);
        privateKey = MseCrypto.privateKey(random);
        try {
            secret = MseCrypto.sharedSecret(ya, privateKey);
        } catch (IllegalArgumentException e) {
            throw violation(e.getMessage());
        }
        byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
        random.nextBytes(pad);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(MseCrypto.publicKey(privateKey), pad));
        phase = Phase.SYNC;
        return true;
    }

    /** Skips PadA up to HASH('req1', S). */
    private boolean sync() throws PeerProtocolException {
        byte[] req1 = MseCrypto.hash(MseCrypto.label("req1"), secret);
        int searchable = Math.min(in.readableBytes() - HASH, MAX_PAD);
        for (int skip = 0; skip <= searchable; skip++) {
            if (matches(in.readerIndex() + skip, req1)) {
                in.skipBytes(skip + HASH);
                phase = Phase.TORRENT;
                return true;
            }
        }
        if (in.readableBytes() >= MAX_PAD + HASH) {
            throw violation("no HASH('req1', S) within " + MAX_PAD + " bytes of padding");
        }
        return false;
    }

    /** HASH('req2', SKEY) xor HASH('req3', S) names one of our torrents; its info-hash keys the RC4 streams. */
    private boolean torrent() throws PeerProtocolException {
        if (in.readableBytes() < HASH) {
            return false;
        }
        byte[] masked = new byte[HASH];
        in.readBytes(masked);
        byte[] req3 = MseCrypto.hash(MseCrypto.label("req3"), secret);
        for (int i = 0; i < HASH; i++) {
            masked[i] ^= req3[i];
        }
        byte[] infoHash = infoHashByReq2.apply(masked);
        if (infoHash == null) {
            throw new PeerProtocolException(PeerProtocolException.Violation.UNKNOWN_INFO_HASH,
                    "encrypted handshake for a torrent we do not have");
        }
        decrypt = MseCrypto.stream("keyA", secret, infoHash);
        encrypt = MseCrypto.stream("keyB", secret, infoHash);
        phase = Phase.OFFER;
        return true;
    }

    /** VC (eight zeros), crypto_provide, len(PadC). */
    private boolean offer() throws PeerProtocolException {
        if (in.readableBytes() < PREAMBLE) {
            return false;
        }
        ByteBuf offer = Unpooled.wrappedBuffer(decrypted(PREAMBLE));
        for (int i = 0; i < VC; i++) {
            if (offer.readByte() != 0) {
                throw violation("the verification constant did not decrypt to zeros (wrong key or torrent)");
            }
        }
        provided = offer.readInt();
        padC = offer.readUnsignedShort();
        if (padC > MAX_PAD) {
            throw violation("PadC of " + padC + " bytes (at most " + MAX_PAD + ")");
        }
        if ((provided & (MseCrypto.PLAINTEXT | MseCrypto.RC4)) == 0) {
            throw violation("crypto_provide " + provided + " offers neither plain text nor RC4");
        }
        phase = Phase.PAD_C;
        return true;
    }

    /** PadC, then len(IA). */
    private boolean padC() throws PeerProtocolException {
        if (in.readableBytes() < padC + 2) {
            return false;
        }
        decrypted(padC);
        byte[] length = decrypted(2);
        initialPayload = ((length[0] & 0xff) << 8) | (length[1] & 0xff);
        if (initialPayload > MAX_INITIAL_PAYLOAD) {
            throw violation("initial payload of " + initialPayload + " bytes (at most " + MAX_INITIAL_PAYLOAD + ")");
        }
        phase = Phase.INITIAL_PAYLOAD;
        return true;
    }

    /** Sends our choice and hands the connection on, in plain text or behind {@link Rc4Codec}. */
    private void answer(ChannelHandlerContext ctx) {
        boolean plain = (provided & MseCrypto.PLAINTEXT) != 0;
        byte[] reply = new byte[PREAMBLE]; // VC, crypto_select, len(PadD) = 0
        reply[VC + 3] = (byte) (plain ? MseCrypto.PLAINTEXT : MseCrypto.RC4);
        encrypt.processBytes(reply, 0, reply.length, reply, 0);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
        if (plain) {
            // IA was sent encrypted either way; only what follows it is plain.
            passOn(ctx, decrypted(initialPayload));
        } else {
            // The RC4 streams carry on where the handshake left them: IA and everything after.
            ctx.pipeline().addAfter(ctx.name(), WirePipeline.RC4, new Rc4Codec(decrypt, encrypt));
            passOn(ctx, null);
        }
    }

    /** Leaves the pipeline, giving the next handler {@code first} (if any) and then whatever is buffered. */
    private void passOn(ChannelHandlerContext ctx, byte[] first) {
        ByteBuf rest = in;
        in = null;
        ctx.pipeline().remove(this);
        if (first != null && first.length > 0) {
            ctx.fireChannelRead(Unpooled.wrappedBuffer(first));
        }
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
        ctx.fireChannelReadComplete();
    }

    private byte[] decrypted(int length) {
        byte[] b = new byte[length];
        in.readBytes(b);
        decrypt.processBytes(b, 0, length, b, 0);
        return b;
    }

    private boolean matches(int index, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (in.getByte(index + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static PeerProtocolException violation(String message) {
        return new PeerProtocolException(PeerProtocolException.Violation.BAD_ENCRYPTED_HANDSHAKE, message);
    }
}
