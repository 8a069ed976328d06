package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;

/** Last in a test pipeline: keeps the bytes that reach it (releasing each buffer) and the error, if one does. */
final class BytesRecorder extends ChannelInboundHandlerAdapter {

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Throwable error;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        bytes.writeBytes(ByteBufUtil.getBytes(b));
        b.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        error = cause;
    }
}
