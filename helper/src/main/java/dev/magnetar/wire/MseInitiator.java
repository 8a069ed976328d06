package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.math.BigInteger;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.engines.RC4Engine;

/**
 * The dialling side of Message Stream Encryption (see {@link MseResponder} for the exchange), for a
 * connection we open to a peer that refuses plain ones. First in the pipeline: it sends Ya and PadA,
 * holds back what the handlers after it write (our BEP 3 handshake goes out inside the encrypted
 * offer, as its initial payload IA), offers plain text or RC4 for the stream, and once the peer's
 * choice is read hands the connection on, behind {@link Rc4Codec} if RC4 was chosen.
 *
 * <p>Hostile input is bounded as in the responder: PadB and PadD of at most 512 bytes, each step
 * consuming what it waited for, and what follows PadD (the peer's handshake and bitfield, often in the
 * same read) goes on whatever its size; anything else closes the connection with
 * {@link PeerProtocolException}, under the handshake timeout.
 */
public final class MseInitiator extends ChannelDuplexHandler {

    private static final int MAX_PAD = 512;
    private static final int VC = 8;

    private enum Phase { PEER_KEY, PEER_VC, PEER_SELECT, PAD_D, DONE }

    private final byte[] infoHash;
    private final SecureRandom random;
    private final List<Object[]> held = new ArrayList<>(); // {ByteBuf, ChannelPromise} written before we are through
    private Phase phase = Phase.PEER_KEY;
    private ByteBuf in;
    private BigInteger privateKey;
    private RC4Engine encrypt;
    private RC4Engine decrypt;
    private byte[] encryptedVc;
    private int selected;
    private int padD;

    public MseInitiator(byte[] infoHash, SecureRandom random) {
        this.infoHash = infoHash.clone();
        this.random = random;
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
        for (Object[] w : held) { // the connection ended before the handshake was through
            ReferenceCountUtil.release(w[0]);
            ((ChannelPromise) w[1]).tryFailure(new ClosedChannelException());
        }
        held.clear();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        privateKey = MseCrypto.privateKey(random);
        byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
        random.nextBytes(pad);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(MseCrypto.publicKey(privateKey), pad));
        ctx.fireChannelActive(); // the handshake handler writes our BEP 3 handshake: held, it becomes IA
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (phase == Phase.DONE) {
            ctx.write(msg, promise);
        } else {
            held.add(new Object[] {msg, promise});
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (phase == Phase.DONE) {
            ctx.flush();
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
                return;
            }
            in.writeBytes(bytes);
        } finally {
            bytes.release();
        }
        try {
            boolean progressed = true;
            while (progressed && in != null) {
                progressed = switch (phase) {
                    case PEER_KEY -> peerKey(ctx);
                    case PEER_VC -> peerVc();
                    case PEER_SELECT -> peerSelect();
                    case PAD_D -> padD(ctx);
                    case DONE -> false;
                };
            }
        } catch (PeerProtocolException e) {
            in.release();
            in = null;
            ctx.fireExceptionCaught(e);
            ctx.close();
        }
    }

    /** Yb: the streams, then our offer with the held writes (our handshake) as IA. */
    private boolean peerKey(ChannelHandlerContext ctx) throws PeerProtocolException {
        if (in.readableBytes() < MseCrypto.KEY_BYTES) {
            return false;
        }
        byte[] yb = new byte[MseCrypto.KEY_BYTES];
        in.readBytes(yb);
        byte[] secret;
        try {
            secret = MseCrypto.sharedSecret(yb, privateKey);
        } catch (IllegalArgumentException e) {
            throw violation(e.getMessage());
        }
        encrypt = MseCrypto.stream("keyA", secret, infoHash);
        decrypt = MseCrypto.stream("keyB", secret, infoHash);
        encryptedVc = new byte[VC];
        decrypt.processBytes(encryptedVc, 0, VC, encryptedVc, 0); // what the peer's VC (zeros) looks like

        byte[] masked = MseCrypto.hash(MseCrypto.label("req2"), infoHash);
        byte[] req3 = MseCrypto.hash(MseCrypto.label("req3"), secret);
        for (int i = 0; i < masked.length; i++) {
            masked[i] ^= req3[i];
        }
        CompositeByteBuf ia = ctx.alloc().compositeBuffer();
        List<ChannelPromise> iaPromises = new ArrayList<>();
        for (Object[] w : held) {
            ia.addComponent(true, (ByteBuf) w[0]);
            iaPromises.add((ChannelPromise) w[1]);
        }
        held.clear();
        if (ia.readableBytes() > 0xffff) {
            ia.release();
            throw violation("initial payload too long");
        }
        ByteBuf offer = Unpooled.buffer(VC + 4 + 2 + 2 + ia.readableBytes());
        offer.writeZero(VC).writeInt(MseCrypto.PLAINTEXT | MseCrypto.RC4).writeShort(0).writeShort(ia.readableBytes())
                .writeBytes(ia);
        ia.release();
        byte[] encrypted = new byte[offer.readableBytes()];
        offer.readBytes(encrypted);
        encrypt.processBytes(encrypted, 0, encrypted.length, encrypted, 0);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(MseCrypto.hash(MseCrypto.label("req1"), secret), masked, encrypted))
                .addListener(f -> iaPromises.forEach(p -> {
                    if (f.isSuccess()) {
                        p.trySuccess();
                    } else {
                        p.tryFailure(f.cause());
                    }
                }));
        phase = Phase.PEER_VC;
        return true;
    }

    /** Skips PadB up to the peer's encrypted VC. */
    private boolean peerVc() throws PeerProtocolException {
        int searchable = Math.min(in.readableBytes() - VC, MAX_PAD);
        for (int skip = 0; skip <= searchable; skip++) {
            if (matches(in.readerIndex() + skip)) {
                in.skipBytes(skip + VC);
                phase = Phase.PEER_SELECT;
                return true;
            }
        }
        if (in.readableBytes() >= MAX_PAD + VC) {
            throw violation("no encrypted VC within " + MAX_PAD
                    + " bytes of padding (the peer has another torrent, or no MSE)");
        }
        return false;
    }

    /** crypto_select and len(PadD). */
    private boolean peerSelect() throws PeerProtocolException {
        if (in.readableBytes() < 6) {
            return false;
        }
        byte[] b = new byte[6];
        in.readBytes(b);
        decrypt.processBytes(b, 0, 6, b, 0);
        selected = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        padD = ((b[4] & 0xff) << 8) | (b[5] & 0xff);
        if (selected != MseCrypto.PLAINTEXT && selected != MseCrypto.RC4) {
            throw violation("crypto_select " + selected + " is not one method we offered");
        }
        if (padD > MAX_PAD) {
            throw violation("PadD of " + padD + " bytes (at most " + MAX_PAD + ")");
        }
        phase = Phase.PAD_D;
        return true;
    }

    /** PadD, then the connection goes on: plain, or behind {@link Rc4Codec}. */
    private boolean padD(ChannelHandlerContext ctx) {
        if (in.readableBytes() < padD) {
            return false;
        }
        byte[] pad = new byte[padD];
        in.readBytes(pad);
        decrypt.processBytes(pad, 0, padD, pad, 0);
        phase = Phase.DONE;
        boolean rc4 = selected == MseCrypto.RC4;
        if (rc4) {
            ctx.pipeline().addAfter(ctx.name(), WirePipeline.RC4, new Rc4Codec(decrypt, encrypt));
        }
        // Written since the offer went out: they passed here before the codec existed.
        byte[] scratch = rc4 ? new byte[Rc4Codec.SCRATCH_BYTES] : null;
        for (Object[] w : held) {
            ByteBuf b = (ByteBuf) w[0];
            ctx.write(rc4 ? Rc4Codec.apply(encrypt, b, ctx.alloc(), scratch) : b, (ChannelPromise) w[1]);
        }
        held.clear();
        ctx.flush();
        ByteBuf rest = in;
        in = null;
        ctx.pipeline().remove(this);
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest); // on to the codec, if any, then the handshake decoder
        } else {
            rest.release();
        }
        ctx.fireChannelReadComplete();
        return false;
    }

    private boolean matches(int index) {
        for (int i = 0; i < VC; i++) {
            if (in.getByte(index + i) != encryptedVc[i]) {
                return false;
            }
        }
        return true;
    }

    private static PeerProtocolException violation(String message) {
        return new PeerProtocolException(PeerProtocolException.Violation.BAD_ENCRYPTED_HANDSHAKE, message);
    }
}
