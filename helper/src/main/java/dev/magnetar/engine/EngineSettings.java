package dev.magnetar.engine;

import dev.magnetar.wire.WireOptions;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;

/**
 * The session's settings in one pack, with documented defaults ({@link #defaults}); a changed pack is
 * built with {@link #builder} or {@link #toBuilder}, so a new setting is one component and one builder
 * method rather than another copy of every component.
 *
 * @param listenAddress where we accept peers: "::" (default) for both IPv4 and IPv6 on one dual-stack
 *     socket, IPv4 alone where the host has no IPv6 ({@link ListenAddress}); "127.0.0.1" or "::1" in tests
 * @param listenPort TCP port for peers; 0 picks a free one
 * @param downloadDir default directory for torrents added without one
 * @param resumeDir where resume data lives (one file per torrent)
 * @param maxPeersPerTorrent connected peers per torrent, incoming and outgoing together
 * @param maxHalfOpenPerTorrent outgoing connection attempts in flight per torrent
 * @param downloadBytesPerSecond global download limit, 0 for none
 * @param uploadBytesPerSecond global upload limit, 0 for none
 * @param peerThreads event-loop threads for all peer I/O (see {@link Engine} for why 1 by default)
 * @param maxPendingWriteBytes bytes of pieces handed to storage but not yet hashed and written, all torrents
 *     together, above which every torrent stops reading its peers (DESIGN.md: disk backpressure)
 * @param maxAssemblyBytes bytes of pieces in progress, all torrents together, each counted at its piece
 *     length: past it no torrent starts another piece unless it has none ({@link AssemblyBudget})
 * @param requestTimeout a requested block that has not arrived after this goes back to the picker
 * @param wire handshake, keep-alive and frame limits of each connection
 * @param discovery DHT, PEX and LSD (on by default; tests use {@link PeerDiscoverySettings#offline()})
 * @param sessionFile where the list of added torrents is kept so that a restarted engine brings them
 *     back ({@link SessionList}); null (the default) = off. Opt-in because the CLI's one-shot
 *     {@code download} shares the engine and must not restore other torrents; the daemon turns it on.
 * @param choker upload slots and rechoke timings of every torrent's {@link Choker}
 * @param utp uTP (BEP 29) beside TCP: accept uTP on the listen port's UDP twin and race it against TCP
 *     when dialling ({@link DialRace}). On by default, as in libtorrent and Transmission: home peers are
 *     often reachable only over uTP.
 * @param webSeedTrustStore the certificates an https web seed (BEP 19) may present; null (the default) =
 *     those the Java runtime trusts. Tests trust their own self-signed mirror here; a user has no setting
 *     for it: a web seed's pieces are hash-checked anyway, and a mirror is authenticated like any site.
 */
public record EngineSettings(
        String listenAddress,
        int listenPort,
        Path downloadDir,
        Path resumeDir,
        int maxPeersPerTorrent,
        int maxHalfOpenPerTorrent,
        long downloadBytesPerSecond,
        long uploadBytesPerSecond,
        int peerThreads,
        long maxPendingWriteBytes,
        long maxAssemblyBytes,
        Duration requestTimeout,
        WireOptions wire,
        PeerDiscoverySettings discovery,
        Path sessionFile,
        ChokerSettings choker,
        boolean utp,
        KeyStore webSeedTrustStore) {

    public static final int DEFAULT_MAX_PEERS = 80;
    public static final int DEFAULT_HALF_OPEN = 8;
    /**
     * An eighth of the heap, between 8 and 16 MiB, for all torrents together: the pieces waiting for
     * SHA-1 and the disk live on the heap, so a fixed bound would run a small heap (e.g.
     * {@code -Xmx64m}) out of memory whenever hashing falls behind the network. Each MiB buffered is
     * resident memory: the daemon's heap at its download peak is mostly these pieces, and 16 MiB in
     * place of 32 lowered its peak RSS by 12 and 37 MiB in two bench/daemon pairs (bench/README.md). When
     * reading stops, the kernel's socket buffers keep the peer sending, and reading resumes at half
     * the bound, still more pieces than the two hashing and two disk threads work on at once.
     */
    public static final long DEFAULT_MAX_PENDING_WRITE_BYTES = pendingWriteBoundFor(Runtime.getRuntime().maxMemory());
    /**
     * A quarter of the heap ({@link AssemblyBudget#defaultCapacity}): 1.5 GiB on a 6 GiB default heap,
     * never reached by one download of 1 MiB pieces.
     */
    public static final long DEFAULT_MAX_ASSEMBLY_BYTES =
            AssemblyBudget.defaultCapacity(Runtime.getRuntime().maxMemory());
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

    public EngineSettings {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(downloadDir, "downloadDir");
        Objects.requireNonNull(resumeDir, "resumeDir");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(wire, "wire");
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(choker, "choker");
        if (listenPort < 0 || listenPort > 0xFFFF) {
            throw new IllegalArgumentException("listen port " + listenPort + " outside 0..65535");
        }
        if (maxPeersPerTorrent < 1 || maxHalfOpenPerTorrent < 1 || peerThreads < 1) {
            throw new IllegalArgumentException("peer limits and thread count must be at least 1");
        }
        if (downloadBytesPerSecond < 0 || uploadBytesPerSecond < 0
                || maxPendingWriteBytes < 1 || maxAssemblyBytes < 1) {
            throw new IllegalArgumentException("rates must be >= 0 (0 = unlimited) and the memory bounds positive");
        }
    }

    /** The default pending-write bound for a heap of {@code maxHeapBytes} (see {@link #DEFAULT_MAX_PENDING_WRITE_BYTES}). */
    static long pendingWriteBoundFor(long maxHeapBytes) {
        return Math.max(8L << 20, Math.min(16L << 20, maxHeapBytes / 8));
    }

    public static EngineSettings defaults(Path downloadDir, Path resumeDir) {
        return builder(downloadDir, resumeDir).build();
    }

    /** A builder starting from the {@link #defaults} for these directories. */
    public static Builder builder(Path downloadDir, Path resumeDir) {
        return new Builder(downloadDir, resumeDir);
    }

    /** A builder starting from this pack. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets components one by one; {@link #build} checks them all together (the record's constructor). */
    public static final class Builder {
        private String listenAddress = ListenAddress.ANY;
        private int listenPort;
        private Path downloadDir;
        private Path resumeDir;
        private int maxPeersPerTorrent = DEFAULT_MAX_PEERS;
        private int maxHalfOpenPerTorrent = DEFAULT_HALF_OPEN;
        private long downloadBytesPerSecond;
        private long uploadBytesPerSecond;
        private int peerThreads = 1;
        private long maxPendingWriteBytes = DEFAULT_MAX_PENDING_WRITE_BYTES;
        private long maxAssemblyBytes = DEFAULT_MAX_ASSEMBLY_BYTES;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private WireOptions wire = WireOptions.defaults();
        private PeerDiscoverySettings discovery;
        private Path sessionFile;
        private ChokerSettings choker = ChokerSettings.DEFAULTS;
        private boolean utp = true;
        private KeyStore webSeedTrustStore;

        private Builder(Path downloadDir, Path resumeDir) {
            this.downloadDir = downloadDir;
            this.resumeDir = resumeDir;
            this.discovery = resumeDir == null ? null : PeerDiscoverySettings.defaults(resumeDir);
        }

        private Builder(EngineSettings s) {
            listenAddress = s.listenAddress;
            listenPort = s.listenPort;
            downloadDir = s.downloadDir;
            resumeDir = s.resumeDir;
            maxPeersPerTorrent = s.maxPeersPerTorrent;
            maxHalfOpenPerTorrent = s.maxHalfOpenPerTorrent;
            downloadBytesPerSecond = s.downloadBytesPerSecond;
            uploadBytesPerSecond = s.uploadBytesPerSecond;
            peerThreads = s.peerThreads;
            maxPendingWriteBytes = s.maxPendingWriteBytes;
            maxAssemblyBytes = s.maxAssemblyBytes;
            requestTimeout = s.requestTimeout;
            wire = s.wire;
            discovery = s.discovery;
            sessionFile = s.sessionFile;
            choker = s.choker;
            utp = s.utp;
            webSeedTrustStore = s.webSeedTrustStore;
        }

        public Builder listen(String address, int port) {
            this.listenAddress = address;
            this.listenPort = port;
            return this;
        }

        /** Global limits in bytes per second; 0 = unlimited. */
        public Builder rateLimits(long downBytesPerSecond, long upBytesPerSecond) {
            this.downloadBytesPerSecond = downBytesPerSecond;
            this.uploadBytesPerSecond = upBytesPerSecond;
            return this;
        }

        public Builder maxPeersPerTorrent(int peers) {
            this.maxPeersPerTorrent = peers;
            return this;
        }

        public Builder maxHalfOpenPerTorrent(int attempts) {
            this.maxHalfOpenPerTorrent = attempts;
            return this;
        }

        public Builder peerThreads(int threads) {
            this.peerThreads = threads;
            return this;
        }

        public Builder maxPendingWriteBytes(long bytes) {
            this.maxPendingWriteBytes = bytes;
            return this;
        }

        /** The engine-wide bound on pieces in progress (see {@link EngineSettings#maxAssemblyBytes}). */
        public Builder maxAssemblyBytes(long bytes) {
            this.maxAssemblyBytes = bytes;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder wire(WireOptions options) {
            this.wire = options;
            return this;
        }

        public Builder discovery(PeerDiscoverySettings settings) {
            this.discovery = settings;
            return this;
        }

        /** Keeps the session list in {@code file} and restores it at start; null = off. */
        public Builder sessionFile(Path file) {
            this.sessionFile = file;
            return this;
        }

        /** uTP on or off (see {@link EngineSettings#utp}). */
        public Builder utp(boolean on) {
            this.utp = on;
            return this;
        }

        /** Trusts only these certificates for https web seeds (see {@link EngineSettings#webSeedTrustStore}). */
        public Builder webSeedTrustStore(KeyStore trustStore) {
            this.webSeedTrustStore = trustStore;
            return this;
        }

        public Builder choker(ChokerSettings settings) {
            this.choker = settings;
            return this;
        }

        public EngineSettings build() {
            return new EngineSettings(listenAddress, listenPort, downloadDir, resumeDir, maxPeersPerTorrent,
                    maxHalfOpenPerTorrent, downloadBytesPerSecond, uploadBytesPerSecond, peerThreads,
                    maxPendingWriteBytes, maxAssemblyBytes, requestTimeout, wire, discovery, sessionFile, choker, utp,
                    webSeedTrustStore);
        }
    }
}
