package dev.magnetar.engine;

import dev.magnetar.wire.ExtensionHandler;
import dev.magnetar.metadata.MetadataFetcher;
import dev.magnetar.metadata.PexPeer;
import dev.magnetar.metadata.PexTracker;
import dev.magnetar.metadata.UtMetadataExtension;
import dev.magnetar.metainfo.InfoDictionaryHash;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.Bitfield;
import dev.magnetar.storage.DownloadFolder;
import dev.magnetar.storage.PieceResult;
import dev.magnetar.storage.StorageException;
import dev.magnetar.storage.TorrentStorage;
import dev.magnetar.tracker.AnnounceSchedule;
import dev.magnetar.tracker.Announcer;
import dev.magnetar.util.TaskScheduler;
import dev.magnetar.tracker.TrackerTiers;
import dev.magnetar.tracker.TransferStats;
import dev.magnetar.wire.RateMeter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent of the session: its lifecycle, state and status. Three helpers do the rest on its
 * behalf: its {@link PeerList} (whom to dial, whom to admit), its {@link PieceCompletion} (blocks to
 * verified pieces, strikes and bans) and its {@link UploadSlots} (the choke rounds).
 *
 * <p>Lifecycle: {@link TorrentState#FETCHING_METADATA} (magnet, until {@link #setMetadata}) →
 * {@link TorrentState#CHECKING} (storage opened; resume data trusted, or the files rehashed) →
 * {@link TorrentState#DOWNLOADING} → {@link TorrentState#SEEDING}; {@link TorrentState#PAUSED} from
 * any of those, {@link TorrentState#ERROR} with a message when storage fails;
 * {@link TorrentState#COMPLETED} when its seeding goal is reached ({@link #finishSeeding}), which
 * holds it like a pause.
 *
 * <p><b>Threading.</b> All state of a torrent — picker, peer list, piece completion, upload slots — is
 * touched only from its own Netty {@link EventLoop} ({@link #loop()}); its outgoing connections are
 * registered on that loop, and incoming ones hop their events onto it (see {@link PeerChannelHandler}).
 * Storage work runs on the {@code StorageExecutors} pools and its completions hop back with
 * {@code loop.execute}. Public methods may be called from any thread: they hop onto the loop too.
 * Counters read by status queries are atomics or volatiles.
 */
public final class Torrent {

    private static final Logger log = LoggerFactory.getLogger(Torrent.class);
    static final Duration TICK = Duration.ofSeconds(1);
    /**
     * Ticks between looks at the files that hold verified pieces (a stat each): a deleted folder or a
     * truncated file is noticed within seconds, even while a deleted file's open channel still works.
     */
    static final int FILE_CHECK_TICKS = 5;
    /** Files one look covers per {@link #FILE_CHECK_TICKS}: a torrent of many files is looked at less often, so 500 torrents cost little. */
    private static final int FILES_PER_FILE_CHECK = 256;
    /**
     * Torrents an engine looks at within one {@link #FILE_CHECK_TICKS}; past that each looks less often,
     * so the engine stats about as many files a second with a thousand torrents as with a hundred (each
     * look is a stat per file and two hops to the disk pool and back).
     */
    private static final int TORRENTS_PER_FILE_CHECK = 100;
    /** Ticks between looks at the free space while stopped by a full disk, to go on by itself once there is room. */
    static final int FREE_SPACE_CHECK_TICKS = 5;
    /** Free space that counts as room again: a few pieces' worth, so one piece does not fill it at once. */
    private static final int FREE_SPACE_PIECES = 4;

    private final Engine engine;
    private final InfoHash infoHash;
    /** BEP 52: the full SHA-256 info-hash of a v2 or hybrid torrent (from its metadata or its btmh magnet), else null. */
    private final byte[] v2InfoHash;
    /** A v2 magnet's metadata while its piece layers are fetched from peers (loop only), else null. */
    private TorrentInfo awaitingLayers;
    private PieceLayerFetch layerFetch;
    /** Blocks of time-critical pieces a player may read before their piece is whole (v2 and hybrid torrents). */
    private final LeafVerifiedBlocks leafBlocks;
    private final TorrentMerkleHashes merkleHashes;
    private final EventLoop loop;
    /** Changes only once: when the user chooses the folder of a torrent that waited for that choice. */
    private volatile Path downloadDir;
    /** Added for the user to choose folder and files once the metadata is known (an add dialog). */
    private volatile boolean awaitingChoice;
    private final List<List<String>> trackers;
    private final String displayName;
    private final Clock clock = Clock.systemUTC();
    private final ExtensionRegistry extensions = new ExtensionRegistry();
    private final BanList bans = new BanList();
    private final CopyOnWriteArrayList<Consumer<EngineEvent>> listeners = new CopyOnWriteArrayList<>();
    /** BEP 19 web seeds: sources beside the peers (see {@link WebSeed}). */
    private final CopyOnWriteArrayList<WebSeed> webSeeds = new CopyOnWriteArrayList<>();
    /** Replaced when the torrent leaves ERROR: the failed one stays failed for whoever held it. */
    private volatile CompletableFuture<Void> completion = new CompletableFuture<>();
    private final RateLimiter downloadLimiter;
    private final RateLimiter uploadLimiter;
    private final TorrentEconomy economy;
    private final UploadSlots<PeerConnection> uploadSlots;
    private final PieceCompletion<PieceSource> pieces;
    private final GivenPeers givenPeers = new GivenPeers();
    private final TorrentStreams streams = new TorrentStreams(this, MonotonicClock.NANOS);
    private final RateMeter downloadRate = new RateMeter(MonotonicClock.NANOS);
    private final RateMeter uploadRate = new RateMeter(MonotonicClock.NANOS);
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong wasted = new AtomicLong();
    private final AtomicLong checkedBytes = new AtomicLong();

    private volatile TorrentInfo info;
    private volatile TorrentState state;
    private volatile String error;
    /** Why the torrent is in ERROR when storage said so (a full disk is retried by itself); else null. */
    private volatile StorageException.Reason errorReason;
    /**
     * Bumped whenever the storage is given up (error, recheck): completions of work on an older
     * storage find a different number and are ignored.
     */
    private int storageGeneration;
    private boolean fileCheckRunning;
    /** Set when an error or a recheck dropped every peer: dial the known ones again once pieces are known. */
    private boolean redialWhenReady;
    private volatile int seedCount;
    private TorrentState stateBeforePause;
    private boolean sequential;
    private boolean stopped;

    private TorrentStorage storage;
    private PiecePicker<PieceSource> picker;
    /** File priorities set before the storage was open; applied when it is (see {@link #storageReady}). */
    private final Map<Integer, Integer> pendingFilePriorities = new LinkedHashMap<>();

    private final PeerList<PeerConnection> peerList;
    /** The admitted connections, live (see {@link PeerList#connected}). */
    private final Set<PeerConnection> peers;
    private volatile SwarmAnnouncers announcer;
    private PexTracker pex;
    private final TorrentHolepunch holepunch;
    /** Takes this torrent out of its loop's tick rounds; null before start. */
    private Runnable stopTicking;
    private volatile long ticks; // written on the torrent loop only; read by tests waiting for ticks to pass
    /**
     * The status the last progress event carried (torrent loop only): a tick whose status equals it sends
     * nothing, so a daemon holding a thousand idle torrents does not fan a thousand unchanged statuses a
     * second out to every client.
     */
    private TorrentStatus lastProgress;

    Torrent(Engine engine, InfoHash infoHash, byte[] v2InfoHash, TorrentInfo info, String displayName, Path downloadDir,
            List<List<String>> trackers, EventLoop loop, boolean sequential) {
        this.engine = engine;
        this.infoHash = infoHash;
        this.v2InfoHash = info != null ? info.v2InfoHash() : v2InfoHash == null ? null : v2InfoHash.clone();
        this.info = info;
        this.displayName = displayName;
        this.downloadDir = downloadDir;
        this.trackers = trackers;
        this.loop = loop;
        this.sequential = sequential;
        this.leafBlocks = new LeafVerifiedBlocks(() -> this.info == null ? null : this.info.pieceLayers(),
                piece -> this.info.pieceSize(piece), engine.pieceBuffers());
        this.merkleHashes = new TorrentMerkleHashes(this::pieceLayers, () -> layerFetch,
                this::layersFetched, this.leafBlocks, piece -> this.streams.blocksReadable(piece));
        this.downloadLimiter = engine.downloadLimiter().child(RateLimiter.UNLIMITED, 0);
        this.uploadLimiter = engine.uploadLimiter().child(RateLimiter.UNLIMITED, 0);
        this.state = info == null ? TorrentState.FETCHING_METADATA : TorrentState.CHECKING;
        this.peerList = new PeerList<>(PeerList.View.CONNECTIONS, new PeerDialer(engine, this), bans,
                engine::listenAddress, engine::isOurExternalAddress, engine.peerId(), () -> isPausedOrStopped() ? "torrent is " + state : null,
                engine.settings().maxPeersPerTorrent(), engine.settings().maxHalfOpenPerTorrent(), this);
        this.peers = peerList.connected();
        this.holepunch = new TorrentHolepunch(new OwnEndpoints(engine::listenPort, engine::announcedPort, engine::isOurExternalAddress,
                a -> this.pex != null && this.pex.isOurs(a), OwnEndpoints::ofThisHost), loop, peerList, clock);
        registerExtensions();
        this.economy = engine.economyFactory().attach(this);
        this.pieces = new PieceCompletion<>(PieceCompletion.Peers.of(this::pieceSources), (piece, data) -> storage.writePiece(piece, data),
                new Verdicts(), bans, engine.pendingWrites(), engine.assemblyBudget(),
                engine.pieceBuffers(), () -> storageGeneration, loop, this);
        this.uploadSlots = new UploadSlots<>(engine.settings().choker(), UploadSlots.Peers.of(peers),
                UploadSlots.PaidSlots.of(economy), () -> state == TorrentState.SEEDING, uploadLimiter,
                engine.uploadLimiter(), loop, new SplittableRandom(), clock);
    }

    /**
     * BEP 9 ut_metadata (serving; for a magnet, fetching first), BEP 11 ut_pex and BEP 55 ut_holepunch.
     * Registered before any peer connects, so every extension handshake we send names them.
     */
    private void registerExtensions() {
        UtMetadataExtension metadata;
        if (info != null) {
            metadata = UtMetadataExtension.serving(info, clock);
        } else {
            metadata = UtMetadataExtension.fetching(infoHash, v2InfoHash, clock, MetadataFetcher.Options.defaults());
            metadata.fetcher().orElseThrow().result().thenAccept(bytes -> setMetadata(bytes).exceptionally(e -> {
                loop.execute(() -> fail("the metadata from peers is unusable: " + rootMessage(e)));
                return null;
            }));
        }
        extensions.register(metadata);
        PeerDiscoverySettings discovery = engine.settings().discovery();
        boolean noPex = !discovery.pexEnabled() || (info != null && info.isPrivate());
        pex = new PexTracker(noPex, engine.listenPort(), engine::announcedPort,
                p -> p instanceof PeerConnection c ? c.pexFlags() : 0, clock, discovery.pex(),
                (source, found) -> {
                    List<InetSocketAddress> addresses = found.stream().map(PexPeer::address).toList();
                    loop.execute(() -> holepunch.introduced(source, addresses)); // before any dial to them can fail
                    addPeers(PeerSource.PEX, addresses);
                    loop.execute(() -> found.forEach(p -> peerList.pexFlags(p.address(), p.flags()))); // once they are known
                });
        extensions.register(pex);
        if (info == null || !info.isPrivate()) { // BEP 27: a private torrent's peers come from its tracker alone
            extensions.register(holepunch.extension());
        }
        extensions.ourIpv6(engine.announcedIpv6());
    }

    // ------------------------------------------------------------------ public API (any thread)

    public InfoHash infoHash() {
        return infoHash;
    }

    /** The torrent's metadata; null while fetching it (magnet). */
    public TorrentInfo info() {
        return info;
    }

    public String name() {
        TorrentInfo i = info;
        return i != null ? i.name() : displayName != null ? displayName : infoHash.hex();
    }

    public TorrentState state() {
        return state;
    }

    /** Why the torrent is in {@link TorrentState#ERROR}, else null. */
    public String error() {
        return error;
    }

    public Path downloadDir() {
        return downloadDir;
    }

    /** Whether {@code hex} (64 lower-case digits) is this torrent's full v2 info-hash. */
    boolean hasV2InfoHash(String hex) {
        return v2InfoHash != null && java.util.HexFormat.of().formatHex(v2InfoHash).equals(hex);
    }

    /** The full v2 info-hash (BEP 52) in hex, or null for a v1 torrent (or a v1 magnet before its metadata). */
    public String v2InfoHashHex() {
        return v2InfoHash == null ? null : java.util.HexFormat.of().formatHex(v2InfoHash);
    }

    /** Whether this is a v2 or hybrid torrent (BEP 52). */
    boolean speaksV2() {
        return v2InfoHash != null;
    }

    /** Whether {@code wireHash} is this torrent's v2 swarm (BEP 52: its SHA-256 cut to 20 bytes). */
    boolean isV2Swarm(InfoHash wireHash) {
        return wireHash.equals(v2SwarmHash());
    }

    /**
     * BEP 52: the hash this torrent's v2 swarm is known by on the wire, or null for a v1 torrent — and for a
     * hybrid added by a btih-only magnet until its metadata (which holds the v2 hash) is known.
     */
    InfoHash v2SwarmHash() {
        TorrentInfo i = info;
        byte[] full = v2InfoHash != null ? v2InfoHash : i != null ? i.v2InfoHash() : null;
        return full == null ? null : InfoHash.of(java.util.Arrays.copyOf(full, InfoHash.LENGTH));
    }

    /**
     * BEP 52: a hybrid's second swarm — the one other than {@link #infoHash()}: its truncated v2 hash when
     * it was added by its v1 hash, its SHA-1 when added by its btmh (known once the metadata is). Both
     * swarms are one torrent with one peer set; null for v1 and v2-only torrents (and for a hybrid added by
     * a magnet with one of its hashes, before its metadata).
     */
    InfoHash otherSwarmHash() {
        InfoHash v2 = v2SwarmHash();
        if (v2 != null && !v2.equals(infoHash)) {
            return v2;
        }
        TorrentInfo i = info != null ? info : awaitingLayers;
        return i != null && !i.infoHash().equals(infoHash) ? i.infoHash() : null;
    }

    /** Whether a handshake naming {@code wireHash} is for this torrent: either swarm of a hybrid. */
    boolean knownBy(InfoHash wireHash) {
        return infoHash.equals(wireHash) || wireHash.equals(otherSwarmHash());
    }

    /** This torrent's BEP 52 hashes, for its connections' hash requests (none yet: every request is rejected). */
    MerkleHashes merkleHashes() {
        return merkleHashes;
    }

    /** The BEP 52 hashes we hold: the known metadata's, or those being fetched for it; null for v1 or no metadata. */
    private dev.magnetar.metainfo.PieceLayers pieceLayers() {
        TorrentInfo i = info != null ? info : awaitingLayers;
        return i == null ? null : i.pieceLayers();
    }

    /** Every piece layer a v2 magnet's metadata lacked is in and proven: the download can start. */
    private void layersFetched() {
        TorrentInfo complete = awaitingLayers;
        if (complete == null || info != null || state == TorrentState.ERROR || stopped) {
            return;
        }
        log.info("{}: all piece layers fetched from peers and proven against their roots", name());
        awaitingLayers = null;
        layerFetch = null;
        useMetadata(complete);
    }

    /** The BEP 10 extensions of this torrent; register before peers connect. */
    public ExtensionRegistry extensions() {
        return extensions;
    }

    /** Completes when every wanted piece is verified; fails if the torrent goes to ERROR first. */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    public void addListener(Consumer<EngineEvent> listener) {
        listeners.add(listener);
    }

    /**
     * Connects to a peer the user gave by hand (CLI {@code --peer}, the API); the session list keeps it,
     * so a restart connects it again.
     */
    public void addPeer(InetSocketAddress address) {
        engine.sessionPeerAdded(this, address);
        connectTo(address);
    }

    /**
     * Asks our connected peers to introduce us to {@code target} (BEP 55 rendezvous), for a peer that
     * cannot take our connection (behind a NAT): the relay has both of us dial each other over uTP.
     *
     * @return how many relays were asked
     */
    public CompletableFuture<Integer> holepunch(InetSocketAddress target) {
        CompletableFuture<Integer> asked = new CompletableFuture<>();
        loop.execute(() -> asked.complete(holepunch.rendezvous(target, List.copyOf(peers))));
        return asked;
    }

    /**
     * Dials {@code address} over uTP alone, with no TCP leg racing it: the dial a BEP 55 connect makes,
     * for callers that must reach a peer by uTP whatever the race's timing would pick.
     *
     * @return whether a dial started (not when the peer is connected, being dialled, banned or ourselves)
     */
    CompletableFuture<Boolean> dialOverUtpOnly(InetSocketAddress address) {
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        loop.execute(() -> started.complete(peerList.punch(address)));
        return started;
    }

    /**
     * Our dial to {@code address} went unanswered over uTP and TCP alike (BEP 55): if a peer told us of
     * it through PEX, that peer is asked to introduce us. Torrent loop.
     */
    void dialUnanswered(InetSocketAddress address) {
        if (!isPausedOrStopped()) {
            holepunch.dialFailed(address, peers);
        }
    }

    /** How many BEP 55 rendezvous this torrent asked for because a dial went unanswered; any thread. */
    int rendezvousAfterFailedDials() {
        return holepunch.rendezvousAfterFailedDials();
    }

    /**
     * Connects to a peer we learnt of out of band and need not remember (magnet {@code x.pe}, kept in the
     * magnet); like a peer added by hand, it is dialled again after a back-off when lost ({@link GivenPeers}).
     */
    void connectTo(InetSocketAddress address) {
        loop.execute(() -> {
            givenPeers.given(address);
            peerList.learn(address);
            peerList.connectMore();
        });
    }

    /** Whether {@code address} is connected, being dialled or lost to this torrent now; any thread. */
    CompletableFuture<GivenPeers.Reach> reach(InetSocketAddress address) {
        CompletableFuture<GivenPeers.Reach> reach = new CompletableFuture<>();
        loop.execute(() -> reach.complete(peerList.reach(address)));
        return reach;
    }

    /**
     * Peers from a discovery source (DHT, PEX, LSD...): new ones join the connect queue and are
     * reported as {@link EngineEvent.PeersFound}.
     */
    public void addPeers(PeerSource source, java.util.Collection<InetSocketAddress> addresses) {
        addPeers(source, addresses, infoHash);
    }

    /**
     * Peers found under {@code swarmHash}, one of a hybrid's two (BEP 52): each is dialled with the hash
     * it was found under, as libtorrent does, since a client in one swarm may not know the other.
     */
    void addPeers(PeerSource source, java.util.Collection<InetSocketAddress> addresses, InfoHash swarmHash) {
        List<InetSocketAddress> copy = List.copyOf(addresses);
        loop.execute(() -> {
            boolean other = !swarmHash.equals(infoHash);
            List<InetSocketAddress> fresh = new ArrayList<>();
            for (InetSocketAddress a : copy) {
                if (peerList.learn(a, other)) {
                    fresh.add(a);
                }
            }
            if (!fresh.isEmpty()) {
                emit(new EngineEvent.PeersFound(infoHash, source, fresh));
            }
            peerList.connectMore();
        });
    }

    /**
     * Adds BEP 19 web seeds ({@code url-list} entries). One that is not http(s) is kept as DROPPED with
     * the reason, so the user sees why it is not used; an entry already there is not added twice.
     */
    public void addWebSeeds(List<String> entries) {
        List<String> copy = List.copyOf(entries);
        loop.execute(() -> {
            for (String entry : copy) {
                if (stopped || webSeeds.stream().anyMatch(w -> w.entry().equals(entry))) {
                    continue;
                }
                URI url = null;
                String refusal = null;
                try {
                    url = dev.magnetar.webseed.WebSeedUrl.parse(entry);
                } catch (dev.magnetar.webseed.WebSeedRefusedException e) {
                    refusal = e.getMessage();
                    log.info("{}: {}", name(), refusal);
                }
                WebSeed seed = new WebSeed(entry, url, refusal, this, engine.webSeedClient(), WebSeedBackoff.DEFAULT,
                        WebSeed.MAX_REQUESTS);
                webSeeds.add(seed);
                if (picker != null) {
                    seed.piecesKnown(picker, info);
                }
            }
        });
    }

    /** Each web seed with its state and rate, in the order they were added. */
    public List<WebSeedStatus> webSeedStatuses() {
        return webSeeds.stream().map(WebSeed::status).toList();
    }

    /** Payload bytes received this session, including data later discarded. */
    public long downloadedBytes() {
        return downloaded.get();
    }

    /** Payload bytes sent this session. */
    public long uploadedBytes() {
        return uploaded.get();
    }

    public long wastedBytes() {
        return wasted.get();
    }

    public long verifiedBytes() {
        TorrentStorage s = storage;
        return s == null ? 0 : s.bytesVerified();
    }

    /** Bytes hashed so far by the current check, for a progress bar while {@link TorrentState#CHECKING}. */
    public long checkedBytes() {
        return checkedBytes.get();
    }

    public long totalBytes() {
        TorrentInfo i = info;
        return i == null ? 0 : i.totalLength();
    }

    public long downloadRate() {
        return downloadRate.bytesPerSecond();
    }

    public long uploadRate() {
        return uploadRate.bytesPerSecond();
    }

    public int peerCount() {
        return peerList.count();
    }

    /** Seconds to completion at the current rate; null when unknown or done. */
    public Long etaSeconds() {
        long total = totalBytes();
        long rate = downloadRate();
        if (total == 0 || rate == 0 || state != TorrentState.DOWNLOADING) {
            return null;
        }
        return Math.max(0, total - verifiedBytes()) / rate;
    }

    /** A status row for the API (see {@link TorrentControl}). */
    /** The speed economy attached to this torrent ({@link TorrentEconomy#NONE} without one). */
    TorrentEconomy economy() {
        return economy;
    }

    public TorrentStatus status() {
        return new TorrentStatus(infoHash.hex(), name(), state, totalBytes(), verifiedBytes(), downloadedBytes(),
                uploadedBytes(), downloadRate(), uploadRate(), peerList.count(), seedCount, etaSeconds(), error, economy.status());
    }

    /** Per-peer statistics, gathered on the torrent's loop. */
    public CompletableFuture<List<PeerStatus>> peerStatuses() {
        CompletableFuture<List<PeerStatus>> out = new CompletableFuture<>();
        loop.execute(() -> out.complete(peers.stream().filter(PeerConnection::isOpen).map(PeerConnection::status).toList()));
        return out;
    }

    /** Every peer address the torrent knows (from trackers, the DHT, PEX, the user) and may dial. */
    CompletableFuture<Set<InetSocketAddress>> knownPeers() {
        CompletableFuture<Set<InetSocketAddress>> out = new CompletableFuture<>();
        loop.execute(() -> out.complete(peerList.known()));
        return out;
    }

    /** The BEP 11 flags PEX gave with {@code address}, empty if no PEX message named it. */
    CompletableFuture<java.util.OptionalInt> pexFlags(InetSocketAddress address) {
        CompletableFuture<java.util.OptionalInt> out = new CompletableFuture<>();
        loop.execute(() -> out.complete(peerList.pexFlags(address)));
        return out;
    }

    /** Number of peers banned for bad data (see {@link BanList}). */
    public CompletableFuture<Integer> bannedPeers() {
        CompletableFuture<Integer> out = new CompletableFuture<>();
        loop.execute(() -> out.complete(bans.bannedCount()));
        return out;
    }

    /** This torrent's own limits ({@link #setRateLimits}). */
    public RateLimits rateLimits() {
        return new RateLimits(downloadLimiter.bytesPerSecond(), uploadLimiter.bytesPerSecond());
    }

    /** Per-torrent limits under the session's global ones; 0 = only the global limit. Kept across restarts. */
    public void setRateLimits(long downBytesPerSecond, long upBytesPerSecond) {
        downloadLimiter.setRate(downBytesPerSecond, 0);
        uploadLimiter.setRate(upBytesPerSecond, 0);
        engine.sessionRateLimits(this, downBytesPerSecond, upBytesPerSecond);
    }

    /**
     * Sets a file's priority, 0 (skip: its pieces are not requested unless a wanted file shares them)
     * to 7; 4 is normal. Kept in the resume data. A torrent whose wanted pieces are all verified is
     * {@link TorrentState#SEEDING}; raising a skipped file's priority then makes it download again.
     * Completes once applied; fails with {@link IllegalArgumentException} for a bad index or priority.
     */
    public CompletableFuture<Void> setFilePriority(int fileIndex, int priority) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            TorrentInfo i = info;
            if (i == null || fileIndex < 0 || fileIndex >= i.files().size()) {
                done.completeExceptionally(new IllegalArgumentException("no file " + fileIndex + " in " + name()));
                return;
            }
            if (!FilePriority.isValid(priority)) {
                done.completeExceptionally(new IllegalArgumentException(FilePriority.outOfRange(priority)));
                return;
            }
            if (storage == null) {
                pendingFilePriorities.put(fileIndex, priority);
            } else {
                storage.setFilePriority(fileIndex, priority);
            }
            if (picker != null) {
                picker.setPiecePriorities(piecePriorities());
                wantedPiecesChanged();
            }
            done.complete(null);
        });
        return done;
    }

    /** Piece priorities from the storage's file priorities (see {@link FilePieceMap#piecePriorities}). */
    private int[] piecePriorities() {
        int[] files = new int[info.files().size()];
        for (int f = 0; f < files.length; f++) {
            files[f] = storage.filePriority(f);
        }
        return new FilePieceMap(info).piecePriorities(files);
    }

    /** After priorities changed: interest, requests and DOWNLOADING/SEEDING follow the wanted pieces. */
    private void wantedPiecesChanged() {
        boolean complete = picker.isComplete();
        if (complete && state == TorrentState.DOWNLOADING) {
            setState(TorrentState.SEEDING);
            completed();
        } else if (!complete && state == TorrentState.SEEDING) {
            setState(TorrentState.DOWNLOADING);
        } else if (!complete && held() && stateBeforePause == TorrentState.SEEDING) {
            stateBeforePause = TorrentState.DOWNLOADING;
        }
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.updateInterest();
            p.fillRequests();
            p.flush();
        }
    }

    /** Per file: size, bytes covered by verified pieces, priority; empty while the metadata is unknown. */
    public List<FileStatus> fileStatuses() {
        TorrentInfo i = info;
        TorrentStorage s = storage;
        if (i == null) {
            return List.of();
        }
        FilePieceMap map = new FilePieceMap(i);
        Bitfield verified = s == null ? new Bitfield(i.pieceCount()) : s.verified().copy();
        List<FileStatus> out = new ArrayList<>();
        for (int f = 0; f < i.files().size(); f++) {
            var file = i.files().get(f);
            if (!file.padding()) {
                int priority = s == null ? PiecePicker.DEFAULT_PRIORITY : s.filePriority(f);
                out.add(new FileStatus(f, file.displayPath(), file.length(), map.doneBytes(f, verified), priority));
            }
        }
        return out;
    }

    /**
     * Per tracker, in tier order, what the announcer last saw. "working": the last announce was
     * answered; "error": it failed ({@code lastError} says why); "not contacted": never asked yet.
     */
    public List<TrackerStatus> trackerStatuses() {
        SwarmAnnouncers a = announcer;
        if (a == null) {
            List<TrackerStatus> out = new ArrayList<>();
            for (List<String> tier : trackers) {
                for (String url : tier) {
                    out.add(new TrackerStatus(url, "not contacted", null, 0, null));
                }
            }
            return out;
        }
        java.time.Instant now = clock.instant();
        List<TrackerStatus> out = new ArrayList<>();
        for (dev.magnetar.tracker.TrackerStatus t : a.statuses()) {
            String status = t.lastAnnounce() == null ? "not contacted" : t.lastError() != null ? "error" : "working";
            Long next = t.nextAnnounce() == null ? null : Math.max(0, Duration.between(now, t.nextAnnounce()).toSeconds());
            out.add(new TrackerStatus(t.url().toString(), status, t.lastError(), t.peersReceived(), next));
        }
        return out;
    }

    public void setSequential(boolean on) {
        engine.sessionSequential(this, on);
        loop.execute(() -> {
            sequential = on;
            if (picker != null) {
                picker.setSequential(on);
            }
        });
    }

    public void pause() {
        engine.sessionPaused(this, true);
        loop.execute(() -> {
            if (held() || state == TorrentState.ERROR || stopped) {
                return;
            }
            stateBeforePause = state;
            setState(TorrentState.PAUSED);
            for (PeerConnection p : new ArrayList<>(peers)) {
                p.close("paused");
            }
            peerList.clearQueue();
        });
    }

    /**
     * Stops seeding because the torrent reached its seeding goal: {@link TorrentState#COMPLETED}, which
     * holds it like a pause (no peers, no announces of interest) until {@link #resume}. Only a complete
     * torrent finishes; a paused one (as restored after a restart) becomes COMPLETED at once.
     */
    public void finishSeeding() {
        loop.execute(() -> {
            if (stopped || state == TorrentState.COMPLETED || state == TorrentState.ERROR) {
                return;
            }
            if (state == TorrentState.PAUSED) {
                setState(TorrentState.COMPLETED);
                return;
            }
            if (state != TorrentState.SEEDING) {
                return; // more to download after all (a file's priority was raised): not finished
            }
            stateBeforePause = state;
            setState(TorrentState.COMPLETED);
            for (PeerConnection p : new ArrayList<>(peers)) {
                p.close("seeding goal reached");
            }
            peerList.clearQueue();
        });
    }

    /**
     * Makes the torrent wait, once its metadata is known, for {@link #startWithChoice} (folder and files)
     * instead of downloading into its folder at once. Called before {@link #start}.
     */
    void awaitChoice() {
        awaitingChoice = true;
    }

    /** Whether it waits for the user's choice of folder and files ({@link #awaitChoice}). */
    public boolean awaitingChoice() {
        return awaitingChoice;
    }

    /**
     * The metadata is known and the user is to choose: held like a pause, with no storage opened (so no
     * file is made in a folder the user may not choose) and no peers (so nothing downloads meanwhile).
     * A restart brings it back paused.
     */
    private void holdForChoice() {
        engine.sessionPaused(this, true);
        stateBeforePause = null;
        setState(TorrentState.PAUSED);
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.close("waiting for the user to choose files");
        }
        peerList.clearQueue();
    }

    /**
     * Starts a torrent that waited for the user's choice: its files go to {@code folder} (which the
     * caller checked), with these file priorities (index → 0..7; files not named keep 4). Fails with
     * {@link IllegalStateException} when it does not wait (any more), {@link IllegalArgumentException}
     * for a file index it does not have.
     */
    public CompletableFuture<Void> startWithChoice(Path folder, Map<Integer, Integer> priorities) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            TorrentInfo i = info;
            if (!awaitingChoice || i == null || stopped || state != TorrentState.PAUSED) {
                done.completeExceptionally(new IllegalStateException(name() + " does not wait for a choice of files"
                        + (i == null ? " yet: its metadata has not arrived" : " (it was started already)")));
                return;
            }
            for (int f : priorities.keySet()) {
                if (f < 0 || f >= i.files().size()) {
                    done.completeExceptionally(new IllegalArgumentException("no file " + f + " in " + name()));
                    return;
                }
            }
            beginAfterChoice(folder, priorities);
            done.complete(null);
        });
        return done;
    }

    private void beginAfterChoice(Path folder, Map<Integer, Integer> priorities) {
        awaitingChoice = false;
        downloadDir = folder;
        pendingFilePriorities.putAll(priorities);
        engine.sessionChoiceMade(this);
        setState(TorrentState.CHECKING);
        openStorage(OpenMode.TRUST_RESUME_DATA);
        peerList.queueAllKnown();
    }

    /** Paused by the user or finished seeding: held until resumed. */
    private boolean held() {
        return state == TorrentState.PAUSED || state == TorrentState.COMPLETED;
    }

    /**
     * Resumes a paused (or {@link TorrentState#COMPLETED}) torrent; one in {@link TorrentState#ERROR} is brought back: its storage is opened
     * again and whatever cannot be trusted any more (files changed or missing) is rechecked first.
     * Completes once the state has changed (to CHECKING, for a torrent leaving ERROR).
     */
    public CompletableFuture<Void> resume() {
        engine.sessionPaused(this, false);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (awaitingChoice && !stopped) {
                // Resumed instead of chosen: every file, in the folder it was added with.
                if (info != null && state == TorrentState.PAUSED) {
                    beginAfterChoice(downloadDir, Map.of());
                } else {
                    awaitingChoice = false; // metadata not here yet: it downloads as soon as it is
                }
                done.complete(null);
                return;
            }
            if (state == TorrentState.ERROR && !stopped) {
                recover("resumed by the user");
            } else if (held() && picker != null) {
                // The files may have gone while it was paused: look before it says SEEDING again.
                checkFiles(this::unpause).whenComplete((v, e) -> done.complete(null));
                return;
            } else if (held()) {
                unpause();
            }
            done.complete(null);
        });
        return done;
    }

    private void unpause() {
        if (!held() || stopped) {
            return;
        }
        setState(stateBeforePause == null ? TorrentState.DOWNLOADING : stateBeforePause);
        peerList.queueAllKnown();
    }

    /**
     * Metadata from BEP 9 (or anywhere): checked against the info-hash, then the torrent opens its
     * storage and starts downloading. Refused if it does not hash to our info-hash.
     */
    public CompletableFuture<Void> setMetadata(byte[] infoBytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (info != null || awaitingLayers != null) {
                done.complete(null);
                return;
            }
            if (!InfoDictionaryHash.matches(infoHash, v2InfoHash, infoBytes)) {
                done.completeExceptionally(new InvalidTorrentException(
                        "metadata does not hash to the info-hash " + infoHash.hex() + "; ask another peer"));
                return;
            }
            TorrentInfo parsed;
            try {
                parsed = MetainfoParser.parseInfo(infoBytes);
                if (!isV2Swarm(infoHash)) {
                    parsed.requireDownloadable(); // only in the v2 swarm do peers answer our hash requests
                }
            } catch (Exception e) {
                done.completeExceptionally(e);
                return;
            }
            if (!parsed.isDownloadable()) {
                // BEP 52: BEP 9 metadata has no "piece layers"; peers send them on hash requests.
                awaitingLayers = parsed;
                layerFetch = new PieceLayerFetch(parsed.pieceLayers());
                log.info("{}: v2 metadata received; fetching {} chunks of piece layers from peers", name(),
                        layerFetch.chunksMissing());
                layerFetch.askPeers(peers);
                done.complete(null);
                return;
            }
            useMetadata(parsed);
            done.complete(null);
        });
        return done;
    }

    /** The verified (and, for v2, complete) metadata: storage opens and the download starts. Loop only. */
    private void useMetadata(TorrentInfo parsed) {
        info = parsed;
        if (parsed.isPrivate()) {
            // BEP 27: a magnet's torrent may turn out private; from now on trackers only.
            pex.disable();
            engine.peerSources().torrentIsPrivate(this);
        } else {
            engine.peerSources().metadataKnown(this);
        }
        SwarmAnnouncers a = announcer;
        if (a != null) {
            a.announce(otherSwarmHash()); // a hybrid added by one of its hashes: the other swarm is known now
        }
        emit(new EngineEvent.MetadataReceived(infoHash, parsed.name(), parsed.totalLength(),
                (int) parsed.files().stream().filter(f -> !f.padding()).count()));
        engine.sessionMetadataKnown(this);
        if (awaitingChoice) {
            holdForChoice();
        } else {
            openStorage(OpenMode.TRUST_RESUME_DATA);
        }
    }

    // ------------------------------------------------------------------ lifecycle (torrent loop)

    void start() {
        loop.execute(() -> {
            stopTicking = engine.tickerOf(loop).register(this::tick);
            if (info == null || awaitingChoice) {
                // Nothing to check yet. A torrent with its files announces from pickPieces, once the check
                // knows what it has: as libtorrent does, "started" then carries the true "left" (a seeder's
                // first announce said the whole size was left, and trackers counted it as a leecher).
                startAnnouncing();
            }
            if (info != null && awaitingChoice) {
                holdForChoice();
            } else if (info != null) {
                openStorage(OpenMode.TRUST_RESUME_DATA);
            }
            peerList.connectMore();
        });
    }

    private void startAnnouncing() {
        List<List<URI>> tiers = new ArrayList<>();
        for (List<String> tier : trackers) {
            List<URI> uris = new ArrayList<>();
            for (String t : tier) {
                try {
                    uris.add(new URI(t));
                } catch (URISyntaxException e) {
                    log.info("{}: ignoring tracker {}: {}", infoHash, t, e.getMessage());
                }
            }
            if (!uris.isEmpty()) {
                tiers.add(uris);
            }
        }
        if (tiers.isEmpty() || engine.listenPort() <= 0) {
            return;
        }
        SwarmAnnouncers a = new SwarmAnnouncers((swarm, listener) -> new Announcer(
                new Announcer.Identity(swarm, engine.peerId(), engine.listenPort(), engine.announceKey(), 50,
                        engine.announcedIpv6()),
                new TrackerTiers(tiers, new Random()), engine.trackerClient(),
                () -> new TransferStats(uploaded.get(), downloaded.get(), bytesLeft()), listener,
                TaskScheduler.of(loop), clock, AnnounceSchedule.DEFAULT, Duration.ofSeconds(5)).announcePortFrom(engine::announcedPort),
                (swarm, found) -> addPeers(PeerSource.TRACKER, found, swarm));
        a.announce(infoHash);
        a.announce(otherSwarmHash()); // BEP 52: a hybrid's other swarm, when known
        announcer = a; // published with its swarms: trackerStatuses() never sees it empty
    }

    private long bytesLeft() {
        TorrentInfo i = info;
        if (i == null) {
            return 1; // unknown until the metadata arrives; not zero, which would say "seeder"
        }
        TorrentStorage s = storage;
        return Math.max(0, i.totalLength() - (s == null ? 0 : s.bytesVerified()));
    }

    /** How far {@link #openStorage} trusts the resume data. */
    private enum OpenMode {
        /** As at start: trusted if it matches the files; files it names gone means ERROR "files missing". */
        TRUST_RESUME_DATA,
        /** Leaving ERROR: trusted if it matches; otherwise, missing files included, the data is rechecked. */
        RECOVER,
        /** The user asked: every piece is hashed again. */
        RECHECK
    }

    private void openStorage(OpenMode mode) {
        int generation = ++storageGeneration;
        if (!held()) {
            setState(TorrentState.CHECKING);
        }
        checkedBytes.set(0);
        TorrentInfo i = info;
        TorrentStorage previous = storage;
        // The previous storage (error, recheck) must have let go of the files and saved its resume data
        // before the new one reads them. open() reads the resume file and stats files: not on the loop.
        CompletableFuture<Void> released = previous == null ? CompletableFuture.completedFuture(null)
                : previous.close().handle((v, e) -> null);
        released.thenApplyAsync(v -> {
            try {
                return TorrentStorage.open(i, infoHash, downloadDir, engine.storageExecutors(), engine.resumeStore());
            } catch (StorageException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, engine.storageExecutors().disk()).whenComplete((s, e) -> loop.execute(() -> {
            if (e != null) {
                fail("cannot open the files: " + rootMessage(e), reasonOf(e));
                return;
            }
            if (stopped || generation != storageGeneration) {
                s.discard(); // never used: the resume data on disk stays as it was
                return;
            }
            storage = s;
            if (s.resumeOutcome() == TorrentStorage.ResumeOutcome.FILES_MISSING && mode == OpenMode.TRUST_RESUME_DATA) {
                filesMissing(s.missingOnOpen());
                return;
            }
            if (mode != OpenMode.RECHECK && !s.resumeOutcome().needsRecheck()) {
                storageReady(generation);
                return;
            }
            s.recheck(checkedBytes::set).whenComplete((bits, e2) -> loop.execute(() -> {
                if (generation != storageGeneration || stopped) {
                    return;
                }
                if (e2 != null) {
                    fail("checking the files failed: " + rootMessage(e2), reasonOf(e2));
                } else {
                    storageReady(generation);
                }
            }));
        }));
    }

    /**
     * The pieces are known. Before a single piece is requested, a torrent with pieces left to download
     * proves it can write to its folder: a folder it cannot write would otherwise waste the download.
     */
    private void storageReady(int generation) {
        TorrentInfo i = info;
        TorrentStorage s = storage;
        pendingFilePriorities.forEach(s::setFilePriority);
        pendingFilePriorities.clear();
        if (wantedComplete(s)) {
            pickPieces(generation);
            return;
        }
        CompletableFuture.runAsync(() -> {
            try {
                DownloadFolder.requireWritable(downloadDir);
            } catch (StorageException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, engine.storageExecutors().disk()).whenComplete((v, e) -> loop.execute(() -> {
            if (generation != storageGeneration || stopped) {
                return;
            }
            if (e != null) {
                fail(rootMessage(e), reasonOf(e));
            } else {
                pickPieces(generation);
            }
        }));
    }

    private static boolean wantedComplete(TorrentStorage s) {
        Bitfield wanted = s.wantedPieces();
        Bitfield verified = s.verified();
        for (int p = wanted.nextSet(0); p >= 0; p = wanted.nextSet(p + 1)) {
            if (!verified.has(p)) {
                return false;
            }
        }
        return true;
    }

    private void pickPieces(int generation) {
        TorrentInfo i = info;
        picker = new PiecePicker<>(PieceGeometry.of(i), storage.verified(), piecePriorities(), new SplittableRandom());
        picker.setSequential(sequential);
        picker.setDeadlinePeers(this::fastEnoughForDeadlines);
        streams.pickerReady();
        pieces.start(picker, PieceGeometry.of(i));
        for (WebSeed w : webSeeds) {
            w.piecesKnown(picker, i);
        }
        uploadSlots.start();
        if (announcer == null) {
            // At start and after an error: only now that what we have is known. Before the state and the
            // completion change, so that whoever sees those also sees the trackers being announced to.
            startAnnouncing();
        }
        log.info("{}: {} of {} pieces verified", name(), storage.verified().count(), i.pieceCount());
        if (!held()) {
            setState(picker.isComplete() ? TorrentState.SEEDING : TorrentState.DOWNLOADING);
        } else {
            stateBeforePause = picker.isComplete() ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
        }
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.metadataReady();
        }
        if (picker.isComplete()) {
            completed();
        }
        uploadSlots.scheduleRechoke();
        if (redialWhenReady) {
            redialWhenReady = false;
            peerList.redialKnown(); // after an error or a recheck, which dropped them: the peers we had
        }
    }

    private void completed() {
        if (!completion.isDone()) {
            log.info("{}: download complete", name());
            emit(new EngineEvent.DownloadCompleted(infoHash, info.totalLength()));
            economy.completed();
            completion.complete(null);
        }
    }

    private void fail(String message) {
        fail(message, null);
    }

    /**
     * Stops the torrent in ERROR with {@code message} (what happened and what to do): no peers, no
     * announces — trackers get STOPPED, so no one counts us as a seed (or a leecher) meanwhile — and
     * its storage closed. {@link #resume} and {@link #recheck} bring it back; a full disk is also
     * retried by itself once there is room. The first failure wins: later ones are its echoes.
     */
    private void fail(String message, StorageException.Reason reason) {
        if (state == TorrentState.ERROR || stopped) {
            return;
        }
        log.warn("{}: {}", name(), message);
        error = message;
        errorReason = reason;
        storageGeneration++; // work still in flight on this storage is ignored when it completes
        setState(TorrentState.ERROR);
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.close("torrent error");
        }
        peerList.clearQueue();
        pieces.dropAssemblies();
        stopAnnouncing();
        if (storage != null) {
            CompletableFuture<Void> closing = reason == StorageException.Reason.FILE_MISSING ? storage.discard() : storage.close();
            closing.whenComplete((v, e) -> {
                if (e != null) {
                    log.debug("{}: closing the storage after an error: {}", name(), rootMessage(e));
                }
            });
        }
        completion.completeExceptionally(new IllegalStateException(message));
    }

    /** Files that held verified pieces are gone or short: ERROR "files missing", and say which. */
    private void filesMissing(List<String> which) {
        fail("files missing: " + String.join("; ", which.subList(0, Math.min(5, which.size())))
                + (which.size() > 5 ? " and " + (which.size() - 5) + " more" : "")
                + " — put them back and resume the torrent; resumed without them, it checks what is left and downloads the rest again",
                StorageException.Reason.FILE_MISSING);
    }

    /** Leaves ERROR: storage opened again, rechecking what cannot be trusted, then on as before. */
    private void recover(String why) {
        log.info("{}: leaving the error \"{}\" ({})", name(), error, why);
        error = null;
        errorReason = null;
        dropPeersAndProgress("torrent restarting");
        if (info == null) {
            startAnnouncing();
            setState(TorrentState.FETCHING_METADATA);
            peerList.redialKnown();
        } else {
            redialWhenReady = true;
            openStorage(OpenMode.RECOVER);
        }
    }

    /**
     * Hashes every piece on disk again (the user's "force recheck"): peers are dropped meanwhile, as
     * libtorrent does, and the torrent goes on with what the files really hold. Leaves ERROR too.
     *
     * @return false if there is nothing to check yet (no metadata)
     */
    public CompletableFuture<Boolean> recheck() {
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        loop.execute(() -> {
            if (info == null || stopped) {
                started.complete(false);
                return;
            }
            log.info("{}: recheck asked for", name());
            if (state == TorrentState.ERROR) {
                error = null;
                errorReason = null;
            }
            dropPeersAndProgress("rechecking");
            redialWhenReady = true;
            openStorage(OpenMode.RECHECK);
            started.complete(true);
        });
        return started;
    }

    /**
     * What recovering and rechecking both start from: peers closed, pieces in assembly dropped, picker
     * and choker rebuilt once storage is open again, and a failed completion made waitable anew.
     */
    private void dropPeersAndProgress(String why) {
        if (completion.isCompletedExceptionally()) {
            completion = new CompletableFuture<>();
        }
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.close(why);
        }
        picker = null;
        uploadSlots.stop();
        pieces.dropAssemblies();
        leafBlocks.clear();
    }

    private void stopAnnouncing() {
        SwarmAnnouncers a = announcer;
        announcer = null;
        if (a != null) {
            a.stop();
        }
    }

    private static StorageException.Reason reasonOf(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof StorageException se ? se.reason() : null;
    }

    /** Every few ticks: are the files holding verified pieces still there? (A stat each, on the disk pool.) */
    private void checkFilesPeriodically() {
        TorrentStorage s = storage;
        if (fileCheckRunning || s == null || picker == null
                || !(state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING)) {
            return;
        }
        long every = (long) FILE_CHECK_TICKS * Math.max(1, info.files().size() / FILES_PER_FILE_CHECK)
                * Math.max(1, engine.torrentCount() / TORRENTS_PER_FILE_CHECK);
        if (ticks % every == 0) {
            checkFiles(() -> { });
        }
    }

    /**
     * Looks at the files; runs {@code then} on the loop if they are all there, else goes to ERROR. The
     * future completes on the loop once that is decided, whichever way.
     */
    private CompletableFuture<Void> checkFiles(Runnable then) {
        TorrentStorage s = storage;
        int generation = storageGeneration;
        fileCheckRunning = true;
        CompletableFuture<Void> decided = new CompletableFuture<>();
        CompletableFuture.supplyAsync(() -> {
            try {
                return s.missingFiles();
            } catch (StorageException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, engine.storageExecutors().disk()).whenComplete((missing, e) -> loop.execute(() -> {
            fileCheckRunning = false;
            try {
                if (generation != storageGeneration || stopped) {
                    return;
                }
                if (e != null) {
                    fail("cannot look at the files: " + rootMessage(e), reasonOf(e));
                } else if (!missing.isEmpty()) {
                    filesMissing(missing);
                } else {
                    then.run();
                }
            } finally {
                decided.complete(null);
            }
        }));
        return decided;
    }

    /** A peer's block could not be read: a file shrank or went, or the disk fails. */
    void readFailed(Throwable e) {
        StorageException.Reason reason = reasonOf(e);
        if (state == TorrentState.ERROR || stopped) {
            return;
        }
        if (reason == StorageException.Reason.FILE_MISSING) {
            checkFiles(() -> fail("reading for a peer failed: " + rootMessage(e), reason));
        } else if (reason == StorageException.Reason.IO_FAILED || reason == StorageException.Reason.PERMISSION_DENIED) {
            fail("reading for a peer failed: " + rootMessage(e), reason);
        }
    }

    /** Stopped by a full disk: once there is room again, go on by itself (the user need not watch for it). */
    private void retryWhenThereIsRoom() {
        if (state != TorrentState.ERROR || errorReason != StorageException.Reason.DISK_FULL
                || ticks % FREE_SPACE_CHECK_TICKS != 0 || info == null) {
            return;
        }
        long wanted = (long) info.pieceLength() * FREE_SPACE_PIECES;
        CompletableFuture.supplyAsync(() -> usableSpace(downloadDir), engine.storageExecutors().disk())
                .whenComplete((free, e) -> loop.execute(() -> {
                    if (e == null && free >= wanted && state == TorrentState.ERROR
                            && errorReason == StorageException.Reason.DISK_FULL && !stopped) {
                        recover(free + " bytes free again on the disk of " + downloadDir);
                    }
                }));
    }

    /** Usable bytes on the file system of {@code dir} (or of its nearest existing parent); 0 if unknown. */
    private static long usableSpace(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            try {
                return java.nio.file.Files.getFileStore(d).getUsableSpace();
            } catch (java.nio.file.NoSuchFileException e) {
                // not created yet (or deleted): its parent's disk is where it will be
            } catch (java.io.IOException e) {
                return 0;
            }
        }
        return 0;
    }

    private void setState(TorrentState next) {
        TorrentState previous = state;
        if (previous == next) {
            return;
        }
        state = next;
        emit(new EngineEvent.StateChanged(infoHash, previous, status()));
    }

    /** Stops announcing (STOPPED), closes every connection and the storage (which saves resume data). */
    CompletableFuture<Void> close() {
        return close(false);
    }

    /**
     * Like {@link #close()}, for a torrent whose files and resume data are deleted next: the storage
     * is discarded, so no resume save fsyncs (hundreds of MiB at download speeds) data about to go.
     */
    CompletableFuture<Void> closeForDeletion() {
        return close(true);
    }

    private CompletableFuture<Void> close(boolean dataGoes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            stopped = true;
            streams.close();
            leafBlocks.clear();
            peerList.close();
            uploadSlots.close();
            economy.stopped();
            pieces.close();
            if (stopTicking != null) {
                stopTicking.run();
            }
            for (PeerConnection p : new ArrayList<>(peers)) {
                p.close("shutting down");
            }
            webSeeds.forEach(WebSeed::stop);
            peerList.clearQueue();
            CompletableFuture<Void> stopAnnounce = announcer == null ? CompletableFuture.completedFuture(null) : announcer.stop();
            CompletableFuture<Void> closeStorage = storage == null ? CompletableFuture.completedFuture(null)
                    : (dataGoes ? storage.discard() : storage.close()).handle((v, e) -> {
                        if (e != null) {
                            log.warn("{}: closing storage: {}", name(), rootMessage(e));
                        }
                        return null;
                    });
            CompletableFuture.allOf(stopAnnounce, closeStorage).whenComplete((v, e) -> done.complete(null));
        });
        return done;
    }

    // ------------------------------------------------------------------ peers (torrent loop)

    /**
     * A connection finished its handshake. Returns why it is refused, or null to admit it: the torrent
     * must be running, below its peer limit, the peer not banned, not ourselves, not connected twice.
     */
    String admit(PeerConnection peer, byte[] peerId) {
        String refused = peerList.admit(peer, peerId);
        if (refused != null) {
            return refused;
        }
        if (peer.isOutgoing()) {
            // Only outgoing peers are known to be connectable at this address (BEP 11 lists those).
            pex.peerConnected(peer.address(), peer::pexFlags);
        }
        emit(new EngineEvent.PeerConnected(infoHash, peer.identity(), peer.client(), peer.isOutgoing()));
        peer.setDiskThrottled(pieces.isDiskThrottled());
        return null;
    }

    void peerClosed(PeerConnection peer, String why) {
        if (!peerList.remove(peer)) {
            return;
        }
        if (peer.isOutgoing()) {
            pex.peerDisconnected(peer.address());
        }
        if (picker != null) {
            picker.peerDisconnected(peer);
        }
        holepunch.peerGone(peer);
        for (ExtensionHandler p : extensions.all()) {
            p.peerGone(peer);
        }
        if (layerFetch != null) {
            layerFetch.peerGone(peer);
        }
        emit(new EngineEvent.PeerDisconnected(infoHash, peer.identity(), why));
        // Its requests went back to the pool: let the others take them.
        for (PeerConnection p : peers) {
            p.fillRequests();
        }
        peerList.connectMore();
    }

    void doNotReconnect(InetSocketAddress address, String why) {
        peerList.doNotReconnect(address);
    }

    /** Bans a peer caught lying (on the loop): never dialled again, its peer id refused, and said so in an event. */
    void ban(PeerIdentity peer, String reason) {
        if (peer == null || bans.isBanned(peer)) {
            return;
        }
        log.info("{}: banning {}: {}", name(), peer, reason);
        bans.ban(peer);
        emit(new EngineEvent.PeerBanned(infoHash, peer, reason));
    }

    void peerInterestChanged(PeerConnection peer) {
        uploadSlots.peerInterestChanged(peer);
    }

    /**
     * A new bid may change who holds a paid slot: run a choke round now instead of waiting up to 10 s
     * (the economy asks; any thread).
     */
    public void requestRechoke() {
        loop.execute(uploadSlots::scheduleRechoke);
    }

    // ------------------------------------------------------------------ pieces (torrent loop)

    /** Every source of blocks: the connected peers, then the web seeds. */
    private java.util.Collection<PieceSource> pieceSources() {
        List<PieceSource> all = new ArrayList<>(peers.size() + webSeeds.size());
        all.addAll(peers);
        all.addAll(webSeeds);
        return all;
    }

    /** A web seed gave its booked blocks back (it failed, or was dropped): the peers may take them. */
    void sourcesReleasedBlocks() {
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.fillRequests();
            p.flush();
        }
        for (WebSeed w : webSeeds) {
            w.fillRequests();
        }
    }

    /** {@code data}'s readable bytes are the block; copied into the piece's assembly, not kept. */
    void blockAccepted(PieceSource from, BlockRequest block, ByteBuf data, BlockArrival<PieceSource> arrival) {
        java.nio.ByteBuffer bytes = data.nioBuffer(data.readerIndex(), data.readableBytes());
        streams.blockArrived(block.piece(), block.offset(), bytes);
        boolean readable = leafBlocks.blockArrived(block.piece(), block.offset(), bytes);
        pieces.blockAccepted(from, block, data, arrival);
        if (readable) {
            streams.blocksReadable(block.piece());
        }
    }

    /** The blocks of time-critical pieces readable before their piece is whole. */
    LeafVerifiedBlocks leafBlocks() {
        return leafBlocks;
    }

    /** {@code peer} is about to be asked for blocks: the leaves of the time-critical pieces go first. */
    void askLeafHashes(PeerConnection peer) {
        leafBlocks.ask(peer);
    }

    /** The engine's write budget flipped (maybe on another torrent's account). */
    void pendingWritesChanged() {
        pieces.pendingWritesChanged();
    }

    /** What storage and the hash check said of a complete piece (on the loop). */
    private final class Verdicts implements PieceCompletion.Verdicts {

        @Override
        public void verified(int piece) {
            pieceVerified(piece);
        }

        @Override
        public void hashFailed(int piece, List<PeerIdentity> contributors) {
            economy.pieceFailed(piece);
            emit(new EngineEvent.PieceFailed(infoHash, piece, contributors));
        }

        @Override
        public void banned(PeerIdentity peer) {
            emit(new EngineEvent.PeerBanned(infoHash, peer, "sent data for pieces that failed their hash check"));
        }

        @Override
        public void notStored(int piece, PieceResult result, Throwable e) {
            if (e != null) {
                fail("storing piece " + piece + " failed: " + rootMessage(e), reasonOf(e));
            } else if (result.error().reason() == StorageException.Reason.FILE_MISSING) {
                checkFiles(() -> fail(result.message(), StorageException.Reason.FILE_MISSING));
            } else {
                fail(result.message(), result.error().reason());
            }
        }
    }

    private void pieceVerified(int piece) {
        List<PeerBlock<PieceSource>> stillRequested = picker.pieceVerified(piece);
        economy.pieceVerified(piece, picker.isComplete()); // before the HAVEs below (see TorrentEconomy)
        for (PeerBlock<PieceSource> c : stillRequested) {
            c.peer().cancel(c.block());
        }
        for (PeerConnection p : peers) {
            if (p.isReady()) {
                p.sendHave(piece);
            }
        }
        emit(new EngineEvent.PieceVerified(infoHash, piece));
        streams.pieceVerified(piece);
        leafBlocks.forget(piece);
        if (announcer != null && storage.verified().isComplete()) {
            // BEP 3's "completed" says this peer downloaded the torrent: only when the last piece of
            // the whole torrent arrives here — not when the wanted files are done while others are
            // skipped (it would still have bytes left), nor for data that was complete when added.
            announcer.completed();
        }
        boolean complete = picker.isComplete();
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.updateInterest();
            p.flush();
        }
        if (complete && state == TorrentState.DOWNLOADING) {
            // Never SEEDING without the data: the files must still be where the pieces were written.
            checkFiles(() -> {
                if (state == TorrentState.DOWNLOADING && picker != null && picker.isComplete()) {
                    setState(TorrentState.SEEDING);
                    completed();
                }
            });
        }
    }

    /** How many once-a-second ticks have run. */
    long ticks() {
        return ticks;
    }

    private void tick() {
        ticks++;
        long now = System.nanoTime();
        long timeout = engine.settings().requestTimeout().toNanos();
        int seeds = 0;
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.expireRequests(now, timeout);
            if (p.isSeed()) {
                seeds++;
            }
        }
        seedCount = seeds;
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.fillRequests();
        }
        if (layerFetch != null) {
            layerFetch.askPeers(new ArrayList<>(peers));
        }
        webSeeds.forEach(WebSeed::fillRequests); // also ends a web seed's rest once it is over
        uploadSlots.tick();
        for (ExtensionHandler p : extensions.all()) {
            p.tick();
        }
        if (state.isActive()) {
            TorrentStatus current = status();
            if (!current.equals(lastProgress)) {
                lastProgress = current;
                emit(new EngineEvent.ProgressUpdated(infoHash, current));
            }
        }
        checkFilesPeriodically();
        retryWhenThereIsRoom();
        if (announcer != null && peerList.wantsMorePeers() && ticks % 60 == 0) {
            announcer.needMorePeers();
        }
        if (!isPausedOrStopped() && (state == TorrentState.DOWNLOADING || state == TorrentState.FETCHING_METADATA)) {
            // Not while seeding: a seed that had us drops us once we are one too, and a leecher dials us.
            givenPeers.due(now, peerList::reach).forEach(peerList::learn);
        }
        peerList.connectMore();
    }

    private void emit(EngineEvent event) {
        for (Consumer<EngineEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                log.warn("{}: event listener failed on {}", infoHash, event, e);
            }
        }
        engine.publish(event);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    // ------------------------------------------------------------------ for PeerConnection (torrent loop)

    EventLoop loop() {
        return loop;
    }

    Clock clock() {
        return clock;
    }

    /** The port peers should dial us on: the router's external port when a mapping gave one (BEP 10 {@code p}, the DHT). */
    int listenPort() {
        return engine.announcedPort();
    }

    /** The engine announces another port now: trackers hand out only the port they last heard. Any thread. */
    void announcedPortChanged() {
        SwarmAnnouncers a = announcer;
        if (a != null) {
            a.portChanged();
        }
    }

    int dhtPort() {
        return engine.dhtPort();
    }

    /** BEP 5 PORT message from a peer: its DHT node is worth adding to our routing table. */
    void peerDhtPort(InetSocketAddress peer, int udpPort) {
        engine.peerSources().dhtNodeSeen(peer, udpPort);
    }

    boolean isReady() {
        return picker != null;
    }

    boolean isPausedOrStopped() {
        return stopped || held() || state == TorrentState.ERROR;
    }

    PiecePicker<PieceSource> picker() {
        return picker;
    }

    TorrentStorage storage() {
        return storage;
    }

    TorrentStreams streams() {
        return streams;
    }

    /**
     * Time-critical pieces changed. A peer serves requests in the order sent, so before they are asked
     * for, peers cancel what they have queued ahead of them: when the most urgent is asked of no one (a
     * seek), everything outside {@code newest} (the newest reader's pieces, so the old position's window
     * too); when only a later one is (the window grew or slid), what is not time-critical at all. Then
     * every peer and web seed is asked for blocks.
     */
    void deadlinesChanged(Set<Integer> newest) {
        if (picker != null) {
            Set<Integer> keep = picker.urgentDeadlineUnrequested() ? newest
                    : picker.deadlineUnrequested() ? Set.copyOf(picker.deadlines()) : null;
            if (keep != null) {
                for (PeerConnection p : new ArrayList<>(peers)) {
                    p.cancelOutside(keep);
                }
            }
        }
        refillRequests();
    }

    /** Asks every peer and web seed for blocks now. */
    void refillRequests() {
        for (PieceSource s : pieceSources()) {
            s.fillRequests();
        }
    }

    /**
     * A reader waits on time-critical pieces: only peers sending at least a quarter of the fastest
     * peer's rate get them (a new peer, not measured yet, counts as fast until it proves otherwise; a
     * web seed always does).
     */
    private boolean fastEnoughForDeadlines(PieceSource source) {
        if (!(source instanceof PeerConnection peer)) {
            return true;
        }
        long rate = peer.downloadBytesPerSecond();
        if (rate == 0) {
            return true;
        }
        long fastest = 0;
        for (PeerConnection p : peers) {
            fastest = Math.max(fastest, p.downloadBytesPerSecond());
        }
        return rate * 4 >= fastest;
    }

    /** What we have verified; null before the storage is open and checked. */
    Bitfield verifiedOrNull() {
        return picker == null ? null : storage.verified();
    }

    RateLimiter downloadLimiter() {
        return downloadLimiter;
    }

    RateLimiter uploadLimiter() {
        return uploadLimiter;
    }

    /** The limiter a block to {@code peer} is paid from: paid-slot holders skip the unpaid share. */
    RateLimiter uploadLimiterFor(PeerConnection peer) {
        return uploadSlots.uploadLimiterFor(peer);
    }

    void pieceSent(PeerConnection peer, int bytes) {
        economy.pieceSent(peer, bytes);
    }

    void pieceReceived(PeerConnection peer, int piece, int bytes) {
        economy.pieceReceived(peer, piece, bytes);
    }

    void payloadDownloaded(int bytes) {
        downloaded.addAndGet(bytes);
        downloadRate.add(bytes);
    }

    void payloadUploaded(int bytes) {
        uploaded.addAndGet(bytes);
        uploadRate.add(bytes);
    }

    void payloadWasted(int bytes) {
        wasted.addAndGet(bytes);
    }

    /** Whether an incoming handshake with this peer id must be refused (may be asked from any loop). */
    boolean refusesPeerId(byte[] peerId) {
        return bans.isBannedPeerId(HexFormat.of().formatHex(peerId)) || stopped || held()
                || state == TorrentState.ERROR;
    }

    @Override
    public String toString() {
        return "torrent " + name() + " (" + infoHash.hex() + ")";
    }
}
