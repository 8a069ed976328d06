package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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

    private final RC4Engine decrypt;
    private final RC4Engine encrypt;

    Rc4Codec(RC4Engine decrypt, RC4Engine encrypt) {
        this.decrypt = decrypt;
        this.encrypt = encrypt;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf in) {
            ctx.fireChannelRead(apply(decrypt, in));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf out) {
            ctx.write(apply(encrypt, out), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** The bytes of {@code buf} run through {@code rc4}, in a new buffer; releases {@code buf}. */
    static ByteBuf apply(RC4Engine rc4, ByteBuf buf) {
        try {
            byte[] bytes = ByteBufUtil.getBytes(buf);
            rc4.processBytes(bytes, 0, bytes.length, bytes, 0);
            return Unpooled.wrappedBuffer(bytes);
        } finally {
            buf.release();
        }
    }
}
