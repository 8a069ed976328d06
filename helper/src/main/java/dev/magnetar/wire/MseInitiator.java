package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import java.math.BigInteger;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

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
public final class MseInitiator extends MseHandshake {

    private enum Phase { PEER_KEY, PEER_VC, PEER_SELECT, PAD_D, DONE }

    private final byte[] infoHash;
    /** What the handlers after us wrote before we were through: our BEP 3 handshake first. */
    private PendingWriteQueue held;
    private Phase phase = Phase.PEER_KEY;
    private BigInteger privateKey;
    private byte[] encryptedVc;
    private int selected;
    private int padD;

    public MseInitiator(byte[] infoHash, SecureRandom random) {
        super(random);
        this.infoHash = infoHash.clone();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        held = new PendingWriteQueue(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        held.removeAndFailAll(new ClosedChannelException()); // empty unless the connection ended first
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        privateKey = MseCrypto.privateKey(random);
        sendPublicKey(ctx, privateKey);
        ctx.fireChannelActive(); // the handshake handler writes our BEP 3 handshake: held, it becomes IA
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (phase == Phase.DONE) {
            ctx.write(msg, promise);
        } else {
            held.add(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (phase == Phase.DONE) {
            ctx.flush();
        }
    }

    @Override
    boolean step(ChannelHandlerContext ctx) throws PeerProtocolException {
        return switch (phase) {
            case PEER_KEY -> peerKey(ctx);
            case PEER_VC -> peerVc();
            case PEER_SELECT -> peerSelect();
            case PAD_D -> padD(ctx);
            case DONE -> false;
        };
    }

    /** Yb: the streams, then our offer with the held writes (our handshake) as IA. */
    private boolean peerKey(ChannelHandlerContext ctx) throws PeerProtocolException {
        if (in.readableBytes() < MseCrypto.KEY_BYTES) {
            return false;
        }
        byte[] secret = readSharedSecret(privateKey);
        encrypt = MseCrypto.stream("keyA", secret, infoHash);
        decrypt = MseCrypto.stream("keyB", secret, infoHash);
        encryptedVc = new byte[VC];
        decrypt.processBytes(encryptedVc, 0, VC, encryptedVc, 0); // what the peer's VC (zeros) looks like

        CompositeByteBuf ia = ctx.alloc().compositeBuffer();
        List<ChannelPromise> iaPromises = new ArrayList<>();
        for (Object w; (w = held.current()) != null; ) {
            ia.addComponent(true, ((ByteBuf) w).retain());
            iaPromises.add(held.remove()); // releases the queue's reference
        }
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
        byte[] masked = MseCrypto.maskReq2(MseCrypto.req2(infoHash), secret);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(MseCrypto.req1(secret), masked, encrypted))
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
        if (!skipPast(encryptedVc, "encrypted VC (the peer has another torrent, or no MSE)")) {
            return false;
        }
        phase = Phase.PEER_SELECT;
        return true;
    }

    /** crypto_select and len(PadD). */
    private boolean peerSelect() throws PeerProtocolException {
        if (in.readableBytes() < 6) {
            return false;
        }
        ByteBuf choice = Unpooled.wrappedBuffer(decrypted(6));
        selected = choice.readInt();
        padD = choice.readUnsignedShort();
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
        decrypted(padD);
        phase = Phase.DONE;
        // Writes held since the offer went out passed here before any codec existed.
        if (selected == MseCrypto.RC4) {
            ctx.pipeline().addAfter(ctx.name(), WirePipeline.RC4, new Rc4Codec(decrypt, encrypt));
            byte[] scratch = new byte[Rc4Codec.SCRATCH_BYTES];
            for (Object w; (w = held.current()) != null; ) {
                ByteBuf encrypted = Rc4Codec.apply(encrypt, ((ByteBuf) w).retain(), ctx.alloc(), scratch);
                ctx.write(encrypted, held.remove());
            }
        } else {
            held.removeAndWriteAll();
        }
        ctx.flush();
        handOn(ctx, null); // on to the codec, if any, then the handshake decoder
        return false;
    }
}
