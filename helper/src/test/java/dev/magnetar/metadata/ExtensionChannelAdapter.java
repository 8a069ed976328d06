package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.wire.ExtensionHandler;
import dev.magnetar.wire.ExtensionHandshake;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The smallest engine that plugs one {@link ExtensionHandler} into a real peer connection: what the
 * engine's extension registry does, for the interop tests. After the BEP 3 handshake it states that it
 * has no pieces (BEP 6) and sends its BEP 10 handshake offering the handler under {@link #LOCAL_ID};
 * the peer's extension handshake and the extended messages under that id go to the handler, which
 * is ticked every 200 ms on the channel's event loop.
 */
final class ExtensionChannelAdapter extends ChannelInboundHandlerAdapter implements ExtensionPeer {

    static final int LOCAL_ID = 3;

    private final ExtensionHandler handler;
    final CompletableFuture<ExtensionHandshake> theirHandshake = new CompletableFuture<>();
    final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private volatile ExtensionHandshake theirs;
    private volatile Channel channel;

    ExtensionChannelAdapter(ExtensionHandler handler) {
        this.handler = handler;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof PeerHandshakeCompleted done) {
            channel = ctx.channel();
            if (done.fastExtension()) {
                ctx.writeAndFlush(new PeerMessage.HaveNone());
            }
            ExtensionHandshake.Builder ours = ExtensionHandshake.builder().client("Magnetar interop test");
            if (handler.enabled()) {
                ours.message(handler.name(), LOCAL_ID);
            }
            handler.contributeTo(ours);
            ctx.writeAndFlush(ours.build().toMessage());
            ctx.executor().scheduleAtFixedRate(handler::tick, 200, 200, TimeUnit.MILLISECONDS);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof PeerMessage.Extended e) {
            if (e.extendedId() == PeerMessage.Extended.HANDSHAKE_ID) {
                theirs = ExtensionHandshake.decode(e.payload());
                theirHandshake.complete(theirs);
                handler.peerHandshake(this, theirs);
            } else if (e.extendedId() == LOCAL_ID) {
                handler.message(this, e.payload());
            }
        }
        ReferenceCountUtil.release(msg); // a received block (InboundPiece) would be ours to release
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handler.peerGone(this);
        failure.complete(new IllegalStateException("connection closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure.complete(cause);
        ctx.close();
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public OptionalInt remoteId(String extension) {
        ExtensionHandshake hs = theirs;
        return hs == null ? OptionalInt.empty() : hs.idOf(extension);
    }

    @Override
    public void sendExtended(int remoteExtendedId, byte[] payload) {
        channel.writeAndFlush(new PeerMessage.Extended(remoteExtendedId, payload));
    }
}
