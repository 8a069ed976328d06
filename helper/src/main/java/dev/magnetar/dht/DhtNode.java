package dev.magnetar.dht;

import dev.magnetar.metainfo.InfoHash;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BEP 5 DHT node on one Netty UDP socket. It answers ping, find_node, get_peers and announce_peer
 * (rate-limited per IP and in total), runs iterative lookups for peers, announces, keeps its routing
 * table alive (pings quiet nodes, refreshes stale buckets) and saves it across restarts.
 *
 * <p>On a dual-stack socket it is in both DHTs at once (BEP 32): one routing table per address family,
 * lookups and announces run in each family the socket can reach, and answers carry the contacts the
 * querier asked for in "want" ("nodes" and/or "nodes6"; by default those of the family it asked over)
 * and the peers of that family as "values".
 *
 * <p>All protocol state (pending queries, lookups) lives on the node's single event-loop thread;
 * the public methods hop onto it. Returned futures complete on that thread: do not block in callbacks.
 */
public final class DhtNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);

    static final int MAX_VALUES_PER_REPLY = 50;
    static final Duration PEER_TTL = Duration.ofMinutes(30);
    static final int MAX_PEERS_PER_INFO_HASH = 500;
    static final int MAX_INFO_HASHES = 5000;
    static final Duration MAINTENANCE_INTERVAL = Duration.ofMinutes(1);
    static final Duration SAVE_INTERVAL = Duration.ofMinutes(10);
    static final int MAX_PINGS_PER_ROUND = 16;

    private record Pending(String method, InetSocketAddress to, NodeId expectedId,
                           CompletableFuture<KrpcMessage.Response> reply, ScheduledFuture<?> timer) {}

    private final DhtSettings settings;
    private final Clock clock;
    private final NodeId ownId;
    private final RoutingTables tables;
    private final TokenManager tokens;
    private final PeerStore peerStore;
    private final QueryRateLimiter limiter;
    private final List<NodeInfo> restoredNodes;
    private final Map<TransactionId, Pending> pending = new HashMap<>();
    /** Set on the event loop when {@link #close} begins, so that no query is sent from then on; a new start clears it. */
    private volatile boolean closing;
    private final AtomicLong droppedDatagrams = new AtomicLong();
    private final AtomicLong answeredQueries = new AtomicLong();
    private final AtomicLong rateLimitedQueries = new AtomicLong();
    private int nextTransaction = ThreadLocalRandom.current().nextInt(1 << 16);
    private Instant lastSave;

    private volatile EventLoopGroup group;
    private volatile Channel channel;
    private volatile ExecutorService blocking;
    private volatile ScheduledFuture<?> maintenance;
    private volatile InetSocketAddress localAddress;
    private volatile Set<IpFamily> families = Set.of();
    /** The bootstrap nodes as last resolved, for lookups that find their family's table empty. */
    private volatile List<InetSocketAddress> resolvedBootstrap = List.of();
    private volatile CompletableFuture<Integer> firstBootstrap =
            CompletableFuture.failedFuture(new DhtNotRunningException());

    public DhtNode(DhtSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock drives node states, tokens, peer expiry and rate limits (a fake one in tests) */
    public DhtNode(DhtSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        DhtState restored = restore(settings);
        this.ownId = restored != null ? restored.ownId() : freshId(settings.bindAddress());
        this.restoredNodes = restored != null ? restored.nodes() : List.of();
        this.tables = new RoutingTables(ownId, new RoutingTable.Policy(settings.enforceNodeId(), settings.restrictSameIp()), clock);
        this.tokens = new TokenManager(clock);
        this.peerStore = new PeerStore(clock, PEER_TTL, MAX_PEERS_PER_INFO_HASH, MAX_INFO_HASHES);
        this.limiter = new QueryRateLimiter(clock, settings.perIpQueriesPerSecond(), settings.perIpBurst(),
                settings.globalQueriesPerSecond());
        this.lastSave = clock.instant();
    }

    private static DhtState restore(DhtSettings settings) {
        if (settings.stateFile() == null) {
            return null;
        }
        try {
            return DhtState.load(settings.stateFile()).orElse(null);
        } catch (DhtStateException e) {
            log.warn("Starting the DHT with a fresh routing table: {}", e.getMessage());
            return null;
        }
    }

    /** BEP 42: when bound to a concrete public IP, pick an id that fits it; otherwise any random id. */
    private static NodeId freshId(String bindAddress) {
        try {
            InetAddress ip = InetAddress.getByName(bindAddress);
            if (!NodeIdVerifier.isExempt(ip)) {
                return NodeIdVerifier.generateFor(ip);
            }
        } catch (UnknownHostException e) {
            // start() reports the unusable bind address; the id does not matter then.
        }
        return NodeId.random();
    }

    /**
     * Binds the UDP socket and joins the network through the saved contacts and the bootstrap list.
     *
     * @throws DhtStartException when the socket cannot be bound
     */
    public synchronized void start() throws DhtStartException {
        if (channel != null) {
            return;
        }
        EventLoopGroup g = new NioEventLoopGroup(1, new DefaultThreadFactory("magnetar-dht", true));
        Bootstrap b = new Bootstrap()
                .group(g)
                .channel(NioDatagramChannel.class)
                // One byte more than we accept, so that oversize datagrams are seen as such and dropped.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(KrpcCodec.MAX_DATAGRAM_BYTES + 1))
                .handler(new KrpcHandler());
        InetSocketAddress bind = new InetSocketAddress(settings.bindAddress(), settings.port());
        try {
            Channel ch = b.bind(bind).sync().channel();
            this.group = g;
            running(ch);
        } catch (Exception e) { // Netty rethrows bind failures (BindException etc.) undeclared from sync()
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new DhtStartException("cannot bind the DHT to UDP " + bind + " (" + e.getMessage()
                    + "); choose another port or bind address", e);
        }
    }

    /**
     * Joins a UDP socket that is already bound, instead of binding one: how the DHT shares the peer
     * port with uTP, as BEP 29 intends (one port for a NAT to map, the one peers already know). The
     * handlers before ours must pass the datagrams that are not theirs on — KRPC messages are bencoded
     * dictionaries, so they start with 'd', which no uTP packet does. The socket and its loop stay the
     * caller's: {@link #close} takes our handler off and leaves them open. The node's
     * {@link DhtSettings#bindAddress()} and {@link DhtSettings#port()} are not used.
     */
    public synchronized void startOn(Channel udp) {
        if (channel != null) {
            return;
        }
        udp.pipeline().addLast(KRPC_HANDLER, new KrpcHandler());
        running(udp);
    }

    private static final String KRPC_HANDLER = "krpc";

    private void running(Channel ch) {
        this.closing = false;
        this.channel = ch;
        this.localAddress = (InetSocketAddress) ch.localAddress();
        this.families = reachableFamilies(localAddress.getAddress());
        this.blocking = Executors.newSingleThreadExecutor(new DefaultThreadFactory("magnetar-dht-io", true));
        log.info("DHT node {} listening on UDP {}{}", ownId, localAddress, group == null ? " (shared with uTP)" : "");
        long every = MAINTENANCE_INTERVAL.toMillis();
        this.maintenance = channel.eventLoop().scheduleAtFixedRate(this::maintain, every, every, TimeUnit.MILLISECONDS);
        this.firstBootstrap = bootstrap();
    }

    /**
     * An IPv4 socket reaches IPv4 only, one bound to a concrete IPv6 address (such as ::1) IPv6 only, and
     * one bound to "::" both: Java opens dual-stack sockets, whose IPv4 senders it reports as IPv4.
     */
    static Set<IpFamily> reachableFamilies(InetAddress local) {
        if (IpFamily.of(local) == IpFamily.V4) {
            return Set.of(IpFamily.V4);
        }
        return local.isAnyLocalAddress() ? Set.of(IpFamily.V4, IpFamily.V6) : Set.of(IpFamily.V6);
    }

    /** The address families this node takes part in (empty until it runs). */
    public Set<IpFamily> families() {
        return families;
    }

    /** Hands each datagram on the socket to the node. */
    private final class KrpcHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            onDatagram(ByteBufUtil.getBytes(packet.content()), packet.sender());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors and the like: one peer's problem must not close our socket.
            log.debug("DHT socket error: {}", cause.toString());
        }
    }

    /**
     * The bootstrap {@link #start} began: lookups started before it ends would see an empty routing
     * table, so the engine waits for it (it fails only when the node is not running).
     */
    public CompletableFuture<Integer> bootstrapped() {
        return firstBootstrap;
    }

    /**
     * Looks up our own id through the routing table, the saved contacts and the bootstrap nodes, which
     * fills the table with our neighbours (BEP 5), in each family we reach (BEP 32). Completes with the
     * size of both routing tables afterwards.
     */
    public CompletableFuture<Integer> bootstrap() {
        EventLoop loop = eventLoopOrNull();
        ExecutorService io = blocking;
        if (loop == null || io == null) {
            return CompletableFuture.failedFuture(new DhtNotRunningException());
        }
        // DNS may block: resolve the bootstrap names on the I/O thread, then continue on the DHT thread.
        return CompletableFuture.supplyAsync(this::resolveBootstrapNodes, io)
                .thenCompose(resolved -> inEachFamily(family -> {
                    resolvedBootstrap = List.copyOf(resolved);
                    List<InetSocketAddress> contacts = new ArrayList<>(resolved);
                    for (NodeInfo n : restoredNodes) {
                        contacts.add(n.address());
                    }
                    contacts.removeIf(a -> IpFamily.of(a) != family);
                    return Lookup.findNode(transport, ownId, family)
                            .start(tables.of(family).closest(ownId, RoutingTable.K), contacts);
                }))
                .thenApply(results -> {
                    log.debug("DHT bootstrap done after {} queries; {} IPv4 and {} IPv6 nodes in the tables",
                            results.stream().mapToInt(Lookup.Result::queriesSent).sum(),
                            tables.of(IpFamily.V4).size(), tables.of(IpFamily.V6).size());
                    return tables.size();
                });
    }

    private List<InetSocketAddress> resolveBootstrapNodes() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : settings.bootstrapNodes()) {
            InetSocketAddress unresolved = DhtSettings.parseHostPort(entry);
            try {
                for (InetAddress a : InetAddress.getAllByName(unresolved.getHostString())) {
                    if (localAddress == null || a.getClass() == localAddress.getAddress().getClass()
                            || localAddress.getAddress().isAnyLocalAddress()) {
                        out.add(new InetSocketAddress(a, unresolved.getPort()));
                    }
                }
            } catch (UnknownHostException e) {
                log.info("DHT bootstrap node {} does not resolve; skipping it", entry);
            }
        }
        return out;
    }

    /** Asks the DHT for peers of {@code infoHash}: an iterative get_peers lookup in each family we reach. */
    public CompletableFuture<List<InetSocketAddress>> getPeers(InfoHash infoHash) {
        return inEachFamily(family -> peerLookup(infoHash, family))
                .thenApply(results -> {
                    Set<InetSocketAddress> peers = new LinkedHashSet<>();
                    results.forEach(r -> peers.addAll(r.peers()));
                    return List.copyOf(peers);
                });
    }

    private CompletableFuture<Lookup.Result> peerLookup(InfoHash infoHash, IpFamily family) {
        RoutingTable table = tables.of(family);
        // An empty table (the bootstrap nodes did not answer in time, or all went bad) would end the lookup
        // at once and leave it empty until maintenance bootstraps again; ask the bootstrap nodes instead,
        // whose replies also refill the table.
        List<InetSocketAddress> routers = table.size() == 0 ? resolvedBootstrap : List.of();
        return Lookup.getPeers(transport, infoHash, family).start(table.closest(NodeId.of(infoHash), RoutingTable.K), routers);
    }

    /**
     * Announces that we serve {@code infoHash} on TCP {@code port}: a get_peers lookup, then announce_peer
     * with each of the closest responders' tokens (BEP 5), in each family we reach: over IPv6 the nodes
     * store our IPv6 address (BEP 32). Completes with how many nodes accepted it.
     */
    public CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
        if (port < 1 || port > 65535) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("announce port must be 1..65535, got " + port));
        }
        return inEachFamily(family -> peerLookup(infoHash, family))
                .thenCompose(results -> onLoop(() -> {
                    List<CompletableFuture<Boolean>> acks = new ArrayList<>();
                    for (Lookup.Responder r : results.stream().flatMap(result -> result.closest().stream()).toList()) {
                        if (r.token() == null) {
                            continue;
                        }
                        acks.add(query(r.node().address(), r.node().id(),
                                tid -> new KrpcMessage.AnnouncePeer(tid, ownId, infoHash, port, false, r.token()))
                                .handle((reply, failure) -> failure == null));
                    }
                    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                            .thenApply(v -> (int) acks.stream().filter(CompletableFuture::join).count());
                }));
    }

    /** Pings {@code address}; if it answers it enters the routing table. Completes with whether it did. */
    public CompletableFuture<Boolean> addNode(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("resolve " + address + " first"));
        }
        return onLoop(() -> query(address, null, tid -> new KrpcMessage.Ping(tid, ownId)))
                .handle((reply, failure) -> failure == null);
    }

    /** Contacts in both routing tables. */
    public int routingTableSize() {
        return tables.size();
    }

    /** The bound UDP port (useful when the settings asked for port 0). */
    public int port() {
        InetSocketAddress a = localAddress;
        return a == null ? -1 : a.getPort();
    }

    public NodeId id() {
        return ownId;
    }

    /** Datagrams dropped as malformed, unsolicited or spoofed. */
    public long droppedDatagrams() {
        return droppedDatagrams.get();
    }

    public long answeredQueries() {
        return answeredQueries.get();
    }

    public long rateLimitedQueries() {
        return rateLimitedQueries.get();
    }

    /** Peers that others announced to this node for {@code infoHash} (what get_peers would answer). */
    public List<InetSocketAddress> storedPeers(InfoHash infoHash) {
        return peerStore.peers(infoHash, Integer.MAX_VALUE);
    }

    /** Contacts currently in the routing tables, IPv4 first. */
    public List<NodeInfo> routingTableNodes() {
        return tables.nodes();
    }

    /** Saves the routing table and our id now (also done periodically and on close). */
    public void saveState() throws IOException {
        if (settings.stateFile() != null) {
            new DhtState(ownId, tables.nodes()).save(settings.stateFile());
        }
    }

    /** Saves the state, fails what is still pending and releases the socket and threads. */
    @Override
    public synchronized void close() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        try {
            saveState();
        } catch (IOException e) {
            log.warn("Could not save the DHT routing table to {}: {}", settings.stateFile(), e.getMessage());
        }
        ScheduledFuture<?> m = maintenance;
        if (m != null) {
            m.cancel(false);
        }
        ch.eventLoop().execute(() -> {
            // Failing a query runs its lookup's next step at once, on this thread, which would ask its next candidate:
            // closing first makes that query fail at once instead of joining the map being walked (a walk over the map
            // itself threw ConcurrentModificationException and left the rest waiting for good).
            closing = true;
            List<Pending> waiting = new ArrayList<>(pending.values());
            pending.clear();
            for (Pending p : waiting) {
                p.timer().cancel(false);
                p.reply().completeExceptionally(new DhtNotRunningException());
            }
        });
        if (group != null) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            group = null;
        } else if (ch.isOpen() && ch.pipeline().get(KRPC_HANDLER) != null) {
            ch.pipeline().remove(KRPC_HANDLER); // a shared socket stays its owner's
        }
        blocking.shutdownNow();
        channel = null;
        localAddress = null;
    }

    // ---- our queries (event loop) --------------------------------------------------------------------

    /** What lookups see of this node; kept private so nobody queries from outside the event loop. */
    private final KrpcTransport transport = new KrpcTransport() {
        @Override
        public NodeId ownId() {
            return ownId;
        }

        @Override
        public boolean isSelf(InetSocketAddress address) {
            return DhtNode.this.isSelf(address);
        }

        @Override
        public CompletableFuture<KrpcMessage.Response> query(InetSocketAddress to, NodeId expectedId,
                                                             Function<TransactionId, KrpcMessage.Query> make) {
            return DhtNode.this.query(to, expectedId, make);
        }
    };

    private boolean isSelf(InetSocketAddress address) {
        InetSocketAddress local = localAddress;
        return local != null && address.getPort() == local.getPort()
                && (address.getAddress().equals(local.getAddress())
                    || (local.getAddress().isAnyLocalAddress() && address.getAddress().isLoopbackAddress()));
    }

    /** Must be called on the event loop. */
    private CompletableFuture<KrpcMessage.Response> query(InetSocketAddress to, NodeId expectedId,
                                                         Function<TransactionId, KrpcMessage.Query> make) {
        Channel ch = channel;
        if (ch == null || closing) {
            return CompletableFuture.failedFuture(new DhtNotRunningException());
        }
        TransactionId tid = nextTransactionId();
        KrpcMessage.Query q = make.apply(tid);
        CompletableFuture<KrpcMessage.Response> reply = new CompletableFuture<>();
        ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> timedOut(tid), settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pending.put(tid, new Pending(q.method(), to, expectedId, reply, timer));
        send(q, to);
        return reply;
    }

    private TransactionId nextTransactionId() {
        TransactionId tid;
        do {
            nextTransaction = (nextTransaction + 1) & 0xffff;
            tid = TransactionId.ofShort(nextTransaction);
        } while (pending.containsKey(tid));
        return tid;
    }

    private void timedOut(TransactionId tid) {
        Pending p = pending.remove(tid);
        if (p != null) {
            tables.of(p.to()).failed(p.expectedId(), p.to());
            p.reply().completeExceptionally(new QueryTimeoutException(p.method(), p.to()));
        }
    }

    private void send(KrpcMessage message, InetSocketAddress to) {
        Channel ch = channel;
        if (ch != null) {
            ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(KrpcCodec.encode(message)), to));
        }
    }

    // ---- incoming datagrams (event loop) -----------------------------------------------------------

    private void onDatagram(byte[] data, InetSocketAddress from) {
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(data);
        } catch (KrpcDecodeException e) {
            onMalformed(e, from);
            return;
        }
        if (message instanceof KrpcMessage.Query q) {
            onQuery(q, from);
        } else if (message instanceof KrpcMessage.Response r) {
            onResponse(r, from);
        } else {
            onError((KrpcMessage.Error) message, from);
        }
    }

    private void onMalformed(KrpcDecodeException e, InetSocketAddress from) {
        droppedDatagrams.incrementAndGet();
        log.debug("Dropped a malformed KRPC datagram from {}: {}", from, e.getMessage());
        Optional<TransactionId> tid = e.transactionId();
        if (tid.isEmpty()) {
            return;
        }
        if (e.wasQuery()) {
            // BEP 5: tell an honest but buggy querier what was wrong; rate-limited like any answer.
            if (limiter.tryAcquire(from.getAddress())) {
                send(new KrpcMessage.Error(tid.get(), e.errorCode(), e.getMessage()), from);
            }
            return;
        }
        Pending p = pending.get(tid.get());
        if (p != null && p.to().equals(from)) {
            pending.remove(tid.get());
            p.timer().cancel(false);
            p.reply().completeExceptionally(e);
        }
    }

    private void onResponse(KrpcMessage.Response r, InetSocketAddress from) {
        Pending p = pending.get(r.transactionId());
        if (p == null || !p.to().equals(from)) {
            // Unsolicited, late, or someone guessing transaction ids from another address.
            droppedDatagrams.incrementAndGet();
            return;
        }
        pending.remove(r.transactionId());
        p.timer().cancel(false);
        if (p.expectedId() != null && !p.expectedId().equals(r.responder())) {
            // The address now answers with another id (restarted, or lying): the old contact is gone.
            tables.of(from).failed(p.expectedId(), from);
        }
        tables.of(from).heardFrom(r.responder(), from, true);
        p.reply().complete(r);
    }

    private void onError(KrpcMessage.Error error, InetSocketAddress from) {
        Pending p = pending.get(error.transactionId());
        if (p == null || !p.to().equals(from)) {
            droppedDatagrams.incrementAndGet();
            return;
        }
        pending.remove(error.transactionId());
        p.timer().cancel(false);
        p.reply().completeExceptionally(new KrpcErrorException(error.code(), error.message()));
    }

    private void onQuery(KrpcMessage.Query q, InetSocketAddress from) {
        if (!limiter.tryAcquire(from.getAddress())) {
            rateLimitedQueries.incrementAndGet();
            return;
        }
        tables.of(from).heardFrom(q.sender(), from, false);
        answeredQueries.incrementAndGet();
        send(answer(q, from), from);
    }

    /** The reply to a query; pure apart from the token and peer stores. */
    private KrpcMessage answer(KrpcMessage.Query q, InetSocketAddress from) {
        TransactionId t = q.transactionId();
        if (q instanceof KrpcMessage.FindNode f) {
            Set<IpFamily> want = wanted(f.want(), from);
            return new KrpcMessage.Response(t, ownId, closest(f.target(), IpFamily.V4, want),
                    closest(f.target(), IpFamily.V6, want), List.of(), null);
        }
        if (q instanceof KrpcMessage.GetPeers g) {
            // BEP 5 returns either values or nodes; sending both is common and helps lookups converge.
            // BEP 32: the values are peers of the family the query came over, so that they can be dialled
            // from where it came; the token is bound to that address, IPv6 included.
            Set<IpFamily> want = wanted(g.want(), from);
            NodeId target = NodeId.of(g.infoHash());
            return new KrpcMessage.Response(t, ownId, closest(target, IpFamily.V4, want), closest(target, IpFamily.V6, want),
                    peerStore.peers(g.infoHash(), IpFamily.of(from), MAX_VALUES_PER_REPLY), tokens.issue(from.getAddress()));
        }
        if (q instanceof KrpcMessage.AnnouncePeer a) {
            if (!tokens.isValid(a.token(), from.getAddress())) {
                return new KrpcMessage.Error(t, KrpcMessage.Error.PROTOCOL, "bad token");
            }
            int port = a.impliedPort() ? from.getPort() : a.port();
            peerStore.announce(a.infoHash(), new InetSocketAddress(from.getAddress(), port));
            return KrpcMessage.Response.bare(t, ownId);
        }
        return KrpcMessage.Response.bare(t, ownId); // ping
    }

    /** BEP 32: the families named in "want", or without one the family the query came over. */
    private static Set<IpFamily> wanted(Set<IpFamily> want, InetSocketAddress from) {
        return want.isEmpty() ? Set.of(IpFamily.of(from)) : want;
    }

    private List<NodeInfo> closest(NodeId target, IpFamily family, Set<IpFamily> want) {
        return want.contains(family) ? tables.of(family).closest(target, RoutingTable.K) : List.of();
    }

    // ---- maintenance (event loop) -----------------------------------------------------------------

    private void maintain() {
        try {
            for (IpFamily family : families) {
                RoutingTable table = tables.of(family);
                List<NodeInfo> quiet = table.questionable();
                for (int i = 0; i < quiet.size() && i < MAX_PINGS_PER_ROUND; i++) {
                    NodeInfo n = quiet.get(i);
                    query(n.address(), n.id(), tid -> new KrpcMessage.Ping(tid, ownId));
                }
                for (NodeId target : table.refreshTargets()) {
                    Lookup.findNode(transport, target, family).start(table.closest(target, RoutingTable.K), List.of());
                }
            }
            if (tables.size() == 0) {
                bootstrap();
            }
            peerStore.purgeExpired();
            Instant now = clock.instant();
            if (Duration.between(lastSave, now).compareTo(SAVE_INTERVAL) >= 0) {
                lastSave = now;
                blocking.execute(() -> {
                    try {
                        saveState();
                    } catch (IOException e) {
                        log.warn("Could not save the DHT routing table to {}: {}", settings.stateFile(), e.getMessage());
                    }
                });
            }
        } catch (RuntimeException e) {
            // Outermost edge of a periodic task: log, and keep the schedule alive.
            log.warn("DHT maintenance failed", e);
        }
    }

    /** Runs one maintenance round now instead of waiting for the timer (tests with a fake clock). */
    CompletableFuture<Void> maintainNow() {
        return onLoop(() -> {
            maintain();
            return CompletableFuture.completedFuture(null);
        });
    }

    /** The IPv4 routing table. */
    RoutingTable routingTable() {
        return tables.of(IpFamily.V4);
    }

    RoutingTable routingTable(IpFamily family) {
        return tables.of(family);
    }

    /**
     * Runs {@code lookup} on the DHT thread once per family this node reaches, all at once, and completes
     * with their results when every one has ended.
     */
    private <T> CompletableFuture<List<T>> inEachFamily(Function<IpFamily, CompletableFuture<T>> lookup) {
        return onLoop(() -> {
            List<CompletableFuture<T>> each = new ArrayList<>();
            for (IpFamily family : IpFamily.values()) {
                if (families.contains(family)) {
                    each.add(lookup.apply(family));
                }
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
        });
    }

    private EventLoop eventLoopOrNull() {
        Channel ch = channel;
        return ch == null ? null : ch.eventLoop();
    }

    /** Runs {@code action} on the DHT thread and flattens its future. */
    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> action) {
        EventLoop loop = eventLoopOrNull();
        if (loop == null) {
            return CompletableFuture.failedFuture(new DhtNotRunningException());
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    action.get().whenComplete((v, e) -> {
                        if (e != null) {
                            out.completeExceptionally(e);
                        } else {
                            out.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            out.completeExceptionally(new DhtNotRunningException());
        }
        return out;
    }
}
