package dev.magnetar.engine;

import dev.magnetar.wire.WireOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The session's settings, with documented defaults ({@link #defaults}); tests and the CLI change
 * fields with the {@code with...} copies.
 *
 * @param listenAddress where we accept peers; "0.0.0.0" in production, "127.0.0.1" in tests
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
        Path sessionFile) {

    public static final int DEFAULT_MAX_PEERS = 80;
    public static final int DEFAULT_HALF_OPEN = 8;
    /**
     * An eighth of the heap, between 8 and 32 MiB, for all torrents together: the pieces waiting for
     * SHA-1 and the disk live on the heap, so a fixed bound would run a small heap (e.g.
     * {@code -Xmx64m}) out of memory whenever hashing falls behind the network; bench/swarm measured
     * 32 MiB as fast as 64 MiB on a 1 GiB download, and each extra MiB buffered is resident memory.
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
        return Math.max(8L << 20, Math.min(32L << 20, maxHeapBytes / 8));
    }

    public static EngineSettings defaults(Path downloadDir, Path resumeDir) {
        return new EngineSettings("0.0.0.0", 0, downloadDir, resumeDir,
                DEFAULT_MAX_PEERS, DEFAULT_HALF_OPEN, 0, 0, 1,
                DEFAULT_MAX_PENDING_WRITE_BYTES, DEFAULT_MAX_ASSEMBLY_BYTES, DEFAULT_REQUEST_TIMEOUT,
                WireOptions.defaults(), PeerDiscoverySettings.defaults(resumeDir), null);
    }

    public EngineSettings withListen(String address, int port) {
        return new EngineSettings(address, port, downloadDir, resumeDir,
                maxPeersPerTorrent, maxHalfOpenPerTorrent, downloadBytesPerSecond, uploadBytesPerSecond, peerThreads,
                maxPendingWriteBytes, maxAssemblyBytes, requestTimeout, wire, discovery, sessionFile);
    }

    public EngineSettings withRateLimits(long downBytesPerSecond, long upBytesPerSecond) {
        return new EngineSettings(listenAddress, listenPort, downloadDir, resumeDir,
                maxPeersPerTorrent, maxHalfOpenPerTorrent, downBytesPerSecond, upBytesPerSecond, peerThreads,
                maxPendingWriteBytes, maxAssemblyBytes, requestTimeout, wire, discovery, sessionFile);
    }

    public EngineSettings withMaxPeersPerTorrent(int peers) {
        return new EngineSettings(listenAddress, listenPort, downloadDir, resumeDir,
                peers, maxHalfOpenPerTorrent, downloadBytesPerSecond, uploadBytesPerSecond, peerThreads,
                maxPendingWriteBytes, maxAssemblyBytes, requestTimeout, wire, discovery, sessionFile);
    }

    public EngineSettings withRequestTimeout(Duration timeout) {
        return new EngineSettings(listenAddress, listenPort, downloadDir, resumeDir,
                maxPeersPerTorrent, maxHalfOpenPerTorrent, downloadBytesPerSecond, uploadBytesPerSecond, peerThreads,
                maxPendingWriteBytes, maxAssemblyBytes, timeout, wire, discovery, sessionFile);
    }

    /** Keeps the session list in {@code file} and restores it at start (see {@link #sessionFile}). */
    public EngineSettings withSessionFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new EngineSettings(listenAddress, listenPort, downloadDir, resumeDir,
                maxPeersPerTorrent, maxHalfOpenPerTorrent, downloadBytesPerSecond, uploadBytesPerSecond, peerThreads,
                maxPendingWriteBytes, maxAssemblyBytes, requestTimeout, wire, discovery, file);
    }

    /** The engine-wide bound on pieces in progress (see {@link #maxAssemblyBytes}). */
    public EngineSettings withMaxAssemblyBytes(long bytes) {
        return new EngineSettings(listenAddress, listenPort, downloadDir, resumeDir,
                maxPeersPerTorrent, maxHalfOpenPerTorrent, downloadBytesPerSecond, uploadBytesPerSecond, peerThreads,
                maxPendingWriteBytes, bytes, requestTimeout, wire, discovery, sessionFile);
    }

    public EngineSettings withDiscovery(PeerDiscoverySettings d) {
        return new EngineSettings(listenAddress, listenPort, downloadDir, resumeDir,
                maxPeersPerTorrent, maxHalfOpenPerTorrent, downloadBytesPerSecond, uploadBytesPerSecond, peerThreads,
                maxPendingWriteBytes, maxAssemblyBytes, requestTimeout, wire, d, sessionFile);
    }
}
