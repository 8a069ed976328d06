package dev.magnetar.wire.utp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uTP side of a UDP socket (BEP 29): a handler on the datagram channel that takes the datagrams
 * whose first byte is a uTP type/version byte, hands them to the connection they belong to (by sender
 * address and connection id), accepts SYNs, and passes everything else on down the pipeline — the
 * DHT's KRPC messages, which are bencoded dictionaries starting with 'd', share the port this way as
 * with libtorrent.
 *
 * <p>Hostile input is cheap to drop: a malformed or oversized datagram, or a packet for no connection,
 * is counted and forgotten. Accepted connections that have not yet brought data (half-open, e.g. from
 * spoofed SYNs) are bounded per address and in total, and time out; connections in total are bounded.
 */
public final class UtpMultiplexer extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(UtpMultiplexer.class);

    /** Half-open accepted connections one address may hold: a SYN flood from one host stops here. */
    public static final int MAX_HALF_OPEN_PER_ADDRESS = 8;
    public static final int MAX_HALF_OPEN = 64;
    public static final int MAX_CONNECTIONS = 1024;
    static final long TICK_MILLIS = 50;
    /** Datagrams one read of the UDP socket takes at most (see {@link #DATAGRAM_BUFFERS}). */
    static final int DATAGRAMS_PER_READ = 64;
    /**
     * Room for one datagram: one byte more than the largest accepted, so that a longer datagram, which the
     * socket cuts to this silently, is seen as too long and dropped rather than taken for a whole packet.
     */
    public static final int DATAGRAM_SLOT_BYTES = UtpPacketCodec.MAX_DATAGRAM_BYTES + 1;
    /** Datagrams one batched read (Linux {@code recvmmsg}) takes at most: 8 slots, 32 KiB. */
    static final int DATAGRAMS_PER_BATCH = 8;
    /**
     * Receive buffers for the UDP channel this handler sits on, read one datagram at a time: one slot
     * ({@link #DATAGRAM_SLOT_BYTES}) each. Netty's datagram channels read into 2 KiB by default and would
     * silently cut a longer datagram into a corrupt packet; the slot's extra byte catches that. The DHT
     * node that shares the socket gets the same buffers. Set with {@link #readOptions}.
     *
     * <p>One read drains up to {@link #DATAGRAMS_PER_READ} waiting datagrams: Netty's default ends a read
     * after any datagram that did not fill its buffer (every one, here), and since we acknowledge once per
     * read ({@link #channelReadComplete}) a burst of data would cost one ack and one read wake-up per packet,
     * CPU on both ends. libtorrent likewise acks once its socket is drained. The bound keeps one busy
     * socket from starving the other channels of the event loop.
     */
    public static final RecvByteBufAllocator DATAGRAM_BUFFERS =
            new FixedRecvByteBufAllocator(DATAGRAM_SLOT_BYTES)
                    .respectMaybeMoreData(false).maxMessagesPerRead(DATAGRAMS_PER_READ);

    /**
     * Receive buffers for a UDP channel that reads datagrams in batches (Netty's epoll channel with
     * {@code EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE} set to {@link #DATAGRAM_SLOT_BYTES}): one buffer
     * of {@link #DATAGRAMS_PER_BATCH} slots, each datagram a slice of it, so a burst costs one system call
     * and one buffer. Both kinds of buffer stay within the 32 KiB that Netty's pooled allocator keeps in
     * a per-thread cache: the 64 KiB buffer each datagram used to get went through the shared arena and its
     * lock every time, about a tenth of the uTP receive path's CPU for datagrams of 1.5 KiB.
     */
    public static final RecvByteBufAllocator DATAGRAM_BATCH_BUFFERS =
            new FixedRecvByteBufAllocator(DATAGRAMS_PER_BATCH * DATAGRAM_SLOT_BYTES)
                    .respectMaybeMoreData(false).maxMessagesPerRead(DATAGRAMS_PER_READ);

    /**
     * Sets how the UDP channel that {@code udp} bootstraps (the one this handler will sit on) reads
     * datagrams: in batches ({@link #DATAGRAM_BATCH_BUFFERS}) on Netty's epoll channel, one at a time
     * ({@link #DATAGRAM_BUFFERS}) on the others.
     */
    public static Bootstrap readOptions(Bootstrap udp, boolean epoll) {
        if (epoll) {
            return udp.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM_SLOT_BYTES)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, DATAGRAM_BATCH_BUFFERS);
        }
        return udp.option(ChannelOption.RCVBUF_ALLOCATOR, DATAGRAM_BUFFERS);
    }

    private record Key(InetSocketAddress peer, int receiveId) {}

    private final Consumer<UtpChannel> acceptor;
    private final LongSupplier micros;
    private final SecureRandom random = new SecureRandom();
    private final Map<Key, UtpChannel> connections = new HashMap<>();
    /** Peers' SYNs that lost a simultaneous open to ours, with our channel: a late copy is dropped, not accepted. */
    private final Map<Key, UtpChannel> outvoted = new HashMap<>();
    private final Set<UtpChannel> busy = new LinkedHashSet<>();
    private final AtomicLong droppedDatagrams = new AtomicLong();
    private final AtomicLong refusedSyns = new AtomicLong();
    private final AtomicLong streamBytesReceived = new AtomicLong();
    private final AtomicLong streamBytesSent = new AtomicLong();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> ticker;
    private final Runnable flush = this::flushWritten;
    private boolean flushPending;
    private long flushes;

    /**
     * @param acceptor installs the pipeline of an accepted connection (it is registered and active
     *     right after); null refuses incoming connections
     */
    public UtpMultiplexer(Consumer<UtpChannel> acceptor) {
        this(acceptor, () -> System.nanoTime() / 1000);
    }

    UtpMultiplexer(Consumer<UtpChannel> acceptor, LongSupplier micros) {
        this.acceptor = acceptor;
        this.micros = micros;
    }

    /**
     * A channel for an outgoing connection to {@code peer}: add its handlers, then
     * {@code eventLoop().register(channel)} and {@code channel.connect(peer)}.
     */
    public UtpChannel newChannel(InetSocketAddress peer) {
        return new UtpChannel(this, peer);
    }

    /** The loop every uTP channel of this socket runs on; register channels from {@link #newChannel} there. */
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) ctx.channel().localAddress();
    }

    /** Datagrams dropped as malformed, oversized or for no connection. */
    public long droppedDatagrams() {
        return droppedDatagrams.get();
    }

    /** SYNs refused by the half-open and connection bounds. */
    public long refusedSyns() {
        return refusedSyns.get();
    }

    /** Stream bytes all connections delivered in order to their readers (what uTP carried in, without headers or repeats). */
    public long streamBytesReceived() {
        return streamBytesReceived.get();
    }

    /** Stream bytes all connections took from their writers. */
    public long streamBytesSent() {
        return streamBytesSent.get();
    }

    /** Live connections (read on the loop; elsewhere a snapshot). */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Starts the ticks when a connection is made; {@link #tick} ends them once none is left. A daemon with
     * no uTP peer — most of the time, and every idle one — would otherwise wake its loop twenty times a
     * second for nothing.
     */
    private void tickWhileConnected() {
        if (ticker == null && ctx != null) {
            ticker = ctx.executor().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the ticks run now (only while connections do). */
    boolean ticking() {
        return ticker != null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
        for (UtpChannel c : new ArrayList<>(connections.values())) {
            c.socket().reset("the UDP socket closed");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket dp) || !UtpPacketCodec.looksLikeUtp(dp.content())) {
            ctx.fireChannelRead(msg); // KRPC and anything else: the next handler's
            return;
        }
        try {
            dispatch(UtpPacketCodec.decode(dp.content()), dp.sender());
        } catch (UtpDecodeException e) {
            droppedDatagrams.incrementAndGet();
            log.debug("uTP: dropping a datagram from {}: {}", dp.sender(), e.getMessage());
        } finally {
            dp.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        afterBatch();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An ICMP error for one peer must not close the socket every connection shares.
        log.debug("uTP socket error: {}", cause.toString());
        ctx.fireExceptionCaught(cause);
    }

    private void dispatch(UtpPacket p, InetSocketAddress sender) {
        if (p.type() == UtpType.SYN) {
            syn(p, sender);
            return;
        }
        UtpChannel c = connections.get(new Key(sender, p.connectionId()));
        if (c != null) {
            c.socket().receive(p);
            busy.add(c);
        } else {
            droppedDatagrams.incrementAndGet(); // for no connection of ours: dropped, not answered (no reflection)
        }
    }

    /**
     * A SYN: a repeat for a connection we accepted (our answer was lost), a peer dialling us while we
     * dial it (BEP 55's simultaneous open, settled by {@link SimultaneousOpen}), or a new connection.
     */
    private void syn(UtpPacket syn, InetSocketAddress sender) {
        Key key = new Key(sender, syn.connectionId());
        UtpChannel accepted = connections.get(new Key(sender, (syn.connectionId() + 1) & SequenceNumbers.MASK));
        if (accepted != null && accepted.socket().synSeq() < 0) {
            accepted.socket().receive(syn);
            busy.add(accepted);
            return;
        }
        if (outvoted.containsKey(key)) {
            return; // a copy of a SYN that lost a simultaneous open: the connection exists already
        }
        UtpChannel dialling = diallingTo(sender);
        if (dialling == null) {
            accept(syn, sender);
        } else if (SimultaneousOpen.theirSynWins(syn.connectionId(), syn.seqNr(),
                dialling.socket().receiveId(), dialling.socket().synSeq())) {
            join(dialling, syn, sender);
        } else {
            outvoted.put(key, dialling);
            dialling.socket().resendSyn();
        }
    }

    /** Our outgoing connection to {@code peer} still waiting for the answer to its SYN, if any. */
    private UtpChannel diallingTo(InetSocketAddress peer) {
        for (Map.Entry<Key, UtpChannel> e : connections.entrySet()) {
            if (e.getKey().peer().equals(peer) && e.getValue().socket().synSeq() >= 0) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Our dial lost the simultaneous open: the same channel answers the peer's SYN instead, so the
     * connect of whoever dialled it succeeds on the one connection both ends now share.
     */
    private void join(UtpChannel c, UtpPacket syn, InetSocketAddress sender) {
        log.debug("uTP: {} dialled us while we dialled it; its SYN wins, answering it on our channel", sender);
        connections.values().remove(c);
        UtpSocket s = UtpSocket.accept(syn, c, micros, c::unreadBytes,
                MtuProber.forPath(sender.getAddress() instanceof java.net.Inet6Address), random.nextInt());
        c.attach(s, false);
        connections.put(new Key(sender, (syn.connectionId() + 1) & SequenceNumbers.MASK), c);
        tickWhileConnected();
        c.connected();
    }

    private void accept(UtpPacket syn, InetSocketAddress sender) {
        Key key = new Key(sender, (syn.connectionId() + 1) & SequenceNumbers.MASK);
        if (acceptor == null || connections.containsKey(key) || !roomForHalfOpen(sender.getAddress())) {
            refusedSyns.incrementAndGet();
            return;
        }
        UtpChannel c = new UtpChannel(this, sender);
        UtpSocket s = UtpSocket.accept(syn, c, micros, c::unreadBytes,
                MtuProber.forPath(sender.getAddress() instanceof java.net.Inet6Address), random.nextInt());
        c.attach(s, true);
        connections.put(key, c);
        tickWhileConnected();
        acceptor.accept(c);
        eventLoop().register(c);
    }

    private boolean roomForHalfOpen(InetAddress from) {
        if (connections.size() >= MAX_CONNECTIONS) {
            return false;
        }
        int fromThere = 0;
        int total = 0;
        for (Map.Entry<Key, UtpChannel> e : connections.entrySet()) {
            if (e.getValue().socket().isAcceptedAndHalfOpen()) {
                total++;
                if (e.getKey().peer().getAddress().equals(from)) {
                    fromThere++;
                }
            }
        }
        return fromThere < MAX_HALF_OPEN_PER_ADDRESS && total < MAX_HALF_OPEN;
    }

    /** Opens {@code c}'s connection: picks a receive id no connection to that peer uses and sends the SYN. */
    void connect(UtpChannel c) {
        InetSocketAddress peer = c.remoteAddress();
        int id;
        do {
            id = random.nextInt() & SequenceNumbers.MASK;
        } while (connections.containsKey(new Key(peer, id)));
        connections.put(new Key(peer, id), c);
        tickWhileConnected();
        c.attach(UtpSocket.connect(c, micros, c::unreadBytes,
                MtuProber.forPath(peer.getAddress() instanceof java.net.Inet6Address), id, random.nextInt()), false);
    }

    /**
     * Writes a packet now and flushes once the loop is through with what it is doing: the packets one
     * turn of the loop makes (the acks after a batch of datagrams, a window's worth of data after an ack,
     * the requests a peer writes) leave in one flush, which Netty's epoll channel sends with one
     * {@code sendmmsg} call rather than a system call per datagram.
     */
    void send(UtpPacket p, InetSocketAddress to) {
        ByteBuf b = UtpPacketCodec.encode(p, ctx.alloc());
        ctx.write(new DatagramPacket(b, to)).addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("uTP: cannot send to {}: {}", to, f.cause().toString());
            }
        });
        if (!flushPending) {
            flushPending = true;
            try {
                ctx.executor().execute(flush);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                flush.run(); // the loop is shutting down: out with it now
            }
        }
    }

    /** Flushes what {@link #send} wrote. */
    private void flushWritten() {
        flushPending = false;
        flushes++;
        ctx.flush();
    }

    /** How many times the written packets were flushed: fewer than packets when they leave in batches. */
    long flushes() {
        return flushes;
    }

    void markBusy(UtpChannel c, int receivedBytes) {
        busy.add(c);
        streamBytesReceived.addAndGet(receivedBytes);
    }

    void countSent(int bytes) {
        streamBytesSent.addAndGet(bytes);
    }

    void forget(UtpChannel c) {
        connections.values().remove(c);
        outvoted.values().removeIf(c::equals);
        busy.remove(c);
    }

    private void afterBatch() {
        if (busy.isEmpty()) {
            return;
        }
        List<UtpChannel> now = new ArrayList<>(busy);
        busy.clear();
        for (UtpChannel c : now) {
            c.afterBatch();
        }
    }

    private void tick() {
        for (UtpChannel c : new ArrayList<>(connections.values())) {
            c.socket().tick();
        }
        afterBatch();
        if (connections.isEmpty() && busy.isEmpty() && ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }
}
