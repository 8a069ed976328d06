package dev.magnetar.engine;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.InvalidMagnetException;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.MagnetLink;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.metainfo.UnsupportedTorrentException;
import dev.magnetar.portmap.PortMappingStatus;
import dev.magnetar.storage.DownloadFolder;
import dev.magnetar.storage.ResumeStore;
import dev.magnetar.storage.StorageException;
import dev.magnetar.storage.StorageExecutors;
import dev.magnetar.tracker.HttpTrackerClient;
import dev.magnetar.webseed.WebSeedClient;
import dev.magnetar.tracker.RoutingTrackerClient;
import dev.magnetar.tracker.TrackerClient;
import dev.magnetar.tracker.UdpTrackerClient;
import dev.magnetar.util.ProductVersion;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.MseResponder;
import dev.magnetar.wire.WirePipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BitTorrent session: one listening socket, one peer id, global rate limits, and the torrents.
 *
 * <p><b>Threading model.</b>
 * <ul>
 *   <li>All peer I/O runs on one Netty {@link NioEventLoopGroup} — no thread per peer (DESIGN.md).
 *       It has {@link EngineSettings#peerThreads()} threads, 1 by default: on the 2-core machines this
 *       helper targets, one loop moves well over 100 MiB/s of 16 KiB blocks, hashing and disk already
 *       take the other core(s) (see {@link StorageExecutors}), and one loop means an incoming peer
 *       never has to hop between threads. More threads work too:</li>
 *   <li>each torrent picks one loop of the group ({@code group.next()}) and ALL its state is touched
 *       only from that loop. Its outgoing connections are registered on it; incoming connections,
 *       accepted on any loop, hop their events onto it ({@link PeerChannelHandler}). So the logic
 *       classes (picker, choker, assemblies, ban list) need no locks.</li>
 *   <li>Disk reads/writes and SHA-1 run on the small bounded pools of {@link StorageExecutors};
 *       their completions hop back onto the torrent's loop with {@code execute}.</li>
 *   <li>Public methods of the engine and of {@link Torrent} may be called from any thread.</li>
 * </ul>
 */
public final class Engine implements TorrentControl, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    /** Our BEP 10 {@code v}. */
    private final FileStreaming fileStreaming = new EngineFileStreaming(this);
    public static final String CLIENT_NAME = "Magnetar " + ProductVersion.current();

    private final EngineSettings settings;
    private final byte[] peerId = PeerIds.generate();
    private final String announceKey;
    private final PeerTransport transport;
    private final EventLoopGroup group;
    private final StorageExecutors storageExecutors;
    private final PendingWriteBudget pendingWrites;
    private final AssemblyBudget assemblyBudget;
    private final PieceBufferPool pieceBuffers;
    /** Keys and pads of encrypted handshakes; also the announce key. */
    private final SecureRandom secureRandom = new SecureRandom();
    private final ResumeStore resumeStore;
    private final RateLimiter downloadLimiter;
    private final RateLimiter uploadLimiter;
    private final Map<InfoHash, Torrent> torrents = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<EngineEvent>> subscribers = new CopyOnWriteArrayList<>();
    /** One tick timer per event loop for all its torrents (see {@link LoopTicker}). */
    private final Map<EventLoop, LoopTicker> tickers = new ConcurrentHashMap<>();
    private final TorrentListView listView = new TorrentListView(this::buildList, MonotonicClock.NANOS, Torrent.TICK.toNanos());
    /** Removed torrents whose close (and file deletion) has not finished: adding one again must wait. */
    private final Set<InfoHash> removing = ConcurrentHashMap.newKeySet();
    private final Channel serverChannel;
    private final InetSocketAddress listenAddress;
    private volatile ExternalEndpoint external = ExternalEndpoint.NONE;
    private final Object externalLock = new Object();
    /** BEP 7's {@code ipv6=} for HTTP trackers, or null ({@link OwnIpv6Address}). */
    private final java.net.Inet6Address announcedIpv6;
    /** uTP on the listen port's UDP twin; null when off or its port was taken. */
    private final UtpEndpoint utp;
    private final UtpSilentPeers utpSilentPeers = new UtpSilentPeers(MonotonicClock.NANOS);
    private final PeerSources peerSources;
    /** The torrents to bring back after a restart; null unless {@link EngineSettings#sessionFile} is set. */
    private final SessionList session;
    private final AtomicBoolean sessionRestored = new AtomicBoolean();
    private TrackerClient trackerClient;
    private HttpTrackerClient httpTracker;
    private WebSeedClient webSeedClient;
    private UdpTrackerClient udpTracker;
    private volatile boolean closed;
    private volatile TorrentEconomy.Factory economyFactory = t -> TorrentEconomy.NONE;
    private final SeedingGoals seedingGoals = new SeedingGoals();
    private long seedingSavedAtNanos = System.nanoTime();

    private Engine(EngineSettings settings, PeerTransport transport, EventLoopGroup group,
                   StorageExecutors storageExecutors) throws EngineException {
        this.settings = settings;
        this.transport = transport;
        this.group = group;
        this.storageExecutors = storageExecutors;
        this.pendingWrites = new PendingWriteBudget(settings.maxPendingWriteBytes(),
                () -> torrents.values().forEach(Torrent::pendingWritesChanged));
        this.assemblyBudget = new AssemblyBudget(settings.maxAssemblyBytes());
        this.pieceBuffers = PieceBufferPool.forEngine(settings.maxPendingWriteBytes());
        this.resumeStore = new ResumeStore(settings.resumeDir());
        this.downloadLimiter = RateLimiter.root(settings.downloadBytesPerSecond(), 0, MonotonicClock.NANOS);
        this.uploadLimiter = RateLimiter.root(settings.uploadBytesPerSecond(), 0, MonotonicClock.NANOS);
        this.announceKey = Long.toHexString(secureRandom.nextLong());
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, PeerTransport.READ_SIZES)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        installIncoming(ch);
                    }
                });
        try {
            serverChannel = ListenAddress.bind(settings.listenAddress(), settings.listenPort(), address -> {
                ChannelFuture bound = server.bind(address).awaitUninterruptibly();
                if (!bound.isSuccess()) {
                    bound.channel().close();
                    throw bound.cause() instanceof Exception e ? e : new IOException(bound.cause());
                }
                return bound.channel();
            });
        } catch (Exception e) {
            throw new EngineException("cannot listen for peers on " + settings.listenAddress() + ":"
                    + settings.listenPort() + " (" + e.getMessage() + "); choose another port or address", e);
        }
        listenAddress = (InetSocketAddress) serverChannel.localAddress();
        announcedIpv6 = OwnIpv6Address.of(listenAddress);
        utp = settings.utp() ? UtpEndpoint.bind(listenAddress, this::installIncoming, transport, group.next()) : null;
        log.info("Listening for peers on {} ({})", listenAddress, transport.name());
        peerSources = PeerSources.start(settings.discovery(), listenAddress, this::torrentByWireHash, utp == null ? null : utp.channel());
        session = settings.sessionFile() == null ? null : SessionList.open(settings.sessionFile());
        group.next().scheduleAtFixedRate(this::checkSeedingGoals, SEEDING_CHECK.toMillis(), SEEDING_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        long trimMillis = PieceBufferPool.TRIM_INTERVAL.toMillis();
        group.next().scheduleAtFixedRate(pieceBuffers::trim, trimMillis, trimMillis, TimeUnit.MILLISECONDS);
    }

    /** How often seeding goals are looked at: a goal is a limit users set in minutes or whole ratios. */
    static final Duration SEEDING_CHECK = Duration.ofSeconds(2);
    /** How often the counts towards them (uploaded bytes, time seeded) are written to the session list. */
    static final Duration SEEDING_SAVE = Duration.ofMinutes(1);
    /**
     * How often seeding time alone is written: after a crash (a clean close writes the exact counts) a
     * torrent may seed up to this much longer than its time goal. qBittorrent saves resume data hourly.
     */
    static final Duration SEEDING_TIME_SAVE = Duration.ofMinutes(15);
    /** How long an add or removal through the API waits for the session list to reach the disk. */
    static final Duration SESSION_WRITE_WAIT = Duration.ofSeconds(10);

    /** Starts a session: binds the listening socket and brings back the session list's torrents ({@link #restoreSession}). */
    public static Engine start(EngineSettings settings) throws EngineException {
        Engine engine = open(settings);
        engine.restoreSession();
        return engine;
    }

    /**
     * Starts a session without bringing back its torrents yet: for a caller that sets the engine up
     * first ({@link #setEconomy}: a torrent takes its economy when it is created, so a torrent
     * restored before would run without the speed economy until the next restart), then calls
     * {@link #restoreSession}.
     */
    public static Engine open(EngineSettings settings) throws EngineException {
        return open(settings, PeerTransport.best());
    }

    /**
     * Brings back the torrents of the session list ({@link EngineSettings#sessionFile}), once; later
     * calls, and engines without a session list, do nothing.
     */
    public void restoreSession() {
        if (session != null && sessionRestored.compareAndSet(false, true)) {
            SessionRestore.restore(this, session);
        }
    }

    /** {@link #open(EngineSettings)} on a chosen transport (tests run both). */
    static Engine open(EngineSettings settings, PeerTransport transport) throws EngineException {
        try {
            Files.createDirectories(settings.resumeDir());
        } catch (IOException e) {
            throw new EngineException("cannot create the resume directory " + settings.resumeDir() + ": " + e.getMessage(), e);
        }
        EventLoopGroup group = transport.newGroup(settings.peerThreads());
        StorageExecutors ex = StorageExecutors.createDefault();
        try {
            return new Engine(settings, transport, group, ex);
        } catch (EngineException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            ex.close();
            throw e;
        }
    }

    public EngineSettings settings() {
        return settings;
    }

    /** The transport of this engine's event loops; outgoing peer sockets must use the same. */
    /** The same pipeline for every accepted peer, whether TCP or uTP carries it: one copy of the peer protocol. */
    private void installIncoming(Channel ch) {
        WirePipeline.installIncoming(ch.pipeline(), settings.wire(), this::answerHandshake,
                new MseResponder(this::infoHashByReq2, secureRandom));
        ch.pipeline().addLast("peer", PeerChannelHandler.forTorrents(this::torrentByWireHash));
    }

    /** The uTP multiplexer to dial through, or null when uTP is off. */
    dev.magnetar.wire.utp.UtpMultiplexer utp() {
        return utp == null ? null : utp.multiplexer();
    }

    /** Peers dialled over TCP alone because they ignored our uTP SYNs (engine-wide: re-adds and other torrents too). */
    UtpSilentPeers utpSilentPeers() {
        return utpSilentPeers;
    }

    PeerTransport transport() {
        return transport;
    }

    public byte[] peerId() {
        return peerId.clone();
    }

    /** Where we accept peers (the real port when the settings asked for 0). */
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    int listenPort() {
        return listenAddress.getPort();
    }

    /**
     * The port a router mapped to our listen port (UPnP IGD, NAT-PMP, PCP), or 0 for none. From then on
     * trackers ({@code port=}), the DHT ({@code announce_peer} with {@code implied_port} 0) and our BEP 10
     * handshakes ({@code p}) name it instead of the local one: peers outside can reach only that one.
     */
    public void externalPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        setExternal(external.withTcpPort(port));
    }

    /**
     * What the port mapper achieved: its external ports are announced ({@link #externalPort}), and an
     * address naming the router's public address at one of them is ourselves, never dialled.
     */
    public void portMapping(PortMappingStatus status) {
        setExternal(ExternalEndpoint.of(status));
    }

    private void setExternal(ExternalEndpoint next) {
        int before;
        int after;
        synchronized (externalLock) {
            before = announcedPort();
            external = next;
            after = announcedPort();
        }
        if (after != before) {
            // Trackers hand out the port they last heard: without a fresh announce, peers outside would
            // be told the old one until the next regular announce, up to half an hour later.
            torrents.values().forEach(Torrent::announcedPortChanged);
        }
    }

    /** The port we tell others to dial: the mapped external one, else the one we listen on. */
    int announcedPort() {
        int port = external.tcpPort();
        return port > 0 ? port : listenPort();
    }

    /** Whether {@code address} is us as peers outside see us, through the router's mapping. */
    boolean isOurExternalAddress(InetSocketAddress address) {
        return external.names(address, listenPort());
    }

    java.net.Inet6Address announcedIpv6() {
        return announcedIpv6;
    }

    String announceKey() {
        return announceKey;
    }

    StorageExecutors storageExecutors() {
        return storageExecutors;
    }

    /** Piece bytes waiting for SHA-1 and the disk, across all torrents. */
    PendingWriteBudget pendingWrites() {
        return pendingWrites;
    }

    /**
     * The info-hash of ours an encrypted handshake names by {@code HASH('req2', info-hash)}, or null.
     * One SHA-1 per torrent per encrypted connection: cheap next to the Diffie-Hellman exchange.
     */
    private byte[] infoHashByReq2(byte[] req2) {
        for (Map.Entry<InfoHash, Torrent> e : torrents.entrySet()) {
            if (MessageDigest.isEqual(MseResponder.req2(e.getKey().bytes()), req2)) {
                return e.getKey().bytes();
            }
            InfoHash other = e.getValue().otherSwarmHash();
            if (other != null && MessageDigest.isEqual(MseResponder.req2(other.bytes()), req2)) {
                return other.bytes();
            }
        }
        return null;
    }

    /**
     * The torrent a peer's handshake names: by the hash it is known by, or a hybrid (BEP 52) by its other
     * swarm's hash too, so that peers that came by its btmh reach the torrent we hold by its btih, and
     * the other way round.
     */
    private Torrent torrentByWireHash(InfoHash wireHash) {
        Torrent t = torrents.get(wireHash);
        if (t != null) {
            return t;
        }
        for (Torrent candidate : torrents.values()) {
            if (candidate.knownBy(wireHash)) {
                return candidate;
            }
        }
        return null;
    }

    /** For the keys and pads of encrypted handshakes we dial. */
    SecureRandom secureRandom() {
        return secureRandom;
    }

    /** Pieces in progress, across all torrents. */
    AssemblyBudget assemblyBudget() {
        return assemblyBudget;
    }

    /** Spare piece arrays, shared by the torrents so that one download's arrays serve the next. */
    PieceBufferPool pieceBuffers() {
        return pieceBuffers;
    }

    ResumeStore resumeStore() {
        return resumeStore;
    }

    RateLimiter downloadLimiter() {
        return downloadLimiter;
    }

    RateLimiter uploadLimiter() {
        return uploadLimiter;
    }

    /**
     * The per-torrent economy (the speed extension) for torrents added from now on; set it before
     * adding torrents. Without one, torrents are plain BitTorrent.
     */
    public void setEconomy(TorrentEconomy.Factory factory) {
        this.economyFactory = java.util.Objects.requireNonNull(factory, "factory");
    }

    TorrentEconomy.Factory economyFactory() {
        return economyFactory;
    }

    /** The global limits now (bytes per second, 0 = unlimited). */
    public RateLimits rateLimits() {
        return new RateLimits(downloadLimiter.bytesPerSecond(), uploadLimiter.bytesPerSecond());
    }

    /** Changes the global limits (bytes per second, 0 = unlimited). */
    public void setRateLimits(long downBytesPerSecond, long upBytesPerSecond) {
        downloadLimiter.setRate(downBytesPerSecond, 0);
        uploadLimiter.setRate(upBytesPerSecond, 0);
    }

    synchronized TrackerClient trackerClient() {
        if (trackerClient == null) {
            httpTracker = new HttpTrackerClient();
            try {
                udpTracker = new UdpTrackerClient();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the UDP tracker client", e);
            }
            trackerClient = new RoutingTrackerClient(httpTracker, udpTracker);
        }
        return trackerClient;
    }

    /** The HTTP client of every torrent's web seeds, started at the first one. */
    synchronized WebSeedClient webSeedClient() {
        if (webSeedClient == null) {
            WebSeedClient.Settings d = WebSeedClient.Settings.DEFAULTS;
            webSeedClient = new WebSeedClient(new WebSeedClient.Settings(d.connectTimeout(), d.idleTimeout(),
                    WebSeed.MAX_REQUESTS, d.maxRedirects(), d.userAgent()), settings.webSeedTrustStore());
        }
        return webSeedClient;
    }

    Handshake handshakeFor(InfoHash infoHash) {
        // BEP 6 fast and BEP 10 extensions on; the BEP 5 bit when our DHT node runs; BEP 52's on a v2 swarm's
        // connections only: on a hybrid's v1-hash connection libtorrent takes the bit as an offer to upgrade and
        // answers with the v2 hash, which this connection was not opened for.
        Torrent t = torrentByWireHash(infoHash);
        return Handshake.of(infoHash, peerId, true, true, dhtPort() > 0, t != null && t.isV2Swarm(infoHash));
    }

    /**
     * The handshake we dial with: as {@link #handshakeFor}, and BEP 52's bit on a hybrid's v1-hash connections
     * too, as libtorrent 2.0 dials: a v2-capable peer answers with the v2 swarm's hash
     * ({@link #upgradeHashFor}) and the connection is a v2 one, with hash requests (a hybrid's time-critical
     * pieces are then served block by block, {@code LeafVerifiedBlocks}); a v1-only peer answers with the v1
     * hash and the bit counts as not sent.
     */
    Handshake dialHandshakeFor(InfoHash infoHash) {
        Handshake h = handshakeFor(infoHash);
        return upgradeHashFor(infoHash) == null ? h : Handshake.of(infoHash, peerId, true, true, dhtPort() > 0, true);
    }

    /** For a hybrid dialled by its v1 hash: its v2 swarm's hash, which a v2-capable peer answers with; else null. */
    InfoHash upgradeHashFor(InfoHash infoHash) {
        Torrent t = torrentByWireHash(infoHash);
        return t == null || t.isV2Swarm(infoHash) ? null : t.v2SwarmHash();
    }

    /** Our DHT node's UDP port, 0 when the DHT is off. */
    int dhtPort() {
        PeerSources s = peerSources;
        return s == null ? 0 : s.dhtPort();
    }

    PeerSources peerSources() {
        return peerSources;
    }

    /** The session's BEP 5 DHT node, when DHT is on. */
    public Optional<dev.magnetar.dht.DhtNode> dhtNode() {
        return peerSources.dhtNode();
    }

    private Handshake answerHandshake(Handshake remote, SocketAddress from) {
        Torrent t = torrentByWireHash(remote.infoHash());
        if (t == null || closed || t.refusesPeerId(remote.peerId())) {
            return null;
        }
        return handshakeFor(remote.infoHash());
    }

    // ------------------------------------------------------------------ adding torrents

    /** Adds a parsed .torrent: its trackers are announced to. */
    public Torrent add(Metainfo metainfo, Path downloadDir, AddOptions options) throws EngineException {
        Torrent t = add(metainfo.info(), downloadDir, metainfo.announceTiers(), options);
        addWebSeeds(t, metainfo.webSeeds());
        return t;
    }

    /**
     * BEP 19 web seeds for {@code t}, kept in the session list too: the info dictionary, which the resume
     * data holds, has no url-list.
     */
    void addWebSeeds(Torrent t, List<String> webSeeds) {
        if (!webSeeds.isEmpty()) {
            t.addWebSeeds(webSeeds);
            updateSession(t, e -> e.withWebSeeds(webSeeds));
        }
    }

    /** Adds a torrent from its info dictionary, with trackers (may be empty). */
    public Torrent add(TorrentInfo info, Path downloadDir, List<List<String>> trackers, AddOptions options)
            throws EngineException {
        return add(info, downloadDir, trackers, options, null);
    }

    /**
     * Adds a torrent whose info dictionary is known and which may have come from a magnet: the session
     * list keeps {@code magnetUri} (its {@code x.pe} peers and trackers) so that no restart loses them.
     */
    Torrent add(TorrentInfo info, Path downloadDir, List<List<String>> trackers, AddOptions options, String magnetUri)
            throws EngineException {
        return add(info, info.infoHash(), downloadDir, trackers, options, magnetUri);
    }

    /**
     * Like {@link #add(TorrentInfo, Path, List, AddOptions, String)}, held by {@code key}: the hash the
     * torrent was first added by, which for a hybrid that came by its btmh alone is its truncated SHA-256
     * rather than the SHA-1 of its metadata (a restart keeps what the session list and the API know it by).
     */
    Torrent add(TorrentInfo info, InfoHash key, Path downloadDir, List<List<String>> trackers, AddOptions options,
            String magnetUri) throws EngineException {
        try {
            info.requireDownloadable();
        } catch (UnsupportedTorrentException e) {
            throw new EngineException(e.getMessage(), e);
        }
        return addTorrent(key, null, info, info.name(), downloadDir, trackers, options, magnetUri);
    }

    /**
     * Adds a magnet link: the torrent waits in {@link TorrentState#FETCHING_METADATA} until
     * {@link Torrent#setMetadata} gets the info dictionary; its {@code x.pe} peers are connected.
     */
    public Torrent addMagnet(MagnetLink magnet, Path downloadDir, AddOptions options) throws EngineException {
        List<List<String>> tiers = magnet.trackers().stream().map(List::of).toList();
        Torrent t = addTorrent(magnet.infoHash(), magnet.v2InfoHash(), null, magnet.displayName(), downloadDir, tiers, options,
                magnet.toUri());
        for (String peer : magnet.peers()) {
            parsePeer(peer).ifPresent(t::connectTo); // kept in the magnet, not among the peers added by hand
        }
        addWebSeeds(t, magnet.webSeeds()); // BEP 19: they serve pieces once the metadata is known
        return t;
    }

    /**
     * @param magnetUri the magnet it came from, or null; the session list keeps it for its peers and,
     *     until known, its metadata
     */
    synchronized Torrent addTorrent(InfoHash infoHash, byte[] v2InfoHash, TorrentInfo info, String name, Path downloadDir,
            List<List<String>> trackers, AddOptions options, String magnetUri) throws EngineException {
        if (closed) {
            throw new EngineException("the engine is shut down");
        }
        Torrent existing = heldAlready(infoHash, info != null ? info.v2InfoHash() : v2InfoHash);
        if (existing != null) {
            return existing;
        }
        if (removing.contains(infoHash)) {
            // Its removal may still delete files at the very paths a new copy would write to.
            throw new EngineException("this torrent is still being removed (its files are being closed or deleted);"
                    + " add it again in a moment");
        }
        Torrent t = new Torrent(this, infoHash, v2InfoHash, info, name, folderOf(downloadDir, options), trackers,
                group.next(), options.sequential());
        torrents.put(infoHash, t);
        seedingGoals.track(infoHash.hex(), SeedingRecord.NEW);
        if (session != null) {
            session.put(new SessionEntry(infoHash.hex(), name, magnetUri, info != null, t.downloadDir().toString(),
                    trackers, options.paused(), options.sequential(), 0L, 0L, List.of(), SeedingRecord.NEW));
        }
        // Announced before anything runs on the torrent's loop: a client that builds its list from the
        // events must hear of the torrent before any state change its start or a paused add publishes.
        publish(new EngineEvent.TorrentAdded(infoHash, t.status()));
        if (options.awaitChoice()) {
            t.awaitChoice();
        }
        t.start();
        peerSources.torrentAdded(t);
        if (options.paused()) {
            t.pause();
        }
        return t;
    }

    /**
     * The torrent already held under {@code infoHash}, or in the other swarm of the same hybrid (BEP 52):
     * one added by its btmh and then by its .torrent, or the other way round, is one torrent.
     */
    private Torrent heldAlready(InfoHash infoHash, byte[] v2InfoHash) {
        Torrent t = torrentByWireHash(infoHash);
        if (t == null && v2InfoHash != null) {
            t = torrentByWireHash(InfoHash.of(java.util.Arrays.copyOf(v2InfoHash, InfoHash.LENGTH)));
        }
        return t;
    }

    /** Where a torrent added with {@code downloadDir} (may be null) and {@code options} keeps its files. */
    private Path folderOf(Path downloadDir, AddOptions options) {
        Path dir = downloadDir != null ? downloadDir
                : options.downloadDir() != null ? Path.of(options.downloadDir()) : settings.downloadDir();
        return dir.toAbsolutePath().normalize();
    }

    /** Refuses a folder the helper cannot write to before anything is fetched (see {@link DownloadFolder}). */
    private static void requireWritable(Path folder) throws UnusableDownloadFolderException {
        try {
            DownloadFolder.requireWritable(folder);
        } catch (StorageException e) {
            throw new UnusableDownloadFolderException(e.getMessage(), e);
        }
    }

    /** Whether {@code folder} already holds every file of the torrent at its full size (data to seed). */
    private static boolean allFilesPresent(TorrentInfo info, Path folder) {
        for (var f : info.files()) {
            if (f.padding()) {
                continue;
            }
            try {
                if (Files.size(f.resolveIn(folder)) != f.length()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    public Optional<Torrent> torrent(InfoHash infoHash) {
        return Optional.ofNullable(torrents.get(infoHash));
    }

    public List<Torrent> torrents() {
        return new ArrayList<>(torrents.values());
    }

    /** "host:port" (IPv6 as "[addr]:port"), as in magnet x.pe and the CLI's --peer. */
    public static Optional<InetSocketAddress> parsePeer(String hostPort) {
        return PeerAddresses.parse(hostPort);
    }

    // ------------------------------------------------------------------ session list (restarts)

    /** The session list as it stands (empty when the option is off); for tests and diagnostics. */
    List<SessionEntry> sessionEntries() {
        return session == null ? List.of() : session.entries();
    }

    /** The user paused or resumed {@code t}: a restart keeps it that way. */
    void sessionPaused(Torrent t, boolean paused) {
        updateSession(t, e -> e.withPaused(paused));
    }

    void sessionSequential(Torrent t, boolean sequential) {
        updateSession(t, e -> e.withSequential(sequential));
    }

    /** The user set {@code t}'s own rate limits: a restart keeps them. */
    void sessionRateLimits(Torrent t, long downBytesPerSecond, long upBytesPerSecond) {
        updateSession(t, e -> e.withRateLimits(downBytesPerSecond, upBytesPerSecond));
    }

    /** The user added a peer to {@code t} by hand: a restart connects it again. */
    void sessionPeerAdded(Torrent t, InetSocketAddress peer) {
        updateSession(t, e -> e.withPeer(hostPort(peer)));
    }

    /**
     * "host:port", "[v6]:port" (RFC 5952's short form, e.g. "[::1]:6881", as users read and type it;
     * RFC 3986 brackets so the port stays apart): the form {@link #parsePeer} reads and the API shows.
     */
    public static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() != null ? NetUtil.toAddressString(address.getAddress()) : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The user chose where {@code t}'s files go and started it: a restart keeps both. */
    void sessionChoiceMade(Torrent t) {
        updateSession(t, e -> e.withDownloadDir(t.downloadDir().toString()).withPaused(false));
    }

    @Override
    public void startWithChoice(String infoHashHex, String downloadDir, Set<Integer> skipFiles)
            throws TorrentNotFoundException, TorrentStateException, UnusableDownloadFolderException, InvalidTorrentInputException {
        Torrent t = require(infoHashHex);
        Path folder = Path.of(downloadDir).toAbsolutePath().normalize();
        // Chosen by hand: a typo must not become a new folder somewhere unexpected.
        if (!Files.isDirectory(folder)) {
            throw new UnusableDownloadFolderException("the folder " + folder + " does not exist: create it first, or choose another", null);
        }
        requireWritable(folder);
        Map<Integer, Integer> priorities = new java.util.HashMap<>();
        skipFiles.forEach(f -> priorities.put(f, PiecePicker.DONT_DOWNLOAD));
        try {
            t.startWithChoice(folder, priorities).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorrentStateException("interrupted while starting " + t.name());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new InvalidTorrentInputException(bad.getMessage());
            }
            throw new TorrentStateException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new TorrentStateException("starting " + t.name() + " did not finish in time: " + e);
        }
    }

    /** A magnet's metadata arrived: from now on its resume data holds the info dictionary. */
    void sessionMetadataKnown(Torrent t) {
        updateSession(t, e -> e.withMetadataKnown(t.name()));
    }

    // ------------------------------------------------------------------ seeding goals

    /** The engine-wide seeding goal ({@link SeedingGoal#NONE}: seed for ever); applies at once. */
    public void setSeedingGoal(SeedingGoal goal) {
        seedingGoals.setGlobal(goal);
    }

    @Override
    public void setSeedingGoal(String infoHashHex, SeedingGoal goal) throws TorrentNotFoundException {
        Torrent t = require(infoHashHex);
        boolean wasFinished = t.state() == TorrentState.COMPLETED;
        seedingGoals.setOwnGoal(t.infoHash().hex(), goal);
        saveSeeding(t);
        if (wasFinished) {
            // A new goal is a new decision: seed again, and the next look stops it if this goal is met too.
            t.resume();
        }
    }

    /** A restored torrent's seeding counts and goal; one that had finished stays finished. */
    void restoreSeeding(Torrent t, SeedingRecord record) {
        seedingGoals.track(t.infoHash().hex(), record);
        saveSeeding(t);
        if (record.finished()) {
            t.finishSeeding();
        }
    }

    /** A torrent's seeding goal and counts, for its detail. */
    SeedingStatus seedingStatus(Torrent t) {
        String hash = t.infoHash().hex();
        SeedingRecord r = seedingGoals.record(hash);
        return r == null ? null : new SeedingStatus(r.goal(), seedingGoals.effectiveGoal(hash), r.uploadedBytes(), r.seedingSeconds(), r.finishedReason());
    }

    private void checkSeedingGoals() {
        long now = System.nanoTime();
        for (Torrent t : torrents.values()) {
            TorrentInfo info = t.info();
            seedingGoals.observe(t.infoHash().hex(), t.state(), t.uploadedBytes(), info == null ? 0 : info.totalLength(), now)
                    .ifPresent(reason -> {
                        log.info("{}: stops seeding: {}", t.name(), reason);
                        t.finishSeeding();
                        saveSeeding(t);
                    });
        }
        if (now - seedingSavedAtNanos >= SEEDING_SAVE.toNanos()) {
            seedingSavedAtNanos = now;
            torrents.values().forEach(this::saveSeedingPeriodically);
        }
    }

    /** Like {@link #saveSeeding}, but seeding time alone is written only every {@link #SEEDING_TIME_SAVE}. */
    private void saveSeedingPeriodically(Torrent t) {
        SeedingRecord r = seedingGoals.record(t.infoHash().hex());
        if (r != null) {
            updateSession(t, e -> r.worthAPeriodicSave(e.seeding(), SEEDING_TIME_SAVE.toSeconds()) ? e.withSeeding(r) : e);
        }
    }

    private void saveSeeding(Torrent t) {
        SeedingRecord r = seedingGoals.record(t.infoHash().hex());
        if (r != null) {
            updateSession(t, e -> e.seeding().equals(r) ? e : e.withSeeding(r));
        }
    }

    /**
     * Before the API acknowledges an add or a removal: waits until the session list has it on disk, so
     * that a helper killed right after the answer still knows it. Bounded: a disk that hangs does not
     * hang the caller (the list keeps the change and writes it later).
     */
    private void awaitSessionWritten(String what) {
        if (session == null) {
            return;
        }
        try {
            session.written().get(SESSION_WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("{}: the torrent list could not be saved ({}); a restart may not know of it", what, e.getCause().toString());
        } catch (TimeoutException e) {
            log.warn("{}: the torrent list was not saved within {} s; it is written when the disk allows", what,
                    SESSION_WRITE_WAIT.toSeconds());
        }
    }

    private void updateSession(Torrent t, java.util.function.UnaryOperator<SessionEntry> change) {
        // Only the listed torrent of that info-hash: a removed one's late change must not be recorded.
        if (session != null && torrents.get(t.infoHash()) == t) {
            session.update(t.infoHash(), change);
        }
    }

    // ------------------------------------------------------------------ events

    /** Hands an event to every subscriber (a torrent's come from its loop, after its own listeners). */
    void publish(EngineEvent event) {
        if (TorrentListView.affectsRows(event)) {
            listView.changed();
        }
        for (Consumer<EngineEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                log.warn("event subscriber failed on {}", event, e);
            }
        }
    }

    // ------------------------------------------------------------------ TorrentControl (the HTTP API)

    @Override
    public TorrentStatus addMagnet(String uri, AddOptions options)
            throws InvalidTorrentInputException, UnusableDownloadFolderException, EngineUnavailableException {
        try {
            MagnetLink magnet = MagnetParser.parse(uri);
            if (torrents.get(magnet.infoHash()) == null) {
                requireWritable(folderOf(null, options));
            }
            Torrent t = addMagnet(magnet, null, options);
            options.peers().forEach(t::addPeer);
            TorrentStatus added = t.status();
            awaitSessionWritten("adding " + magnet.infoHash().hex());
            return added;
        } catch (InvalidMagnetException e) {
            throw new InvalidTorrentInputException(e.getMessage(), e);
        } catch (EngineException e) {
            throw new EngineUnavailableException(e.getMessage());
        }
    }

    @Override
    public TorrentStatus addTorrentFile(byte[] torrent, AddOptions options)
            throws InvalidTorrentInputException, UnusableDownloadFolderException, EngineUnavailableException {
        try {
            Metainfo m = MetainfoParser.parse(torrent);
            m.info().requireDownloadable();
            Path folder = folderOf(null, options);
            if (torrents.get(m.info().infoHash()) == null && !allFilesPresent(m.info(), folder)) {
                requireWritable(folder);
            }
            Torrent t = add(m, null, options);
            options.peers().forEach(t::addPeer);
            TorrentStatus added = t.status();
            awaitSessionWritten("adding " + m.info().infoHash().hex());
            return added;
        } catch (InvalidTorrentException e) {
            throw new InvalidTorrentInputException(e.getMessage(), e);
        } catch (EngineException e) {
            throw new EngineUnavailableException(e.getMessage());
        }
    }

    @Override
    public List<TorrentStatus> list() {
        return listView.rows();
    }

    int torrentCount() {
        return torrents.size();
    }

    LoopTicker tickerOf(EventLoop loop) {
        return tickers.computeIfAbsent(loop, l -> new LoopTicker(l, Torrent.TICK.toMillis()));
    }

    private List<TorrentStatus> buildList() {
        return torrents.values().stream().map(Torrent::status)
                .sorted(Comparator.comparing(TorrentStatus::name)).toList();
    }

    @Override
    public Optional<String> boostRefusal(String infoHashHex, java.math.BigInteger capBaseUnits, java.math.BigInteger ratePerGiB) {
        Torrent t = byHex(infoHashHex);
        return t == null ? Optional.empty() : t.economy().boostRefusal(capBaseUnits, ratePerGiB);
    }

    @Override
    public Optional<java.math.BigInteger> lowestSellerAsk(String infoHashHex) {
        Torrent t = byHex(infoHashHex);
        return t == null ? Optional.empty() : t.economy().lowestSellerAsk();
    }

    @Override
    public Optional<TorrentDetail> detail(String infoHashHex) {
        Torrent t = byHex(infoHashHex);
        if (t == null) {
            return Optional.empty();
        }
        List<FileStatus> files = t.fileStatuses();
        List<PeerStatus> peers;
        try {
            peers = t.peerStatuses().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            peers = List.of();
        } catch (ExecutionException | TimeoutException e) {
            peers = List.of();
        }
        TorrentInfo info = t.info();
        String metaVersion = info == null ? null : info.metaVersion().name().toLowerCase(java.util.Locale.ROOT);
        return Optional.of(new TorrentDetail(t.status(), files, peers, t.trackerStatuses(), t.rateLimits(),
                t.downloadDir().toAbsolutePath().toString(), seedingStatus(t), t.webSeedStatuses(), metaVersion, t.v2InfoHashHex()));
    }

    @Override
    public void pause(String infoHashHex) throws TorrentNotFoundException {
        require(infoHashHex).pause();
    }

    /** Returns once the torrent acted on it, so the caller's next status shows the change (ERROR left, or not paused). */
    @Override
    public void resume(String infoHashHex) throws TorrentNotFoundException {
        Torrent t = require(infoHashHex);
        if (t.state() == TorrentState.COMPLETED) {
            seedingGoals.resumedAfterFinish(t.infoHash().hex());
            saveSeeding(t);
        }
        try {
            t.resume().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("resuming {} did not finish in time: {}", infoHashHex, e.toString());
        }
    }

    @Override
    public void recheck(String infoHashHex) throws TorrentNotFoundException, TorrentStateException {
        Torrent t = require(infoHashHex);
        boolean started;
        try {
            started = t.recheck().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorrentStateException("interrupted while starting the recheck of " + t.name());
        } catch (ExecutionException | TimeoutException e) {
            throw new TorrentStateException("cannot start the recheck of " + t.name() + ": " + e);
        }
        if (!started) {
            throw new TorrentStateException(t.name() + " has no metadata yet: there is nothing to check until it arrives");
        }
    }

    @Override
    public void remove(String infoHashHex, boolean deleteData) throws TorrentNotFoundException {
        Torrent t = require(infoHashHex);
        synchronized (this) { // addTorrent's lock: an add sees the torrent either listed or removing
            torrents.remove(t.infoHash());
            listView.changed(); // gone from the list now, not when its close publishes TorrentRemoved
            seedingGoals.forget(t.infoHash().hex());
            removing.add(t.infoHash());
            if (session != null) {
                session.remove(t.infoHash()); // a removed torrent must not come back after a restart
            }
        }
        awaitSessionWritten("removing " + infoHashHex);
        peerSources.torrentRemoved(t);
        boolean dataGoes = deleteData && t.info() != null;
        (dataGoes ? t.closeForDeletion() : t.close()).whenComplete((v, e) -> {
            try {
                if (dataGoes) {
                    deleteFiles(t);
                }
            } finally {
                removing.remove(t.infoHash());
            }
            publish(new EngineEvent.TorrentRemoved(t.infoHash(), deleteData));
        });
    }

    private void deleteFiles(Torrent t) {
        try {
            resumeStore.delete(t.infoHash());
            for (var f : t.info().files()) {
                if (!f.padding()) {
                    Files.deleteIfExists(f.resolveIn(t.downloadDir()));
                }
            }
        } catch (Exception e) {
            log.warn("{}: could not delete all data: {}", t, e.getMessage());
        }
    }

    @Override
    public void setFilePriority(String infoHashHex, int fileIndex, int priority)
            throws TorrentNotFoundException, InvalidTorrentInputException {
        Torrent t = require(infoHashHex);
        if (!FilePriority.isValid(priority)) {
            throw new InvalidTorrentInputException(FilePriority.outOfRange(priority));
        }
        if (t.info() == null || fileIndex < 0 || fileIndex >= t.info().files().size()) {
            throw new InvalidTorrentInputException("no file " + fileIndex + " in " + t.name());
        }
        try {
            t.setFilePriority(fileIndex, priority).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidTorrentInputException("interrupted while setting the priority of file " + fileIndex, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new InvalidTorrentInputException("cannot set the priority of file " + fileIndex + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        }
    }

    @Override
    public void setSequential(String infoHashHex, boolean sequential) throws TorrentNotFoundException {
        require(infoHashHex).setSequential(sequential);
    }

    @Override
    public void setRateLimits(String infoHashHex, RateLimits limits) throws TorrentNotFoundException {
        require(infoHashHex).setRateLimits(limits.downloadBytesPerSecond(), limits.uploadBytesPerSecond());
    }

    @Override
    public Optional<FileStreaming> fileStreaming() {
        return Optional.of(fileStreaming);
    }

    @Override
    public AutoCloseable subscribe(Consumer<EngineEvent> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /**
     * By its 40-digit info-hash (a hybrid's SHA-1 or its truncated SHA-256, whichever it is held by), or by the
     * 64-digit SHA-256 of a v2 or hybrid torrent (BEP 52).
     */
    private Torrent byHex(String hex) {
        if (hex != null && hex.matches("[0-9a-fA-F]{64}")) {
            // A v2-only torrent's swarm hash is the first 20 bytes of its SHA-256; a hybrid is keyed by its SHA-1.
            String lower = hex.toLowerCase(java.util.Locale.ROOT);
            Torrent t = torrents.get(InfoHash.fromHex(lower.substring(0, 40)));
            if (t == null) {
                t = torrents.values().stream().filter(c -> c.hasV2InfoHash(lower)).findFirst().orElse(null);
            }
            return t != null && t.hasV2InfoHash(lower) ? t : null;
        }
        if (hex == null || !hex.matches("[0-9a-fA-F]{40}")) {
            return null;
        }
        return torrentByWireHash(InfoHash.fromHex(hex.toLowerCase(java.util.Locale.ROOT))); // a hybrid by either swarm
    }

    private Torrent require(String hex) throws TorrentNotFoundException {
        Torrent t = byHex(hex);
        if (t == null) {
            throw new TorrentNotFoundException(hex);
        }
        return t;
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Stops every torrent (STOPPED announces, connections closed, resume data saved), then the
     * listening socket and the threads. Waits at most about 15 s.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        torrents.values().forEach(this::saveSeeding); // the counts since the last periodic save
        CompletableFuture<?>[] closing = torrents.values().stream().map(Torrent::close).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("not every torrent closed cleanly: {}", e.toString());
        }
        if (session != null) {
            session.close(); // after the torrents: nothing of theirs changes the list any more
        }
        peerSources.close();
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (utp != null) {
            utp.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        storageExecutors.close();
        if (httpTracker != null) {
            httpTracker.close();
        }
        synchronized (this) {
            if (webSeedClient != null) {
                webSeedClient.close();
            }
        }
        if (udpTracker != null) {
            udpTracker.close();
        }
    }
}
