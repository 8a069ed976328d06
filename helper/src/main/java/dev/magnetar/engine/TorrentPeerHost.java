package dev.magnetar.engine;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.Bitfield;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/** A {@link Torrent} as its peer connections see it: each method hands over to the torrent. */
record TorrentPeerHost(Torrent torrent) implements PeerHost {

    /** Finds the host of an info-hash's torrent; null where {@code torrents} knows none. */
    static Function<InfoHash, PeerHost> over(Function<InfoHash, Torrent> torrents) {
        return infoHash -> {
            Torrent t = torrents.apply(infoHash);
            return t == null ? null : new TorrentPeerHost(t);
        };
    }

    @Override
    public ScheduledExecutorService loop() {
        return torrent.loop();
    }

    @Override
    public boolean inLoop() {
        return torrent.loop().inEventLoop();
    }

    @Override
    public Clock clock() {
        return torrent.clock();
    }

    @Override
    public String admit(PeerConnection peer, byte[] peerId) {
        return torrent.admit(peer, peerId);
    }

    @Override
    public void peerClosed(PeerConnection peer, String why) {
        torrent.peerClosed(peer, why);
    }

    @Override
    public void doNotReconnect(InetSocketAddress address, String why) {
        torrent.doNotReconnect(address, why);
    }

    @Override
    public void ban(PeerIdentity peer, String why) {
        torrent.ban(peer, why);
    }

    @Override
    public ExtensionRegistry extensions() {
        return torrent.extensions();
    }

    @Override
    public int listenPort() {
        return torrent.listenPort();
    }

    @Override
    public int dhtPort() {
        return torrent.dhtPort();
    }

    @Override
    public void peerDhtPort(InetSocketAddress peer, int udpPort) {
        torrent.peerDhtPort(peer, udpPort);
    }

    @Override
    public boolean isReady() {
        return torrent.isReady();
    }

    @Override
    public TorrentInfo info() {
        return torrent.info();
    }

    @Override
    public PiecePicker<PieceSource> picker() {
        return torrent.picker();
    }

    @Override
    public Bitfield verifiedOrNull() {
        return torrent.verifiedOrNull();
    }

    @Override
    public boolean isPausedOrStopped() {
        return torrent.isPausedOrStopped();
    }

    @Override
    public void peerInterestChanged(PeerConnection peer) {
        torrent.peerInterestChanged(peer);
    }

    @Override
    public RateLimiter downloadLimiter() {
        return torrent.downloadLimiter();
    }

    @Override
    public void payloadDownloaded(int bytes) {
        torrent.payloadDownloaded(bytes);
    }

    @Override
    public void pieceReceived(PeerConnection peer, int piece, int bytes) {
        torrent.pieceReceived(peer, piece, bytes);
    }

    @Override
    public void blockAccepted(PeerConnection from, BlockRequest block, ByteBuf data, BlockArrival<PieceSource> arrival) {
        torrent.blockAccepted(from, block, data, arrival);
    }

    @Override
    public void payloadWasted(int bytes) {
        torrent.payloadWasted(bytes);
    }

    @Override
    public CompletableFuture<Void> readInto(int piece, int begin, ByteBuffer destination) {
        return torrent.storage().readInto(piece, begin, destination);
    }

    @Override
    public void readFailed(Throwable error) {
        torrent.readFailed(error);
    }

    @Override
    public RateLimiter uploadLimiterFor(PeerConnection peer) {
        return torrent.uploadLimiterFor(peer);
    }

    @Override
    public void pieceSent(PeerConnection peer, int bytes) {
        torrent.pieceSent(peer, bytes);
    }

    @Override
    public void payloadUploaded(int bytes) {
        torrent.payloadUploaded(bytes);
    }

    @Override
    public MerkleHashes merkleHashes() {
        return torrent.merkleHashes();
    }

    @Override
    public void askLeafHashes(PeerConnection peer) {
        torrent.askLeafHashes(peer);
    }
}
