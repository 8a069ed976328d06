package dev.magnetar.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Stands in for the engine: records what the wire layer hands to the next handler, in order. */
final class CollectingHandler extends ChannelInboundHandlerAdapter {

    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    final CompletableFuture<PeerHandshakeCompleted> handshake = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received.add(WireFixtures.asValue(msg)); // copies and releases a received block
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof PeerHandshakeCompleted done) {
            received.add(done);
            handshake.complete(done);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        error.complete(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed.complete(null);
    }

    /** The next thing received, waiting at most 10 s (a hang guard, not a timing assertion). */
    Object next() throws InterruptedException {
        Object o = received.poll(10, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("nothing received within 10 s");
        }
        return o;
    }
}
