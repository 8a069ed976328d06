package dev.magnetar.engine;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerLink;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.PeerProtocolException;
import dev.magnetar.wire.PeerTimeoutException;
import dev.magnetar.wire.PieceBatch;
import dev.magnetar.wire.RequestBatch;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP transport of one peer connection: the Netty handler behind
 * {@link dev.magnetar.wire.WirePipeline}'s handshake, and the {@link PeerLink} its
 * {@link PeerConnection} writes to. It feeds the connection ({@link PeerLink.Receiver}) decoded
 * {@link PeerMessage}s and the channel's events, on the right thread, and does nothing else.
 *
 * <p><b>Threading.</b> Netty calls this handler on the channel's event loop. The connection lives on
 * the <em>torrent's</em> loop: when the two differ (an incoming connection accepted on another loop of
 * the group) each event hops over with {@code execute}, which keeps their order. Messages are immutable
 * records, so handing them across is safe — except a received block ({@link PeerMessage.InboundPiece}),
 * which this handler owns from {@code channelRead} on and releases after the connection handled it,
 * or at once if it never gets there. Writes from the torrent's loop to a channel of another loop are
 * queued by Netty onto the channel's loop, in order.
 */
final class PeerChannelHandler extends ChannelInboundHandlerAdapter implements PeerLink {

    private static final Logger log = LoggerFactory.getLogger(PeerChannelHandler.class);

    private final Function<InfoHash, PeerHost> hosts;
    /** Set on the channel's loop when the handshake names the torrent; read there and by {@link #handshakeReceived}. */
    private volatile Channel channel;
    /** The torrent's loop, as {@link #host}; set with {@link #channel}. */
    private volatile PeerHost host;
    /** What this channel feeds; set with {@link #channel}. */
    private volatile PeerConnection connection;

    /**
     * @param hosts finds the torrent of an info-hash once the handshake names it (for outgoing
     *     connections the one that opened it); null refuses the connection
     */
    PeerChannelHandler(Function<InfoHash, PeerHost> hosts) {
        this.hosts = hosts;
    }

    /** A handler for the engine's torrents. */
    static PeerChannelHandler forTorrents(Function<InfoHash, Torrent> torrents) {
        return new PeerChannelHandler(TorrentPeerHost.over(torrents));
    }

    /** Whether the peer's BEP 3 handshake arrived (known on the channel's loop first, before the connection is ready). */
    boolean handshakeReceived() {
        return channel != null;
    }

    @Override
    public boolean isUtp() {
        return channel instanceof dev.magnetar.wire.utp.UtpChannel;
    }

    @Override
    public boolean isEncrypted() {
        Channel ch = channel;
        return ch != null && ch.pipeline().get(dev.magnetar.wire.WirePipeline.RC4) != null;
    }

    /** The connection over this channel; null before the handshake. */
    PeerConnection connection() {
        return connection;
    }

    // ------------------------------------------------------------------ inbound: channel loop → torrent loop

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof PeerHandshakeCompleted hs)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        PeerHost h = hosts.apply(hs.local().infoHash());
        if (h == null) {
            ctx.close();
            return;
        }
        PeerConnection c = new PeerConnection(h, this, (InetSocketAddress) ctx.channel().remoteAddress(), hs);
        channel = ctx.channel();
        connection = c;
        host = h;
        // Every later event hops the same way, so the torrent's loop sees them in order.
        onTorrentLoop(h, c::opened);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PeerHost h = host;
        if (!(msg instanceof PeerMessage m) || h == null) {
            ReferenceCountUtil.release(msg); // we own what reaches us (an InboundPiece pins socket memory)
            return;
        }
        if (h.inLoop()) {
            receiveAndRelease(m);
            return;
        }
        try {
            h.loop().execute(() -> receiveAndRelease(m));
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(m); // the torrent's loop is shutting down: the task will never run
        }
    }

    /** Hands {@code m} to the connection and then releases it (an {@link PeerMessage.InboundPiece}), also when it is dropped. */
    private void receiveAndRelease(PeerMessage m) {
        try {
            connection.received(m);
        } finally {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        PeerHost h = host;
        if (h != null) {
            onTorrentLoop(h, connection::readComplete);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        PeerHost h = host;
        if (h != null && ctx.channel().isWritable()) {
            onTorrentLoop(h, connection::writable);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        PeerHost h = host;
        if (h != null) {
            onTorrentLoop(h, () -> connection.closed("connection closed"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        PeerHost h = host;
        if (cause instanceof PeerProtocolException p) {
            log.debug("{}: protocol violation: {}", ctx.channel().remoteAddress(), p.getMessage());
            if (h != null) {
                onTorrentLoop(h, () -> connection.brokeProtocol(p.getMessage()));
            }
        } else if (cause instanceof PeerTimeoutException) {
            log.debug("{}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            log.debug("{}: closing after {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private static void onTorrentLoop(PeerHost h, Runnable r) {
        if (h.inLoop()) {
            r.run();
        } else {
            h.loop().execute(r);
        }
    }

    // ------------------------------------------------------------------ outbound: PeerLink

    @Override
    public void write(PeerMessage message) {
        channel.write(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void writeAndFlush(PeerMessage message) {
        channel.writeAndFlush(message);
    }

    @Override
    public void writeRequests(List<PeerMessage.Request> batch) {
        channel.write(RequestBatch.encode(channel.alloc(), batch));
    }

    @Override
    public void writeCancels(List<PeerMessage.Cancel> batch) {
        channel.write(RequestBatch.encode(channel.alloc(), batch));
    }

    @Override
    public void writeBlocks(List<PeerMessage.Request> run, ByteBuf data) {
        channel.write(PieceBatch.encode(channel.alloc(), run, data));
    }

    @Override
    public ByteBuf allocateBlocks(int length) {
        return channel.alloc().directBuffer(length);
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void setReading(boolean reading) {
        channel.config().setAutoRead(reading);
    }

    @Override
    public void close() {
        channel.close();
    }
}
