package dev.magnetar.engine;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.Bitfield;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The torrent as one of its {@link PeerConnection}s sees it: what the connection reads (metadata,
 * picker, verified pieces, limits) and what it reports (admission, blocks, bytes, closing). Narrow so
 * that a connection can be tested alone; {@link TorrentPeerHost} is the production one.
 *
 * <p>Every method is called on {@link #loop()}, the torrent's event loop.
 */
interface PeerHost {

    /** The torrent's event loop: every call about its peers happens there, and their timers run there. */
    ScheduledExecutorService loop();

    /** Whether the calling thread is {@link #loop()}. */
    boolean inLoop();

    Clock clock();

    /** Why a connection that finished its handshake is refused, or null to admit it. */
    String admit(PeerConnection peer, byte[] peerId);

    /** The connection is gone; its requests go back to the picker. */
    void peerClosed(PeerConnection peer, String why);

    /** The peer broke the protocol: do not dial it again. */
    void doNotReconnect(InetSocketAddress address, String why);

    /** The peer was caught lying (metadata that fails the info-hash): ban it, with a peer_banned event. */
    void ban(PeerIdentity peer, String why);

    ExtensionRegistry extensions();

    int listenPort();

    /** Our DHT node's UDP port, or 0 without one. */
    int dhtPort();

    /** BEP 5 PORT message: the peer runs a DHT node there. */
    void peerDhtPort(InetSocketAddress peer, int udpPort);

    /** Whether the metadata is there and the picker built (see {@link PeerConnection#metadataReady}). */
    boolean isReady();

    /** The metadata; null before a magnet's arrives. */
    TorrentInfo info();

    PiecePicker<PieceSource> picker();

    /** What we have verified; null before the storage is open and checked. */
    Bitfield verifiedOrNull();

    /** Paused, stopped or failed: ask for nothing. */
    boolean isPausedOrStopped();

    /** The peer became interested or not: choking may change. */
    void peerInterestChanged(PeerConnection peer);

    RateLimiter downloadLimiter();

    /** Payload bytes arrived from a peer, wanted or not. */
    void payloadDownloaded(int bytes);

    /** A block we asked this peer for arrived for the first time: the speed economy meters it (§6.1 P3). */
    void pieceReceived(PeerConnection peer, int piece, int bytes);

    /** A block the picker accepted: into its piece's assembly. {@code data} is only borrowed for the call. */
    void blockAccepted(PeerConnection from, BlockRequest block, ByteBuf data, BlockArrival<PieceSource> arrival);

    /** Payload that arrived but was not needed (a duplicate, or unwanted). */
    void payloadWasted(int bytes);

    /** Reads verified data for a peer's request, off the loop. */
    CompletableFuture<Void> readInto(int piece, int begin, ByteBuffer destination);

    /** A read for a peer failed. */
    void readFailed(Throwable error);

    /** The limiter a block to {@code peer} is paid from. */
    RateLimiter uploadLimiterFor(PeerConnection peer);

    /** A block was written to {@code peer}: the speed economy meters it. */
    void pieceSent(PeerConnection peer, int bytes);

    void payloadUploaded(int bytes);

    /** The torrent's BEP 52 merkle hashes, for hash requests both ways. */
    MerkleHashes merkleHashes();

    /** {@code peer} is about to be asked for blocks: ask it first for the leaf hashes of time-critical pieces. */
    default void askLeafHashes(PeerConnection peer) {}
}
