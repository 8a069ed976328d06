package dev.magnetar.wire;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wire.PeerProtocolException.Violation;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the BEP 3 handshake of one connection and then turns the pipeline over to peer messages.
 *
 * <p>Outgoing: our handshake goes out as soon as the channel is active; the peer's must name the same
 * info-hash. Incoming: we wait for the peer's handshake and ask the {@link HandshakeListener} which
 * handshake to answer with (null refuses). Either way, after the exchange this handler fires
 * {@link PeerHandshakeCompleted}, replaces the {@link HandshakeDecoder} with a
 * {@link PeerMessageDecoder} (which gets any bytes that arrived behind the handshake), starts the
 * keep-alive and inactivity timers, and removes itself. If the handshake is not complete within
 * {@link WireOptions#handshakeTimeout()}, a {@link PeerTimeoutException} is fired and the channel closed.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {

    private final WireOptions options;
    private final Handshake outgoing;
    /** A hybrid's v2 swarm hash (truncated) a peer dialled by its v1 hash may answer with; else null. */
    private final InfoHash upgrade;
    private final HandshakeListener listener;
    private ScheduledFuture<?> timeout;
    private boolean started;
    private boolean finished;

    private HandshakeHandler(WireOptions options, Handshake outgoing, InfoHash upgrade, HandshakeListener listener) {
        this.options = options;
        this.outgoing = outgoing;
        this.upgrade = upgrade;
        this.listener = listener;
    }

    /**
     * @param upgrade for a hybrid dialled by its v1 hash with BEP 52's bit set: its v2 swarm hash (truncated),
     *     which a v2-capable peer answers with (libtorrent 2.0 does); the connection is then one of the v2
     *     swarm. A peer answering with the v1 hash stays on v1, and the bit counts as not sent. Null otherwise.
     */
    static HandshakeHandler outgoing(WireOptions options, Handshake ours, InfoHash upgrade) {
        return new HandshakeHandler(options, Objects.requireNonNull(ours), upgrade, null);
    }

    static HandshakeHandler incoming(WireOptions options, HandshakeListener listener) {
        return new HandshakeHandler(options, null, null, Objects.requireNonNull(listener));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        timeout = ctx.executor().schedule(() -> {
            if (!finished) {
                finished = true;
                ctx.fireExceptionCaught(new PeerTimeoutException(PeerTimeoutException.Phase.HANDSHAKE, options.handshakeTimeout()));
                ctx.close();
            }
        }, options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        if (outgoing != null) {
            ctx.writeAndFlush(outgoing);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Handshake remote) || finished) {
            ReferenceCountUtil.release(msg); // nothing but the handshake can arrive before the swap
            return;
        }
        finished = true;
        cancelTimeout();
        Handshake local;
        if (outgoing != null) {
            local = outgoing;
            if (upgrade != null && remote.infoHash().equals(upgrade)) {
                local = outgoing.forSwarm(upgrade);
            } else if (!remote.infoHash().equals(local.infoHash())) {
                refuse(ctx, "peer answered for info-hash " + remote.infoHash() + ", we asked for " + local.infoHash());
                return;
            } else if (upgrade != null) {
                local = outgoing.withoutV2();
            }
        } else {
            try {
                local = listener.answer(remote, ctx.channel().remoteAddress());
            } catch (RuntimeException e) {
                // A bug in the engine's listener must not leave a half-open connection behind.
                ctx.fireExceptionCaught(e);
                ctx.close();
                return;
            }
            if (local == null) {
                refuse(ctx, "no torrent with info-hash " + remote.infoHash() + " here");
                return;
            }
            if (!local.infoHash().equals(remote.infoHash())) {
                ctx.fireExceptionCaught(new IllegalStateException(
                        "HandshakeListener answered " + remote.infoHash() + " with " + local.infoHash()));
                ctx.close();
                return;
            }
            ctx.writeAndFlush(local);
        }
        PeerHandshakeCompleted completed = new PeerHandshakeCompleted(local, remote, outgoing != null);
        ctx.fireUserEventTriggered(completed);
        if (ctx.channel().isOpen()) {
            switchToMessages(ctx.pipeline(), completed.fastExtension());
        }
    }

    private void switchToMessages(ChannelPipeline p, boolean fastExtension) {
        p.addBefore(WirePipeline.HANDSHAKE_DECODER, WirePipeline.IDLE, new IdleStateHandler(
                options.inactivityTimeout().toNanos(), options.keepAliveInterval().toNanos(), 0, TimeUnit.NANOSECONDS));
        p.remove(WirePipeline.HANDSHAKE_ENCODER);
        p.replace(this, WirePipeline.KEEP_ALIVE, new KeepAliveHandler(options.inactivityTimeout()));
        // Last: removing the handshake decoder hands the bytes behind the handshake to the new decoder.
        p.replace(WirePipeline.HANDSHAKE_DECODER, WirePipeline.MESSAGE_DECODER, new PeerMessageDecoder(options, fastExtension));
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        ctx.fireExceptionCaught(new PeerProtocolException(Violation.UNKNOWN_INFO_HASH, why));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
