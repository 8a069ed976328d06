package dev.magnetar.engine;

import dev.magnetar.metadata.PexPeer;
import dev.magnetar.storage.Bitfield;
import dev.magnetar.wire.ExtensionHandler;
import dev.magnetar.wire.ExtensionHandshake;
import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.wire.HolepunchMessage;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerLink;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.PeerProtocolException;
import dev.magnetar.wire.RateMeter;
import dev.magnetar.wire.RequestQueueSizer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection of a torrent: the BEP 3 state machine both ways (choke/interest, have/bitfield,
 * request/piece/cancel), BEP 6 (have-all/none, reject, allowed-fast) and BEP 10 (extension handshake,
 * routing to {@link ExtensionHandler}s). It takes decoded {@link PeerMessage} records and writes
 * records to a {@link PeerLink}; it knows no socket, so the transport under it — TCP through
 * {@link PeerChannelHandler} today — can change without touching it. Its two pipelines sit beside it:
 * {@link BlockRequester} (what we ask for) and {@link BlockServer} (what we serve).
 *
 * <p><b>Threading.</b> Every method runs on the torrent's event loop ({@link PeerHost#loop}); the
 * transport hops events over in order. So none of the fields needs a lock. The exception is
 * {@link ExtensionPeer}'s methods, which BEP 10 handlers may call from their own threads.
 *
 * <p><b>Downloading.</b> We are interested iff the peer has a piece we want ({@link PiecePicker#isInteresting});
 * while it unchokes us (or for its allowed-fast pieces) the requester keeps the queue full. Blocks go
 * into the torrent's shared {@link PieceAssembly}s.
 *
 * <p><b>Uploading.</b> Requests are served only for verified pieces, within the block limit, while we
 * unchoke the peer; otherwise they are rejected (BEP 6, when fast is on) or dropped (BEP 3).
 *
 * <p><b>Before metadata</b> (magnet links) we cannot interpret bitfields: we announce nothing (or
 * HaveNone when fast is on, which BEP 6 requires as a first message) and keep the peer's
 * bitfield/have messages until {@link #metadataReady} replays them.
 */
public final class PeerConnection implements ExtensionPeer, PeerLink.Receiver, PieceSource, PieceLayerFetch.Peer {

    private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);

    /** Block requests we serve; BEP 3 clients request 16 KiB, some older ones up to 128 KiB. */
    public static final int MAX_SERVED_BLOCK = 128 * 1024;

    private final PeerHost torrent;
    private final PeerLink link;
    private final ScheduledExecutorService loop;
    private final InetSocketAddress address;
    private final PeerHandshakeCompleted handshake;
    private final PeerIdentity identity;
    private final boolean outgoing;
    private final boolean fast;
    private final boolean extensions;
    private boolean open;
    private boolean registered;

    // BEP 3 state, both directions (whether we choke the peer is the block server's).
    private boolean amInterested;
    private boolean peerChoking = true;
    private boolean peerInterested;

    private final Set<Integer> allowedFast = new HashSet<>();
    private volatile ExtensionHandshake remoteExtensions;
    private String client;

    private final RateMeter downloadRate = new RateMeter(MonotonicClock.NANOS);
    private final RateMeter uploadRate = new RateMeter(MonotonicClock.NANOS);
    private final RequestQueueSizer sizer = new RequestQueueSizer(downloadRate, MonotonicClock.NANOS);
    /** Our requests to the peer; null until the metadata (and so the picker) is there. */
    private BlockRequester<PieceSource> requester;
    /** The peer's requests to us. */
    private final BlockServer uploads;

    private final ReadThrottle reading;

    private final PeerAvailability peerHas = new PeerAvailability();
    /** BEP 52 hash requests both ways. */
    private final HashExchange hashExchange;
    private boolean ready;

    private Instant connectedAt;
    private Instant lastUnchokedAt;
    private long uploadedSinceUnchoke;

    /**
     * A connection whose BEP 3 handshake is done; nothing happens until {@link #opened}.
     *
     * @param torrent the torrent the handshake named
     * @param link the transport under this connection
     * @param address the peer's address
     */
    PeerConnection(PeerHost torrent, PeerLink link, InetSocketAddress address, PeerHandshakeCompleted handshake) {
        this.torrent = torrent;
        this.link = link;
        this.loop = torrent.loop();
        this.address = address;
        this.handshake = handshake;
        this.identity = PeerIdentity.of(address, handshake.remote().peerId());
        this.outgoing = handshake.outgoing();
        this.fast = handshake.fastExtension();
        this.extensions = handshake.extensionProtocol();
        this.client = handshake.remote().printablePeerId();
        this.uploads = new BlockServer(new UploadSource(), link, loop, fast, this);
        this.reading = new ReadThrottle(link, loop);
        this.hashExchange = new HashExchange(torrent.merkleHashes(), handshake.v2());
    }

    /** Asks the torrent to admit the peer and, if it does, sends our first messages (BEP 3, 5, 6, 10). */
    @Override
    public void opened() {
        connectedAt = torrent.clock().instant();
        String refusal = torrent.admit(this, handshake.remote().peerId());
        if (refusal != null) {
            log.debug("{}: refused: {}", address, refusal);
            link.close();
            return;
        }
        open = true;
        registered = true;
        sendAvailability();
        if (extensions) {
            send(torrent.extensions().handshake(Engine.CLIENT_NAME, torrent.listenPort(), BlockServer.OUR_REQQ).toMessage());
        }
        if (handshake.remote().supportsDht() && torrent.dhtPort() > 0) {
            send(new PeerMessage.Port(torrent.dhtPort())); // BEP 5
        }
        link.flush();
        if (torrent.isReady()) {
            metadataReady();
        }
    }

    /** BEP 3: bitfield first (or nothing when we have no piece); BEP 6: exactly one of have-all/none/bitfield. */
    private void sendAvailability() {
        Bitfield verified = torrent.verifiedOrNull();
        if (verified == null || verified.isEmpty()) {
            if (fast) {
                send(new PeerMessage.HaveNone());
            }
        } else if (fast && verified.isComplete()) {
            send(new PeerMessage.HaveAll());
        } else {
            send(new PeerMessage.BitfieldMessage(verified.toWire()));
        }
        sentAvailability = verified == null ? null : verified.copy();
    }

    /** What our first message said we have; null if it went out before we knew the pieces. */
    private Bitfield sentAvailability;

    /**
     * The torrent now has its metadata and picker: tell the peer about pieces we had when it connected
     * but could not announce yet, and replay its buffered availability.
     */
    void metadataReady() {
        if (!open || ready) {
            return;
        }
        ready = true;
        requester = new BlockRequester<>(this, torrent.picker(), sizer, link, MonotonicClock.NANOS);
        List<PeerMessage> replay = peerHas.start(torrent.info().pieceCount());
        Bitfield verified = torrent.verifiedOrNull();
        if (sentAvailability == null && verified != null) {
            for (int i = verified.nextSet(0); i >= 0; i = verified.nextSet(i + 1)) {
                send(new PeerMessage.Have(i));
            }
        }
        torrent.picker().peerHaveNone(this);
        for (PeerMessage m : replay) {
            receive(m);
            if (!open) {
                return;
            }
        }
        updateInterest();
        link.flush();
    }

    void receive(PeerMessage m) {
        if (!open) {
            return;
        }
        if (m instanceof PeerMessage.InboundPiece p) {
            onPiece(p);
        } else if (m instanceof PeerMessage.Request r) {
            onRequest(r);
        } else if (m instanceof PeerMessage.Have h) {
            onHave(h.piece());
        } else if (m instanceof PeerMessage.Choke) {
            onChoke();
        } else if (m instanceof PeerMessage.Unchoke) {
            peerChoking = false;
            fillRequests();
        } else if (m instanceof PeerMessage.Interested) {
            peerInterested = true;
            torrent.peerInterestChanged(this);
        } else if (m instanceof PeerMessage.NotInterested) {
            peerInterested = false;
            torrent.peerInterestChanged(this);
        } else if (m instanceof PeerMessage.BitfieldMessage b) {
            onBitfield(b);
        } else if (m instanceof PeerMessage.HaveAll) {
            onHaveAll();
        } else if (m instanceof PeerMessage.HaveNone) {
            onHaveNone();
        } else if (m instanceof PeerMessage.Cancel c) {
            uploads.cancel(c);
        } else if (m instanceof PeerMessage.RejectRequest r) {
            onReject(r);
        } else if (m instanceof PeerMessage.AllowedFast a) {
            onAllowedFast(a.piece());
        } else if (m instanceof PeerMessage.Extended e) {
            onExtended(e);
        } else if (m instanceof PeerMessage.Port p) {
            torrent.peerDhtPort(address, p.port());
        } else if (m instanceof PeerMessage.HashRequest || m instanceof PeerMessage.Hashes
                || m instanceof PeerMessage.HashReject) {
            onHashMessage(m);
        }
        // KeepAlive and SuggestPiece (advisory) need nothing.
    }

    private void onHashMessage(PeerMessage m) {
        HashExchange.Outcome outcome = hashExchange.receive(this, m);
        if (outcome instanceof HashExchange.Outcome.Reply r) {
            send(r.message());
            link.flush();
        } else if (outcome instanceof HashExchange.Outcome.Drop d) {
            if (d.lied()) {
                torrent.ban(identity, d.why());
            }
            violation(d.why());
        }
    }

    /** Whether a BEP 52 hash request of ours may go out on this connection now. */
    @Override
    public boolean canRequestHashes() {
        return open && hashExchange.canRequest();
    }

    @Override
    public boolean canRequestLeaves() {
        return open && hashExchange.canRequestLeaves();
    }

    /** Sends a BEP 52 hash request; the answer reaches the torrent's {@link MerkleHashes}. */
    @Override
    public void requestHashes(dev.magnetar.wire.HashRange range) {
        send(hashExchange.request(range));
        link.flush();
    }

    /** Keeps an availability message that came before the metadata; whether it had to be kept. */
    private boolean keepIfNotReady(PeerMessage m) {
        if (ready) {
            return false;
        }
        if (!peerHas.keep(m)) {
            violation("more than " + PeerAvailability.MAX_KEPT + " have messages before the metadata arrived");
        }
        return true;
    }

    private void onBitfield(PeerMessage.BitfieldMessage b) {
        if (keepIfNotReady(b)) {
            return;
        }
        Bitfield bits;
        try {
            bits = Bitfield.fromWire(b.bits(), torrent.info().pieceCount());
        } catch (IllegalArgumentException e) {
            violation("bad bitfield: " + e.getMessage()); // BEP 3: drop the peer
            return;
        }
        peerHas.bitfield(bits);
        torrent.picker().peerBitfield(this, bits);
        updateInterest();
    }

    private void onHaveAll() {
        if (keepIfNotReady(new PeerMessage.HaveAll())) {
            return;
        }
        peerHas.haveAll();
        torrent.picker().peerHasAll(this);
        updateInterest();
    }

    private void onHaveNone() {
        if (keepIfNotReady(new PeerMessage.HaveNone())) {
            return;
        }
        peerHas.haveNone();
        torrent.picker().peerHaveNone(this);
        updateInterest();
    }

    private void onHave(int piece) {
        if (keepIfNotReady(new PeerMessage.Have(piece))) {
            return;
        }
        if (piece >= torrent.info().pieceCount()) {
            violation("have for piece " + piece + " of " + torrent.info().pieceCount());
            return;
        }
        if (!peerHas.have(piece)) {
            return;
        }
        torrent.picker().peerHasPiece(this, piece);
        if (!amInterested) {
            updateInterest();
        }
    }

    private void onChoke() {
        peerChoking = true;
        if (!ready) {
            return;
        }
        if (fast) {
            // BEP 6: a choke no longer cancels requests implicitly; the peer rejects each one it drops.
            return;
        }
        requester.peerChoked();
    }

    private void onReject(PeerMessage.RejectRequest r) {
        if (!ready) {
            return;
        }
        requester.rejected(new BlockRequest(r.piece(), r.begin(), r.length()));
        if (!peerChoking) {
            fillRequests();
        }
    }

    private void onAllowedFast(int piece) {
        if (torrent.info() != null && piece >= torrent.info().pieceCount()) {
            return; // BEP 6: ignore allowed-fast for pieces that do not exist
        }
        allowedFast.add(piece);
        fillRequests();
    }

    private void onExtended(PeerMessage.Extended e) {
        if (e.extendedId() == PeerMessage.Extended.HANDSHAKE_ID) {
            ExtensionHandshake hs;
            try {
                hs = ExtensionHandshake.decode(e.payload());
            } catch (PeerProtocolException ex) {
                violation(ex.getMessage());
                return;
            }
            remoteExtensions = hs;
            hs.client().ifPresent(v -> client = v);
            hs.reqq().ifPresent(sizer::setPeerReqq);
            for (ExtensionHandler p : torrent.extensions().all()) {
                if (p.enabled()) {
                    p.peerHandshake(this, hs);
                }
            }
            return;
        }
        torrent.extensions().byLocalId(e.extendedId()).ifPresent(p -> p.message(this, e.payload()));
    }


    /** Be interested iff the peer has something we want (BEP 3); start requesting if so. */
    void updateInterest() {
        if (!open || !ready) {
            return;
        }
        boolean want = torrent.picker().isInteresting(this);
        if (want != amInterested) {
            amInterested = want;
            send(want ? new PeerMessage.Interested() : new PeerMessage.NotInterested());
            link.flush();
        }
        // The torrent calls this for every peer after every verified piece, while the queue is
        // usually nearly full: top it up only when it has room by the measure onPiece refills at, so
        // most of these calls cost no pick.
        if (want && requester.hasRoom()) {
            fillRequests();
        }
    }

    /** A reader jumped to pieces not requested yet: the requests queued here for others make room for them. */
    void cancelOutside(Set<Integer> keep) {
        if (open && ready) {
            requester.cancelOutside(keep, fast);
            flush();
        }
    }

    /** Tops the request pipeline up to the sizer's depth with blocks the picker chooses. */
    @Override
    public void fillRequests() {
        if (!open || !ready || !amInterested || torrent.isPausedOrStopped()) {
            return;
        }
        if (peerChoking && allowedFast.isEmpty()) {
            return;
        }
        torrent.askLeafHashes(this); // ahead of the blocks, so the leaves come before them
        requester.fill(allowedFast, peerChoking);
    }

    /**
     * A received block; the caller releases {@code p} afterwards, so nothing here may keep it.
     *
     * <p>The per-block path: its rare branches (throttling, violations and their messages) live in
     * methods of their own, because C2 inlines this method into the message dispatch and compiles —
     * and after each deoptimisation recompiles — whatever it holds (JFR saw the dispatch compiled two
     * or three times at 0.6–0.9 s each in a 1 GiB download). Moving them out did not change the
     * download time measurably (bench/README.md); it keeps the hot path readable as such.
     */
    private void onPiece(PeerMessage.InboundPiece p) {
        int length = p.length();
        downloadRate.add(length);
        torrent.payloadDownloaded(length);
        RateLimiter limiter = torrent.downloadLimiter();
        limiter.consume(length);
        reading.charged(limiter);
        if (!ready || length == 0) {
            blockViolation();
            return;
        }
        BlockRequest b = new BlockRequest(p.piece(), p.begin(), length);
        if (requester.wasRequested(b)) {
            // mg_speed P3: only a block we asked this peer for, on its first arrival, is metered (in stream order).
            torrent.pieceReceived(this, b.piece(), length);
        } else if (requester.overAllowance()) {
            violation(tooManyUnrequested());
            return;
        }
        BlockArrival<PieceSource> arrival = requester.received(b);
        BlockArrival.Status status = arrival.status();
        if (status == BlockArrival.Status.ACCEPTED) {
            torrent.blockAccepted(this, b, p.block(), arrival);
        } else if (status == BlockArrival.Status.INVALID) {
            violation(notABlockOfThisTorrent(b));
            return;
        } else {
            torrent.payloadWasted(length); // DUPLICATE, UNWANTED
        }
        // The refill waits for the end of this read (channelReadComplete): one pick and one flush for
        // all the blocks one socket read brought.
        if (requester.blockHandled()) {
            refillAfterRead = true;
        }
    }

    /** A block of this read left room in the request queue: refill once the read's messages are handled. */
    private boolean refillAfterRead;

    /** The transport handed over everything one read brought: refill once for all its blocks. */
    @Override
    public void readComplete() {
        if (refillAfterRead) {
            refillAfterRead = false;
            fillRequests();
        }
    }

    private void blockViolation() {
        violation(!ready ? "sent a block before we could have asked for one" : "empty block");
    }

    private String tooManyUnrequested() {
        return "sent " + requester.unrequestedBlocks() + " blocks we did not ask for or already had from it";
    }

    private static String notABlockOfThisTorrent(BlockRequest b) {
        return "sent " + b + ", which is not a block of this torrent";
    }

    /** Gives back requests older than {@code timeoutNanos} (the picker offers them to others). */
    void expireRequests(long now, long timeoutNanos) {
        if (open && ready && requester.expire(now, timeoutNanos)) {
            log.debug("{}: requests timed out", address);
        }
    }

    /** Sends BEP 3 "cancel" for a block the picker took back from this peer (it arrived elsewhere, or its piece is done). */
    @Override
    public void cancel(BlockRequest b) {
        if (open && ready) {
            requester.cancel(b);
        }
    }

    void sendHave(int piece) {
        if (!open) {
            return;
        }
        if (peerHas.has(piece)) {
            // It has the piece already; a have would be news to nobody (libtorrent's "lazy" haves).
            return;
        }
        link.write(new PeerMessage.Have(piece));
    }

    @Override
    public void flush() {
        if (open) {
            link.flush();
        }
    }


    private void onRequest(PeerMessage.Request r) {
        Bitfield verified = torrent.verifiedOrNull();
        boolean valid = ready && verified != null && r.piece() < torrent.info().pieceCount()
                && verified.has(r.piece()) && r.length() <= MAX_SERVED_BLOCK
                && (long) r.begin() + r.length() <= torrent.info().pieceSize(r.piece());
        if (valid) {
            uploads.request(r);
        } else {
            uploads.reject(r);
        }
    }

    void serveUploads() {
        if (open) {
            uploads.serve();
        }
    }

    void choke() {
        if (!open || uploads.isChoking()) {
            return;
        }
        send(new PeerMessage.Choke());
        uploads.choke();
        link.flush();
    }

    void unchoke() {
        if (!open || !uploads.isChoking()) {
            return;
        }
        uploads.unchoke();
        lastUnchokedAt = torrent.clock().instant();
        uploadedSinceUnchoke = 0;
        send(new PeerMessage.Unchoke());
        link.flush();
    }

    /** What the block server reads from and reports to: this peer's torrent. */
    private final class UploadSource implements BlockServer.Source {

        @Override
        public CompletableFuture<Void> readInto(int piece, int begin, ByteBuffer destination) {
            return torrent.readInto(piece, begin, destination);
        }

        @Override
        public RateLimiter uploadLimiter() {
            return torrent.uploadLimiterFor(PeerConnection.this);
        }

        @Override
        public void readFailed(Throwable error) {
            torrent.readFailed(error);
        }

        @Override
        public void blockSent(int bytes) {
            torrent.pieceSent(PeerConnection.this, bytes); // metered where written, in stream order (mg_speed §2)
            uploadRate.add(bytes);
            uploadedSinceUnchoke += bytes;
            torrent.payloadUploaded(bytes);
        }
    }

    /** The torrent's disk queue is full (or no longer): stop (or resume) reading from the peer. */
    @Override
    public void setDiskThrottled(boolean throttled) {
        reading.diskFull(throttled);
    }


    /** Closes for a protocol violation; the torrent will not reconnect to this address. */
    @Override
    public void violation(String why) {
        torrent.doNotReconnect(address, why);
        close(why);
    }

    @Override
    public void close(String why) {
        log.debug("{}: closing: {}", address, why);
        link.close();
        closed(why);
    }

    /** The transport closed (or {@link #close} closed it). */
    @Override
    public void closed(String why) {
        if (!registered) {
            return;
        }
        registered = false;
        open = false;
        uploads.close();
        for (dev.magnetar.wire.HashRange unanswered : hashExchange.unanswered()) {
            torrent.merkleHashes().rejected(this, unanswered);
        }
        torrent.peerClosed(this, why);
    }

    private void send(PeerMessage m) {
        link.write(m);
    }


    @Override
    public void received(PeerMessage message) {
        receive(message);
    }

    @Override
    public void writable() {
        serveUploads();
    }

    @Override
    public void brokeProtocol(String why) {
        violation(why);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public OptionalInt remoteId(String extension) {
        return remoteExtensions == null ? OptionalInt.empty() : remoteExtensions.idOf(extension);
    }

    @Override
    public void sendExtended(int remoteExtendedId, byte[] payload) {
        link.writeAndFlush(new PeerMessage.Extended(remoteExtendedId, payload));
    }

    @Override
    public void misbehaved(String reason) {
        if (torrent.inLoop()) {
            violation(reason);
        } else {
            loop.execute(() -> violation(reason));
        }
    }

    @Override
    public void lied(String reason) {
        Runnable ban = () -> {
            torrent.ban(identity, reason);
            close("banned: " + reason);
        };
        if (torrent.inLoop()) {
            ban.run();
        } else {
            loop.execute(ban);
        }
    }


    @Override
    public PeerIdentity identity() {
        return identity;
    }

    boolean isOpen() {
        return open;
    }

    boolean isReady() {
        return ready;
    }

    boolean isOutgoing() {
        return outgoing;
    }

    boolean isSeed() {
        return peerHas.isSeed();
    }

    /**
     * BEP 11's {@code added.f} bits for this peer as we know it now: encrypted (it prefers encryption),
     * seed, uTP, ut_holepunch in its extension handshake (BEP 55), and reachable when we dialled it.
     */
    int pexFlags() {
        int flags = 0;
        if (link.isEncrypted()) {
            flags |= PexPeer.PREFERS_ENCRYPTION;
        }
        if (isSeed()) {
            flags |= PexPeer.SEED;
        }
        if (link.isUtp()) {
            flags |= PexPeer.SUPPORTS_UTP;
        }
        if (remoteId(HolepunchMessage.EXTENSION_NAME).isPresent()) {
            flags |= PexPeer.SUPPORTS_HOLEPUNCH;
        }
        if (outgoing) {
            flags |= PexPeer.REACHABLE;
        }
        return flags;
    }

    boolean peerInterested() {
        return peerInterested;
    }

    boolean amChoking() {
        return uploads.isChoking();
    }

    String client() {
        return client;
    }

    /** Payload bytes per second this peer sends us. */
    long downloadBytesPerSecond() {
        return downloadRate.bytesPerSecond();
    }

    PeerSnapshot<PeerConnection> snapshot() {
        return new PeerSnapshot<>(this, peerInterested, amChoking(), downloadRate.bytesPerSecond(),
                uploadRate.bytesPerSecond(), connectedAt, lastUnchokedAt, sizer.isSnubbing(), uploadedSinceUnchoke);
    }

    PeerStatus status() {
        double progress = peerHas.progress();
        StringBuilder flags = new StringBuilder();
        if (amInterested && !peerChoking) {
            flags.append('D');
        }
        if (peerInterested && !amChoking()) {
            flags.append('U');
        }
        if (amInterested) {
            flags.append('I');
        }
        if (peerInterested) {
            flags.append('i');
        }
        if (sizer.isSnubbing()) {
            flags.append('S');
        }
        if (fast) {
            flags.append('F');
        }
        flags.append(outgoing ? 'O' : 'R');
        return new PeerStatus(Engine.hostPort(address), client,
                downloadRate.bytesPerSecond(), uploadRate.bytesPerSecond(), progress, flags.toString());
    }

    @Override
    public String toString() {
        return "peer " + address;
    }
}
