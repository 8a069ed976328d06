package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.bouncycastle.crypto.engines.RC4Engine;

/**
 * The RC4 stream of an MSE connection that selected it ({@link MseResponder}): decrypts every byte
 * read and encrypts every byte written. Sits at the socket end of the pipeline, so what it sees going
 * out is already framed. Each byte passes each stream exactly once, in order, as RC4 requires.
 */
final class Rc4Codec extends ChannelDuplexHandler {

    /** Bytes run through RC4 per step: BC's RC4 works on arrays, socket buffers are direct. */
    static final int SCRATCH_BYTES = 16 * 1024;

    private final RC4Engine decrypt;
    private final RC4Engine encrypt;
    private final byte[] scratch = new byte[SCRATCH_BYTES]; // both directions run on the channel's loop

    Rc4Codec(RC4Engine decrypt, RC4Engine encrypt) {
        this.decrypt = decrypt;
        this.encrypt = encrypt;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf in) {
            ctx.fireChannelRead(apply(decrypt, in, ctx.alloc(), scratch));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf out) {
            ctx.write(apply(encrypt, out, ctx.alloc(), scratch), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /**
     * The readable bytes of {@code buf} run through {@code rc4}, in a new buffer from {@code alloc}
     * (pooled: no garbage per read); releases {@code buf}.
     */
    static ByteBuf apply(RC4Engine rc4, ByteBuf buf, ByteBufAllocator alloc, byte[] scratch) {
        try {
            ByteBuf out = alloc.buffer(buf.readableBytes());
            while (buf.isReadable()) {
                int n = Math.min(scratch.length, buf.readableBytes());
                buf.readBytes(scratch, 0, n);
                rc4.processBytes(scratch, 0, n, scratch, 0);
                out.writeBytes(scratch, 0, n);
            }
            return out;
        } finally {
            buf.release();
        }
    }
}
