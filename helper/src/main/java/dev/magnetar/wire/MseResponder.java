package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Function;

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
public final class MseResponder extends MseHandshake {

    private static final byte[] PLAIN_HANDSHAKE_START = ("\u0013" + Handshake.PROTOCOL).getBytes(StandardCharsets.US_ASCII);
    private static final int HASH = 20;
    /** VC, crypto_provide, len(PadC). */
    private static final int PREAMBLE = VC + 4 + 2;
    /** The initial payload is the peer's BEP 3 handshake and perhaps a message or two: 68 bytes usually. */
    static final int MAX_INITIAL_PAYLOAD = 4096;

    private enum Phase { SNIFF, SYNC, TORRENT, OFFER, PAD_C, INITIAL_PAYLOAD }

    private final Function<byte[], byte[]> infoHashByReq2;
    private Phase phase = Phase.SNIFF;
    private byte[] secret;
    private int provided;
    private int padC;
    private int initialPayload;

    /**
     * @param infoHashByReq2 the info-hash of ours whose {@code HASH('req2', info-hash)} is the given
     *     20 bytes, or null if none is (see {@link #req2}); called on the event loop
     */
    public MseResponder(Function<byte[], byte[]> infoHashByReq2, SecureRandom random) {
        super(random);
        this.infoHashByReq2 = infoHashByReq2;
    }

    /** {@code HASH('req2', infoHash)}: what an encrypting peer sends (masked) to name the torrent. */
    public static byte[] req2(byte[] infoHash) {
        return MseCrypto.req2(infoHash);
    }

    @Override
    boolean step(ChannelHandlerContext ctx) throws PeerProtocolException {
        return switch (phase) {
            case SNIFF -> sniff(ctx);
            case SYNC -> sync();
            case TORRENT -> torrent();
            case OFFER -> offer();
            case PAD_C -> padC();
            case INITIAL_PAYLOAD -> initialPayload(ctx);
        };
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
                handOn(ctx, null); // a BEP 3 peer: nothing to do here
            }
            return false;
        }
        if (in.readableBytes() < MseCrypto.KEY_BYTES) {
            return false;
        }
        BigInteger privateKey = MseCrypto.privateKey(random);
        secret = readSharedSecret(privateKey);
        sendPublicKey(ctx, privateKey);
        phase = Phase.SYNC;
        return true;
    }

    /** Skips PadA up to HASH('req1', S). */
    private boolean sync() throws PeerProtocolException {
        if (!skipPast(MseCrypto.req1(secret), "HASH('req1', S)")) {
            return false;
        }
        phase = Phase.TORRENT;
        return true;
    }

    /** HASH('req2', SKEY) xor HASH('req3', S) names one of our torrents; its info-hash keys the RC4 streams. */
    private boolean torrent() throws PeerProtocolException {
        if (in.readableBytes() < HASH) {
            return false;
        }
        byte[] masked = new byte[HASH];
        in.readBytes(masked);
        byte[] infoHash = infoHashByReq2.apply(MseCrypto.maskReq2(masked, secret));
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

    /** Once IA is here: sends our choice and hands the connection on, in plain text or behind {@link Rc4Codec}. */
    private boolean initialPayload(ChannelHandlerContext ctx) {
        if (in.readableBytes() < initialPayload) {
            return false;
        }
        boolean plain = (provided & MseCrypto.PLAINTEXT) != 0;
        byte[] reply = new byte[PREAMBLE]; // VC, crypto_select, len(PadD) = 0
        reply[VC + 3] = (byte) (plain ? MseCrypto.PLAINTEXT : MseCrypto.RC4);
        encrypt.processBytes(reply, 0, reply.length, reply, 0);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
        if (plain) {
            // IA was sent encrypted either way; only what follows it is plain.
            handOn(ctx, decrypted(initialPayload));
        } else {
            // The RC4 streams carry on where the handshake left them: IA and everything after.
            ctx.pipeline().addAfter(ctx.name(), WirePipeline.RC4, new Rc4Codec(decrypt, encrypt));
            handOn(ctx, null);
        }
        return false;
    }
}
