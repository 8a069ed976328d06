package dev.magnetar.engine;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.Bitfield;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The torrent side of a {@link PeerConnection}, for tests of the connection alone: a real picker over
 * a real {@link TorrentInfo}, the loop of an {@link EmbeddedChannel} (run by hand), and a record of
 * what the connection reported.
 */
final class TestPeerHost implements PeerHost {

    /** A block the connection passed on as accepted. */
    record Accepted(BlockRequest block, BlockArrival.Status status) {}

    /** A block the speed economy would have metered as received. */
    record Metered(int piece, int bytes) {}

    final EmbeddedChannel loop = new EmbeddedChannel();
    final ExtensionRegistry extensions = new ExtensionRegistry();
    final List<PeerConnection> admitted = new ArrayList<>();
    final List<String> closed = new ArrayList<>();
    final List<String> doNotReconnect = new ArrayList<>();
    final List<String> banned = new ArrayList<>();
    final List<Accepted> accepted = new ArrayList<>();
    final List<Metered> metered = new ArrayList<>();
    final List<Integer> sent = new ArrayList<>();
    String refusal;
    long downloaded;
    long wasted;

    /** What hash requests are answered from; none by default. */
    MerkleHashes merkleHashes = MerkleHashes.NONE;

    private TorrentInfo info;
    private Bitfield verified;
    private PiecePicker<PieceSource> picker;

    /** A torrent without its metadata yet (a magnet link). */
    TestPeerHost() {}

    /** A torrent with metadata, having the pieces in {@code verified}. */
    TestPeerHost(TorrentInfo info, Bitfield verified) {
        metadataArrived(info, verified);
    }

    void metadataArrived(TorrentInfo info, Bitfield verified) {
        this.info = info;
        this.verified = verified;
        this.picker = new PiecePicker<>(PieceGeometry.of(info), verified, new Random(1));
        picker.setRandomStartPieces(0);
    }

    @Override
    public ScheduledExecutorService loop() {
        return loop.eventLoop();
    }

    @Override
    public boolean inLoop() {
        return true; // the test thread runs the embedded loop
    }

    @Override
    public Clock clock() {
        return Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
    }

    @Override
    public String admit(PeerConnection peer, byte[] peerId) {
        if (refusal == null) {
            admitted.add(peer);
        }
        return refusal;
    }

    @Override
    public void peerClosed(PeerConnection peer, String why) {
        admitted.remove(peer);
        if (picker != null) {
            picker.peerDisconnected(peer);
        }
        closed.add(why);
    }

    @Override
    public void doNotReconnect(InetSocketAddress address, String why) {
        doNotReconnect.add(why);
    }

    @Override
    public void ban(PeerIdentity peer, String why) {
        banned.add(why);
    }

    @Override
    public ExtensionRegistry extensions() {
        return extensions;
    }

    @Override
    public int listenPort() {
        return 6881;
    }

    @Override
    public int dhtPort() {
        return 0;
    }

    @Override
    public void peerDhtPort(InetSocketAddress peer, int udpPort) {}

    @Override
    public boolean isReady() {
        return picker != null;
    }

    @Override
    public TorrentInfo info() {
        return info;
    }

    @Override
    public PiecePicker<PieceSource> picker() {
        return picker;
    }

    @Override
    public Bitfield verifiedOrNull() {
        return verified;
    }

    @Override
    public boolean isPausedOrStopped() {
        return false;
    }

    @Override
    public void peerInterestChanged(PeerConnection peer) {}

    @Override
    public RateLimiter downloadLimiter() {
        return RateLimiter.unlimited(MonotonicClock.NANOS);
    }

    @Override
    public void payloadDownloaded(int bytes) {
        downloaded += bytes;
    }

    @Override
    public void pieceReceived(PeerConnection peer, int piece, int bytes) {
        metered.add(new Metered(piece, bytes));
    }

    @Override
    public void blockAccepted(PeerConnection from, BlockRequest block, ByteBuf data, BlockArrival<PieceSource> arrival) {
        accepted.add(new Accepted(block, arrival.status()));
    }

    @Override
    public void payloadWasted(int bytes) {
        wasted += bytes;
    }

    @Override
    public CompletableFuture<Void> readInto(int piece, int begin, ByteBuffer destination) {
        while (destination.hasRemaining()) {
            destination.put((byte) piece);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void readFailed(Throwable error) {}

    @Override
    public RateLimiter uploadLimiterFor(PeerConnection peer) {
        return RateLimiter.unlimited(MonotonicClock.NANOS);
    }

    @Override
    public void pieceSent(PeerConnection peer, int bytes) {
        sent.add(bytes);
    }

    @Override
    public void payloadUploaded(int bytes) {}

    @Override
    public MerkleHashes merkleHashes() {
        return merkleHashes;
    }
}
