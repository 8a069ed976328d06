package dev.magnetar.wire.utp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One uTP connection as a Netty {@link io.netty.channel.Channel}: a reliable byte stream, like a TCP
 * socket channel. This is how uTP plugs in below the peer protocol: the very pipeline a TCP peer gets
 * (MSE, the BEP 3 handshake, the message codecs, the engine's handler — {@code WirePipeline}) is
 * installed on this channel unchanged, so there is one copy of the peer protocol and the engine cannot
 * tell the transports apart except by asking. The alternative, a second implementation of
 * {@code PeerLink} that framed messages itself, would have needed its own MSE and handshake too.
 *
 * <p>The channel lives on its {@link UtpMultiplexer}'s event loop (the UDP socket's), where its
 * {@link UtpSocket} is driven. Writes are taken into the socket only as fast as its send buffer
 * drains, so Netty's own outbound buffer and write-buffer watermarks give the writer backpressure as
 * for TCP; reads honour {@code autoRead}, and while nobody reads, the socket's advertised receive
 * window shrinks, which stops the peer.
 */
public final class UtpChannel extends AbstractChannel implements UtpSocket.Events {

    private static final Logger log = LoggerFactory.getLogger(UtpChannel.class);

    private static final ChannelMetadata METADATA = new ChannelMetadata(false);

    private final UtpMultiplexer multiplexer;
    private final UtpConfig config = new UtpConfig(this);
    private final ArrayDeque<ByteBuf> unread = new ArrayDeque<>();
    private int unreadBytes;
    private UtpSocket socket;
    private InetSocketAddress remote;
    private boolean open = true;
    private boolean active;
    private boolean reading;
    private ChannelPromise connectPromise;
    private String closeReason;

    UtpChannel(UtpMultiplexer multiplexer, InetSocketAddress remote) {
        super(null);
        this.multiplexer = multiplexer;
        this.remote = remote;
    }

    /** Why the uTP connection ended (e.g. "no answer to the uTP SYN"); null while it is open. */
    public String closeReason() {
        return closeReason;
    }

    // ------------------------------------------------------------------ called by the multiplexer, on its loop

    void attach(UtpSocket s, boolean connected) {
        this.socket = s;
        this.active = connected;
    }

    UtpSocket socket() {
        return socket;
    }

    int unreadBytes() {
        return unreadBytes;
    }

    /** After a batch of datagrams: hand what arrived to the pipeline if it is reading, then acknowledge. */
    void afterBatch() {
        if (reading) {
            deliver();
        }
        if (socket != null) {
            socket.sendAckIfDue();
        }
    }

    private void deliver() {
        if (unread.isEmpty()) {
            return;
        }
        while (!unread.isEmpty()) {
            ByteBuf b = unread.poll();
            unreadBytes -= b.readableBytes();
            pipeline().fireChannelRead(b);
        }
        pipeline().fireChannelReadComplete();
        if (!config.isAutoRead()) {
            reading = false;
        }
        if (socket != null) {
            socket.readBytes();
            socket.sendAckIfDue();
        }
    }

    // ------------------------------------------------------------------ UtpSocket.Events

    @Override
    public void send(UtpPacket packet) {
        multiplexer.send(packet, remote);
    }

    @Override
    public void connected() {
        active = true;
        ChannelPromise p = connectPromise;
        connectPromise = null;
        if (p != null && p.trySuccess()) {
            pipeline().fireChannelActive();
        }
    }

    @Override
    public void received(byte[] data) {
        if (!open) {
            return;
        }
        unread.add(Unpooled.wrappedBuffer(data));
        unreadBytes += data.length;
        multiplexer.markBusy(this, data.length);
    }

    @Override
    public void writable() {
        ChannelOutboundBuffer out = unsafe().outboundBuffer();
        if (out != null && !out.isEmpty() && socket.sendRoom() > 0) {
            ((UtpUnsafe) unsafe()).writeMore();
        }
    }

    @Override
    public void closed(String why) {
        log.debug("uTP {} closed: {} ({})", remote, why, socket);
        closeReason = why;
        multiplexer.forget(this);
        ChannelPromise p = connectPromise;
        connectPromise = null;
        if (p != null) {
            p.tryFailure(new ConnectException(why + " (uTP " + remote + ")"));
        }
        if (open) {
            unsafe().close(voidPromise());
        }
    }

    // ------------------------------------------------------------------ AbstractChannel

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new UtpUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop == multiplexer.eventLoop();
    }

    @Override
    protected SocketAddress localAddress0() {
        return multiplexer.localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a uTP connection uses its multiplexer's UDP port");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        open = false;
        active = false;
        while (!unread.isEmpty()) {
            unread.poll().release();
        }
        unreadBytes = 0;
        if (socket != null) {
            socket.close(); // a FIN after the data already taken; the multiplexer keeps the socket until it is done
        }
        ChannelPromise p = connectPromise;
        connectPromise = null;
        if (p != null) {
            p.tryFailure(new ConnectException("closed while connecting (uTP " + remote + ")"));
        }
    }

    @Override
    protected void doBeginRead() {
        reading = true;
        deliver();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        if (socket == null) {
            return;
        }
        for (;;) {
            Object m = in.current();
            if (m == null) {
                return;
            }
            if (!(m instanceof ByteBuf buf)) {
                in.remove(new UnsupportedOperationException("a uTP channel writes ByteBufs, not " + m.getClass().getSimpleName()));
                continue;
            }
            if (buf.isReadable()) {
                int room = socket.sendRoom();
                if (room == 0) {
                    return; // the rest waits in Netty's outbound buffer; writable() resumes
                }
                int n = Math.min(room, buf.readableBytes());
                socket.write(buf, n);
                multiplexer.countSent(n);
            }
            if (buf.isReadable()) {
                return;
            }
            in.remove();
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        throw new UnsupportedOperationException("a uTP channel writes ByteBufs, not " + msg.getClass().getSimpleName());
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    private final class UtpUnsafe extends AbstractUnsafe {

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (!promise.setUncancellable() || !ensureOpen(promise)) {
                return;
            }
            if (socket != null) {
                promise.setFailure(connectPromise != null ? new ConnectionPendingException() : new AlreadyConnectedException());
                return;
            }
            remote = (InetSocketAddress) remoteAddress;
            connectPromise = promise;
            multiplexer.connect(UtpChannel.this);
        }

        void writeMore() {
            flush0();
        }
    }

    private final class UtpConfig extends DefaultChannelConfig {

        UtpConfig(UtpChannel channel) {
            super(channel);
        }

        @Override
        protected void autoReadCleared() {
            reading = false;
        }
    }
}
