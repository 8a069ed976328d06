package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.RC4Engine;

/**
 * What both sides of an MSE handshake ({@link MseInitiator}, {@link MseResponder}) do alike: gather
 * the peer's bytes and take the handshake one bounded step at a time, send a Diffie-Hellman key with
 * random padding, find a marker after the peer's padding, decrypt, and finally leave the pipeline,
 * handing on what came after the handshake. A step that finds the peer breaking the spec throws
 * {@link PeerProtocolException}: the connection is closed and the error reaches the engine.
 */
abstract class MseHandshake extends ChannelDuplexHandler {

    /** The spec's bound on every padding (PadA to PadD). */
    static final int MAX_PAD = 512;
    /** The verification constant: eight zero bytes, encrypted. */
    static final int VC = 8;

    final SecureRandom random;
    /** The peer's bytes not yet taken by a step; null once handed on or closed. */
    ByteBuf in;
    /** The RC4 streams, once the keys are known: the peer's bytes, and ours. */
    RC4Engine decrypt;
    RC4Engine encrypt;

    MseHandshake(SecureRandom random) {
        this.random = random;
    }

    /**
     * Takes the handshake one step further with what {@link #in} holds; whether it may go on (false
     * when it needs more bytes, or has handed the connection on).
     */
    abstract boolean step(ChannelHandlerContext ctx) throws PeerProtocolException;

    /**
     * Not from the channel's pooled allocator: a pooled heap arena keeps the first 4 MiB chunk it carves
     * for the life of the process, and nothing else here takes heap buffers from it, so these few hundred
     * bytes per incoming connection would pin 4 MiB of heap per arena for good.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        in = Unpooled.buffer(256);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (in != null) {
            in.release();
            in = null;
        }
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
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
            while (in != null && step(ctx)) {
                // each step consumes what it waited for
            }
        } catch (PeerProtocolException e) {
            in.release();
            in = null;
            ctx.fireExceptionCaught(e);
            ctx.close();
        }
    }

    /** Sends the public key of {@code privateKey} with 0..512 random bytes of padding. */
    void sendPublicKey(ChannelHandlerContext ctx, BigInteger privateKey) {
        byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
        random.nextBytes(pad);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(MseCrypto.publicKey(privateKey), pad));
    }

    /** S, from the peer's public key: the next {@link MseCrypto#KEY_BYTES} bytes, which must be here. */
    byte[] readSharedSecret(BigInteger privateKey) throws PeerProtocolException {
        byte[] theirs = new byte[MseCrypto.KEY_BYTES];
        in.readBytes(theirs);
        try {
            return MseCrypto.sharedSecret(theirs, privateKey);
        } catch (IllegalArgumentException e) {
            throw violation(e.getMessage());
        }
    }

    /**
     * Skips the peer's padding and {@code marker} after it; false while the marker may still come.
     *
     * @throws PeerProtocolException if it is not within {@link #MAX_PAD} bytes
     */
    boolean skipPast(byte[] marker, String what) throws PeerProtocolException {
        int searchable = Math.min(in.readableBytes() - marker.length, MAX_PAD);
        for (int skip = 0; skip <= searchable; skip++) {
            if (matchesAt(in.readerIndex() + skip, marker)) {
                in.skipBytes(skip + marker.length);
                return true;
            }
        }
        if (in.readableBytes() >= MAX_PAD + marker.length) {
            throw violation("no " + what + " within " + MAX_PAD + " bytes of padding");
        }
        return false;
    }

    /** The next {@code length} bytes, which must be here, through {@link #decrypt}. */
    byte[] decrypted(int length) {
        byte[] b = new byte[length];
        in.readBytes(b);
        decrypt.processBytes(b, 0, length, b, 0);
        return b;
    }

    /**
     * Leaves the pipeline, giving the next handler {@code first} (if any) and then whatever is
     * buffered; a codec added after this handler sees them first.
     */
    void handOn(ChannelHandlerContext ctx, byte[] first) {
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

    boolean matchesAt(int index, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (in.getByte(index + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    static PeerProtocolException violation(String message) {
        return new PeerProtocolException(PeerProtocolException.Violation.BAD_ENCRYPTED_HANDSHAKE, message);
    }
}
