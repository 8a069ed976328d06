package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.metainfo.InfoDictionaryHash;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wire.ExtensionHandshake;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one torrent's metadata (its info dictionary) from peers with BEP 9, for a torrent added from a
 * magnet link. One instance per torrent without metadata.
 *
 * <p>How: the size comes from the peers' extension handshakes ({@code metadata_size}); when peers
 * disagree the majority wins, and peers claiming another size are not asked. Pieces are spread over
 * every connected peer that offers ut_metadata (DESIGN.md: "ask every connected peer that advertises
 * ut_metadata, time out slow ones"), at most {@link Options#maxOutstandingPerPeer()} at a time per peer.
 * A request unanswered after {@link Options#requestTimeout()} goes to another peer and the slow peer
 * rests for {@link Options#slowPeerBackoff()}; a reject sends the piece elsewhere. Once the pieces run
 * out, idle peers also ask for pieces in flight at one other peer for longer than
 * {@link Options#hedgeAfter()}, so one slow peer cannot hold the whole torrent back until it times out. When every piece is in, the whole must hash to the info-hash; if it does not, the
 * attempt is discarded, the peers that contributed become suspects (asked only when nobody else can
 * be), a peer that sent all of it is banned, and the fetch starts over with every piece from a single
 * peer, so that a further failure names its culprit. After a success the suspects' old
 * pieces are compared with the verified metadata to find who lied.
 *
 * <p>Thread-safe; never blocks; messages are sent and the future completed outside the lock.
 */
public final class MetadataFetcher {

    private static final Logger log = LoggerFactory.getLogger(MetadataFetcher.class);

    /** The extension name in BEP 10's {@code m} dictionary. */
    public static final String EXTENSION = "ut_metadata";

    /**
     * Tunables.
     *
     * @param maxMetadataSize larger {@code metadata_size} claims are refused before allocating
     * @param maxOutstandingPerPeer requests in flight per peer
     * @param requestTimeout after this a request is given to another peer
     * @param hedgeAfter after this an idle peer may also ask for a piece in flight at one other peer
     * @param slowPeerBackoff a peer that timed out gets no new requests for this long
     * @param rejectBackoff a peer that rejected a piece is not asked for it again for this long
     * @param hedgeSlowRequests once no piece is unrequested, idle peers also ask for in-flight ones
     */
    public record Options(
            int maxMetadataSize,
            int maxOutstandingPerPeer,
            Duration requestTimeout,
            Duration hedgeAfter,
            Duration slowPeerBackoff,
            Duration rejectBackoff,
            boolean hedgeSlowRequests) {

        public Options {
            if (maxMetadataSize <= 0 || maxOutstandingPerPeer <= 0) {
                throw new IllegalArgumentException("sizes must be positive");
            }
            Objects.requireNonNull(requestTimeout);
            Objects.requireNonNull(hedgeAfter);
            Objects.requireNonNull(slowPeerBackoff);
            Objects.requireNonNull(rejectBackoff);
        }

        public static Options defaults() {
            return new Options(UtMetadataCodec.DEFAULT_MAX_METADATA_SIZE, 2, Duration.ofSeconds(8),
                    Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(20), true);
        }

        public Options withHedgeSlowRequests(boolean hedge) {
            return new Options(maxMetadataSize, maxOutstandingPerPeer, requestTimeout, hedgeAfter, slowPeerBackoff, rejectBackoff, hedge);
        }
    }

    private final InfoHash infoHash;
    /** BEP 52: the full SHA-256 a btmh magnet named, or null. */
    private final byte[] v2InfoHash;
    private final Clock clock;
    private final Options options;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final Map<ExtensionPeer, PeerState> peers = new LinkedHashMap<>();

    /** Metadata size of the current attempt, or -1 while unknown. */
    private int size = -1;
    private Piece[] pieces;
    private int received;
    private int hashFailures;
    /** The pieces of the last failed attempt, to find the liar once the metadata verifies. */
    private Piece[] failedAttempt;
    /**
     * After a failed attempt every piece comes from one peer, so the next failure names its culprit
     * (a mixed attempt only tells us that one of its contributors lied).
     */
    private boolean singleSource;
    private PeerState source;
    private int rotation;

    public MetadataFetcher(InfoHash infoHash, Clock clock, Options options) {
        this(infoHash, null, clock, options);
    }

    /**
     * @param v2InfoHash the full SHA-256 (BEP 52) a btmh magnet names, or null: the metadata must hash
     *     to it as well as to {@code infoHash} where that is a v1 hash of its own
     */
    public MetadataFetcher(InfoHash infoHash, byte[] v2InfoHash, Clock clock, Options options) {
        this.infoHash = Objects.requireNonNull(infoHash);
        this.v2InfoHash = v2InfoHash == null ? null : v2InfoHash.clone();
        this.clock = Objects.requireNonNull(clock);
        this.options = Objects.requireNonNull(options);
    }

    /** Completes with the verified info dictionary bytes; never completes exceptionally by itself. */
    public CompletableFuture<byte[]> result() {
        return result;
    }

    /** A peer's (first or later) BEP 10 handshake. */
    public void peerHandshake(ExtensionPeer peer, ExtensionHandshake theirs) {
        List<Send> sends;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            PeerState p = peers.computeIfAbsent(peer, PeerState::new);
            p.offers = theirs.idOf(EXTENSION).isPresent();
            p.claimedSize = -1;
            p.oversizeClaim = false;
            p.rejectedUntil.clear(); // a new handshake may announce metadata it did not have before
            if (theirs.metadataSize().isPresent()) {
                long claim = theirs.metadataSize().getAsLong();
                if (claim > 0 && claim <= options.maxMetadataSize()) {
                    p.claimedSize = (int) claim;
                } else if (p.offers) {
                    log.debug("{} claims metadata_size {} (limit {}); not asking it", peer.address(), claim, options.maxMetadataSize());
                    p.oversizeClaim = true;
                }
            }
            chooseSize();
            sends = schedule();
        }
        send(sends);
    }

    /** A ut_metadata message from {@code peer} (requests are the {@link MetadataServer}'s business). */
    public void receive(ExtensionPeer peer, UtMetadataMessage message) {
        List<Send> sends;
        byte[] verified = null;
        List<ExtensionPeer> liars = new ArrayList<>();
        synchronized (this) {
            PeerState p = peers.get(peer);
            if (result.isDone() || p == null || pieces == null) {
                return;
            }
            if (message instanceof UtMetadataMessage.Reject reject) {
                rejected(p, reject.piece());
            } else if (message instanceof UtMetadataMessage.Data data) {
                if (accept(p, data, liars) && received == pieces.length) {
                    verified = verify(liars);
                }
            }
            sends = schedule();
        }
        for (ExtensionPeer liar : liars) {
            liar.lied("sent ut_metadata that does not match the info-hash");
        }
        if (verified != null) {
            result.complete(verified);
        }
        send(sends);
    }

    public void peerGone(ExtensionPeer peer) {
        List<Send> sends;
        synchronized (this) {
            PeerState p = peers.remove(peer);
            if (p == null || result.isDone()) {
                return;
            }
            for (int index : p.outstanding.keySet()) {
                pieces[index].holders.remove(p);
            }
            chooseSize();
            sends = schedule();
        }
        send(sends);
    }

    /** Call about once a second: times out slow requests and hands their pieces to other peers. */
    public void tick() {
        List<Send> sends;
        synchronized (this) {
            if (result.isDone() || pieces == null) {
                return;
            }
            Instant now = clock.instant();
            for (PeerState p : peers.values()) {
                List<Integer> late = new ArrayList<>();
                p.outstanding.forEach((index, sentAt) -> {
                    if (!now.isBefore(sentAt.plus(options.requestTimeout()))) {
                        late.add(index);
                    }
                });
                for (int index : late) {
                    p.outstanding.remove(index);
                    pieces[index].holders.remove(p);
                    p.restUntil = now.plus(options.slowPeerBackoff());
                    log.debug("{} did not answer metadata piece {} within {}", p.peer.address(), index, options.requestTimeout());
                }
            }
            sends = schedule();
        }
        send(sends);
    }

    public synchronized MetadataFetchState state() {
        int offering = 0;
        int asked = 0;
        for (PeerState p : peers.values()) {
            if (p.offers && !p.banned) {
                offering++;
            }
            if (p.asked) {
                asked++;
            }
        }
        return new MetadataFetchState(offering, asked, result.isDone() ? (pieces == null ? 0 : pieces.length) : received,
                pieces == null ? 0 : pieces.length, size, hashFailures, result.isDone());
    }

    // ---- everything below runs under the lock ----

    private boolean accept(PeerState p, UtMetadataMessage.Data data, List<ExtensionPeer> liars) {
        int index = data.piece();
        if (!p.asked(index)) {
            return false; // unsolicited, or an answer to an abandoned attempt: nothing to trust it by
        }
        if (data.totalSize() != size) {
            // We only ask peers that claim our size (or claim none); a different total_size is a lie.
            log.debug("{} sent total_size {} but the metadata is {} bytes", p.peer.address(), data.totalSize(), size);
            ban(p, liars);
            return false;
        }
        p.outstanding.remove(index);
        Piece piece = pieces[index];
        piece.holders.remove(p);
        if (piece.data != null) {
            return false; // a hedged duplicate arriving second
        }
        piece.data = data.data();
        piece.from = p;
        for (PeerState holder : piece.holders) {
            holder.outstanding.remove(index);
        }
        piece.holders.clear();
        received++;
        return true;
    }

    private void rejected(PeerState p, int index) {
        if (index >= pieces.length) {
            return;
        }
        p.outstanding.remove(index);
        pieces[index].holders.remove(p);
        p.rejectedUntil.put(index, clock.instant().plus(options.rejectBackoff()));
    }

    /** All pieces are in: the verified bytes, or null after discarding a bad attempt. */
    private byte[] verify(List<ExtensionPeer> liars) {
        ByteArrayOutputStream whole = new ByteArrayOutputStream(size);
        for (Piece piece : pieces) {
            whole.writeBytes(piece.data);
        }
        byte[] bytes = whole.toByteArray();
        if (InfoDictionaryHash.matches(infoHash, v2InfoHash, bytes)) {
            identifyLiars(bytes, liars);
            log.debug("metadata for {} verified ({} bytes, {} failed attempts)", infoHash, size, hashFailures);
            return bytes;
        }
        hashFailures++;
        Set<PeerState> contributors = new LinkedHashSet<>();
        for (Piece piece : pieces) {
            contributors.add(piece.from);
        }
        log.debug("metadata for {} from {} peers does not match the info-hash; fetching again", infoHash, contributors.size());
        for (PeerState c : contributors) {
            if (contributors.size() == 1) {
                ban(c, liars); // it sent every piece: it is the liar
            } else {
                c.suspect = true; // one of them lied; the single-source attempts and identifyLiars tell which
            }
        }
        failedAttempt = pieces;
        singleSource = true;
        startAttempt();
        chooseSize(); // banning may have removed every peer claiming this size
        return null;
    }

    private void identifyLiars(byte[] verified, List<ExtensionPeer> liars) {
        if (failedAttempt == null) {
            return;
        }
        Set<PeerState> cleared = new HashSet<>();
        for (int i = 0; i < failedAttempt.length; i++) {
            Piece old = failedAttempt[i];
            int from = i * UtMetadataMessage.PIECE_LENGTH;
            boolean same = old.data.length == UtMetadataMessage.pieceLength(verified.length, i)
                    && from + old.data.length <= verified.length
                    && Arrays.equals(old.data, 0, old.data.length, verified, from, from + old.data.length);
            if (!same) {
                ban(old.from, liars);
            } else {
                cleared.add(old.from);
            }
        }
        failedAttempt = null;
        for (PeerState p : cleared) {
            p.suspect = p.banned;
        }
    }

    private void ban(PeerState p, List<ExtensionPeer> liars) {
        if (!p.banned) {
            p.banned = true;
            if (!liars.contains(p.peer)) {
                liars.add(p.peer);
            }
        }
    }

    /** The majority claim among usable peers; ties keep the current size, then the earliest claim. */
    private void chooseSize() {
        Map<Integer, Integer> votes = new LinkedHashMap<>();
        for (PeerState p : peers.values()) {
            if (p.offers && !p.banned && p.claimedSize > 0) {
                votes.merge(p.claimedSize, 1, Integer::sum);
            }
        }
        if (votes.isEmpty()) {
            return; // keep what we have: peers without a claim can still serve the current size
        }
        int best = -1;
        int bestVotes = 0;
        for (Map.Entry<Integer, Integer> e : votes.entrySet()) {
            int v = e.getValue();
            if (v > bestVotes || (v == bestVotes && e.getKey() == size)) {
                best = e.getKey();
                bestVotes = v;
            }
        }
        if (best != size) {
            log.debug("metadata for {} is {} bytes by {} of {} claims", infoHash, best, bestVotes, votes.values().stream().mapToInt(i -> i).sum());
            size = best;
            startAttempt();
        }
    }

    private void startAttempt() {
        for (PeerState p : peers.values()) {
            p.outstanding.clear();
            p.askedPieces.clear();
        }
        pieces = new Piece[UtMetadataMessage.pieceCount(size)];
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = new Piece();
        }
        received = 0;
        source = null;
    }

    private List<Send> schedule() {
        List<Send> sends = new ArrayList<>();
        if (pieces == null || result.isDone()) {
            return sends;
        }
        Instant now = clock.instant();
        List<PeerState> usable = new ArrayList<>();
        List<PeerState> suspects = new ArrayList<>();
        for (PeerState p : peers.values()) {
            if (p.offers && !p.banned && !p.oversizeClaim && (p.claimedSize == size || p.claimedSize == -1)
                    && !now.isBefore(p.restUntil) && p.peer.remoteId(EXTENSION).isPresent()) {
                (p.suspect ? suspects : usable).add(p);
            }
        }
        if (usable.isEmpty()) {
            usable = suspects; // better a suspect than nobody; the hash check still guards the result
        }
        if (usable.isEmpty()) {
            return sends;
        }
        int start = Math.floorMod(rotation++, usable.size());
        List<PeerState> order = new ArrayList<>(usable.subList(start, usable.size()));
        order.addAll(usable.subList(0, start));

        if (singleSource) {
            if (source == null || !order.contains(source)) {
                source = order.get(0);
            }
            for (int index; source.outstanding.size() < options.maxOutstandingPerPeer()
                    && (index = pick(source, now, false)) >= 0; ) {
                request(source, index, now, sends);
            }
            return sends;
        }
        boolean progress = true;
        while (progress) { // round robin, one request per peer per round: spreads pieces over all peers
            progress = false;
            for (PeerState p : order) {
                if (p.outstanding.size() < options.maxOutstandingPerPeer()) {
                    int index = pick(p, now, false);
                    if (index >= 0) {
                        request(p, index, now, sends);
                        progress = true;
                    }
                }
            }
        }
        if (options.hedgeSlowRequests()) {
            for (PeerState p : order) {
                if (p.outstanding.isEmpty()) {
                    int index = pick(p, now, true);
                    if (index >= 0) {
                        request(p, index, now, sends);
                    }
                }
            }
        }
        return sends;
    }

    /** A missing piece nobody is fetching (or, hedging, one that one other peer is slow with); -1 if none. */
    private int pick(PeerState p, Instant now, boolean hedging) {
        for (int i = 0; i < pieces.length; i++) {
            Piece piece = pieces[i];
            boolean wanted = piece.data == null && (hedging ? slowAtOneOtherPeer(piece, i, p, now) : piece.holders.isEmpty());
            Instant rejectedUntil = p.rejectedUntil.get(i);
            if (wanted && (rejectedUntil == null || !now.isBefore(rejectedUntil))) {
                return i;
            }
        }
        return -1;
    }

    private boolean slowAtOneOtherPeer(Piece piece, int index, PeerState p, Instant now) {
        if (piece.holders.size() != 1 || piece.holders.contains(p)) {
            return false;
        }
        Instant sentAt = piece.holders.iterator().next().outstanding.get(index);
        return sentAt != null && !now.isBefore(sentAt.plus(options.hedgeAfter()));
    }

    private void request(PeerState p, int index, Instant now, List<Send> sends) {
        p.outstanding.put(index, now);
        p.askedPieces.add(index);
        p.asked = true;
        pieces[index].holders.add(p);
        int id = p.peer.remoteId(EXTENSION).getAsInt();
        sends.add(new Send(p.peer, id, UtMetadataCodec.encode(new UtMetadataMessage.Request(index))));
    }

    private static void send(List<Send> sends) {
        for (Send s : sends) {
            s.peer().sendExtended(s.remoteId(), s.payload());
        }
    }

    private record Send(ExtensionPeer peer, int remoteId, byte[] payload) {}

    private static final class Piece {
        byte[] data;
        PeerState from;
        final Set<PeerState> holders = new LinkedHashSet<>();
    }

    private static final class PeerState {
        final ExtensionPeer peer;
        boolean offers;
        int claimedSize = -1;
        boolean oversizeClaim;
        boolean asked;
        boolean suspect;
        boolean banned;
        Instant restUntil = Instant.MIN;
        /** Piece → when we asked. */
        final Map<Integer, Instant> outstanding = new HashMap<>();
        /** Pieces of the current attempt we asked this peer for: only those answers are accepted. */
        final Set<Integer> askedPieces = new HashSet<>();
        final Map<Integer, Instant> rejectedUntil = new HashMap<>();

        PeerState(ExtensionPeer peer) {
            this.peer = peer;
        }

        boolean asked(int index) {
            return askedPieces.contains(index);
        }
    }
}
