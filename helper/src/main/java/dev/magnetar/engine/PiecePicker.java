package dev.magnetar.engine;

import dev.magnetar.storage.Bitfield;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Decides which blocks of one torrent to request from which peer.
 *
 * <p>Order of preference for a peer, as libtorrent and Transmission do it:
 * <ol>
 *   <li>free blocks of pieces already in progress — higher priority first, then pieces this peer
 *       already sent or was asked for, then the pieces closest to done — so few pieces are partial
 *       at a time and each completes (and can be shared) quickly;</li>
 *   <li>new pieces, rarest first (fewest peers have them) within priority buckets (higher first),
 *       ties broken at random so peers don't all chase the same piece; while we have fewer than
 *       {@link #DEFAULT_RANDOM_START_PIECES} pieces, random instead of rarest, to get something to
 *       trade quickly (a rare piece is slow to come by);</li>
 *   <li>endgame: once every missing block is requested, blocks already outstanding at other peers,
 *       each at most at {@link #DEFAULT_ENDGAME_PEERS_PER_BLOCK} peers, so one slow peer can't hold
 *       the last piece hostage; the duplicates are cancelled when the first copy arrives.</li>
 * </ol>
 * Before all of these come {@link #setDeadlines time-critical pieces} (a stream's reader needs them
 * next), in their order of urgency, from the peers {@link #setDeadlinePeers} deems fast enough, with
 * endgame duplicates on the most urgent one at once: a reader waiting on one slow peer's block is a
 * stalled video. In sequential mode new and partial pieces are taken lowest index first within each
 * priority. While the peer chokes us only its BEP 6 allowed-fast pieces are eligible. No new piece is
 * started while {@link #setMaxPiecesInProgress the cap} of pieces in progress is reached: the engine
 * holds each of them whole in memory until it is complete.
 *
 * <p>The picker knows nothing of sockets or time: request timeouts, hashing and banning are the
 * caller's, reported back through {@link #requestTimedOut}, {@link #pieceVerified} and
 * {@link #pieceFailed}. Given the same calls and the same seeded {@link RandomGenerator} it makes the
 * same choices.
 *
 * <p><b>Not thread-safe</b>: the engine owns one picker per torrent and calls it from that torrent's
 * event loop thread only. (Locking here would hide ordering bugs rather than fix them: a pick and the
 * requests it leads to must happen in one step.)
 *
 * @param <P> the caller's peer key (connection or peer id); needs equals/hashCode
 */
public final class PiecePicker<P> {

    public static final int DONT_DOWNLOAD = FilePriority.SKIP;
    public static final int DEFAULT_PRIORITY = FilePriority.NORMAL;
    public static final int MAX_PRIORITY = FilePriority.MAX;
    public static final int DEFAULT_RANDOM_START_PIECES = 4;
    public static final int DEFAULT_ENDGAME_PEERS_PER_BLOCK = 2;

    private final PieceGeometry geometry;
    private final int pieceCount;
    private final RandomGenerator random;
    private final BitSet have = new BitSet();
    /** Pieces with priority above {@link #DONT_DOWNLOAD}. */
    private final BitSet wanted = new BitSet();
    private final int[] priority;
    /** Per piece: peers with a partial bitfield that have it. Seeds are counted once in {@link #seeds}. */
    private final int[] availability;
    /** Peers that have every piece: counted once, as libtorrent does, not added to every piece. */
    private int seeds;
    private final Map<P, PeerPieces> peers = new HashMap<>();
    /**
     * Wanted pieces not verified yet ({@code wanted} minus {@code have}), kept up to date rather than
     * derived per call: interest checks after every verified piece and every pick read it, and the
     * clone they used to make showed up in profiles.
     */
    private final BitSet missing = new BitSet();
    /**
     * Blocks of {@link #missing} pieces that are neither requested nor received (a piece not started
     * counts all its blocks). Zero means endgame. A running count because "is any block free?" was
     * asked on every pick, and answering it meant walking every missing piece.
     */
    private int freeBlocks;
    /** In-progress pieces in index order, so iteration (and thus every choice) is deterministic. */
    private final TreeMap<Integer, PartialPiece<P>> partials = new TreeMap<>();
    /** The keys of {@link #partials} as bits, so scanning for new pieces needs no boxed map lookups. */
    private final BitSet inProgress = new BitSet();
    /**
     * Counts the events after which an endgame duplicate may have become possible for some peer: a
     * block newly requested or given back, availability or priority changed. A peer whose last
     * endgame scan found nothing is not scanned again until this moves (see
     * {@link #pickEndgameDuplicates}); block arrivals, the common event in endgame, only take
     * duplicates away, so they don't count.
     */
    private long endgameChanges;
    /** Scratch space for {@link #pickNewPieces}: the pieces of the best bucket. Reused, not thread-safe. */
    private final int[] bucketPieces;
    /**
     * The one record of our outstanding requests: per peer, each block asked for and when (nanoseconds
     * of the caller's clock), in the order sent. The connection reads it for its queue depth and
     * timeouts rather than keeping a copy that could drift from this one.
     */
    private final Map<P, LinkedHashMap<BlockRequest, Long>> outstanding = new HashMap<>();
    /**
     * Per peer, outstanding requests we cancelled and the peer has yet to answer (BEP 6: a reject, or the
     * block if it was already on its way). They stay outstanding until then, but no longer fill the
     * peer's queue: see {@link #cancelOutside}.
     */
    private final Map<P, Set<BlockRequest>> cancelling = new HashMap<>();
    /** Time-critical pieces, most urgent first (see {@link #setDeadlines}). */
    private List<Integer> deadlines = List.of();
    private Set<Integer> deadlineSet = Set.of();
    /** Per time-critical piece whose blocks a reader can have before it is whole: the block it needs first. */
    private Map<Integer, Integer> firstNeeded = Map.of();
    /** Which peers may be asked for time-critical pieces: by default all. */
    private java.util.function.Predicate<P> deadlinePeers = p -> true;
    private boolean sequential;
    private int randomStartPieces = DEFAULT_RANDOM_START_PIECES;
    private int endgamePeersPerBlock = DEFAULT_ENDGAME_PEERS_PER_BLOCK;
    private InProgressLimit inProgressLimit = InProgressLimit.NONE;

    /** A picker with every piece at {@link #DEFAULT_PRIORITY}. */
    public PiecePicker(PieceGeometry geometry, Bitfield verified, RandomGenerator random) {
        this(geometry, verified, null, random);
    }

    /**
     * @param verified pieces we already have (copied; later report new ones via {@link #pieceVerified})
     * @param priorities per piece 0 (don't download) to 7, derived from file priorities by the caller;
     *     null for all {@link #DEFAULT_PRIORITY}
     * @param random source of tie-breaking; seed it in tests for reproducible choices
     */
    public PiecePicker(PieceGeometry geometry, Bitfield verified, int[] priorities, RandomGenerator random) {
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.random = Objects.requireNonNull(random, "random");
        this.pieceCount = geometry.pieceCount();
        checkPieceCount(verified.pieceCount());
        this.priority = new int[pieceCount];
        this.availability = new int[pieceCount];
        this.bucketPieces = new int[pieceCount];
        for (int i = verified.nextSet(0); i >= 0; i = verified.nextSet(i + 1)) {
            have.set(i);
        }
        setPiecePriorities(priorities == null ? defaultPriorities(pieceCount) : priorities);
    }

    private static int[] defaultPriorities(int pieceCount) {
        int[] all = new int[pieceCount];
        java.util.Arrays.fill(all, DEFAULT_PRIORITY);
        return all;
    }

    // ---- settings -----------------------------------------------------------------------------

    public void setPiecePriority(int piece, int newPriority) {
        checkPiece(piece);
        checkPriority(newPriority);
        priority[piece] = newPriority;
        wanted.set(piece, newPriority > DONT_DOWNLOAD);
        updateMissing(piece);
        endgameChanges++;
    }

    public void setPiecePriorities(int[] priorities) {
        if (priorities.length != pieceCount) {
            throw new IllegalArgumentException(priorities.length + " priorities for " + pieceCount + " pieces");
        }
        for (int p : priorities) {
            checkPriority(p);
        }
        for (int i = 0; i < pieceCount; i++) {
            setPiecePriority(i, priorities[i]);
        }
    }

    /** Streaming: lowest index first (within priority) instead of rarest first. */
    public void setSequential(boolean sequential) {
        this.sequential = sequential;
    }

    /**
     * The pieces a reader needs next, most urgent first; replaces the previous list, so pieces a seek
     * left behind stop being time-critical at once (their outstanding blocks still arrive and count).
     * They are requested before any other, even beyond the {@link #setMaxPiecesInProgress cap} on
     * pieces in progress (a reader is waiting; the list is a few pieces long), and their priority is
     * the caller's to raise: a piece of priority 0 is never requested.
     */
    public void setDeadlines(List<Integer> pieces) {
        setDeadlines(pieces, Map.of());
    }

    /**
     * {@link #setDeadlines(List)}, where a reader can have some pieces' blocks before the piece is whole
     * (BEP 52 leaf hashes, {@link LeafVerifiedBlocks}) and needs them only from a block on: only the blocks
     * from {@code firstNeededBlock} on are time-critical; those before it are the rest of a piece in
     * progress, asked for as such once a peer holds no time-critical request. A seek lands mid-piece, and
     * an MP4's movie box begins in the last quarter of its first piece: asked for whole, that piece's head
     * came first and took a capped seeder's quota tick from what the player waited for (bench/stream: a
     * WebM seek's first 28 blocks, 448 KiB, before the seek position; 48 blocks, 768 KiB, of media data
     * ahead of the movie box). Asked for right behind the time-critical pieces, the head still came
     * before the pieces a reader's window grew to next.
     *
     * @param firstNeededBlock per piece (of {@code pieces}) the block a reader needs first; a piece not in
     *     it is needed from its first block
     */
    public void setDeadlines(List<Integer> pieces, Map<Integer, Integer> firstNeededBlock) {
        for (int p : pieces) {
            checkPiece(p);
        }
        deadlines = List.copyOf(new LinkedHashSet<>(pieces));
        deadlineSet = Set.copyOf(deadlines);
        Map<Integer, Integer> first = new HashMap<>();
        firstNeededBlock.forEach((piece, block) -> {
            if (deadlineSet.contains(piece) && block > 0 && block < geometry.blockCount(piece)) {
                first.put(piece, block);
            }
        });
        firstNeeded = Map.copyOf(first);
        endgameChanges++;
    }

    /** Per time-critical piece needed from a block after its first, that block ({@link #setDeadlines(List, Map)}). */
    public Map<Integer, Integer> firstNeededBlocks() {
        return firstNeeded;
    }

    /** The block of time-critical {@code piece} a reader needs first ({@link #setDeadlines(List, Map)}). */
    private int firstNeeded(int piece) {
        return firstNeeded.getOrDefault(piece, 0);
    }

    /** Blocks of {@code piece} received and not yet part of a verified piece. */
    public int blocksReceived(int piece) {
        checkPiece(piece);
        PartialPiece<P> part = partials.get(piece);
        return part == null ? 0 : part.received();
    }

    /** Whether {@code part} has a free block a reader needs: from its first needed one on. */
    private boolean neededBlockFree(PartialPiece<P> part) {
        for (int b = firstNeeded(part.piece); b < part.blockCount(); b++) {
            if (part.state(b) == PartialPiece.BlockState.FREE) {
                return true;
            }
        }
        return false;
    }

    /** The time-critical pieces, most urgent first, as last set (verified ones included). */
    public List<Integer> deadlines() {
        return deadlines;
    }

    /**
     * Which peers are fast enough to be asked for time-critical pieces (libtorrent asks only peers
     * whose download queue can deliver a block before the deadline). Others still get the rest.
     */
    public void setDeadlinePeers(java.util.function.Predicate<P> fastEnough) {
        this.deadlinePeers = Objects.requireNonNull(fastEnough, "fastEnough");
    }

    /**
     * Whether the most urgent time-critical piece still missing has blocks no peer was asked for: after
     * a seek, the requests already queued at peers would all be served before it.
     */
    public boolean urgentDeadlineUnrequested() {
        for (int piece : deadlines) {
            if (missing.get(piece)) {
                PartialPiece<P> part = partials.get(piece);
                return part == null || neededBlockFree(part);
            }
        }
        return false;
    }

    /**
     * Whether any time-critical piece still missing has blocks no peer was asked for: when a reader's
     * window grows or slides, requests queued before for the rest of the torrent would be served first.
     */
    public boolean deadlineUnrequested() {
        for (int piece : deadlines) {
            if (missing.get(piece)) {
                PartialPiece<P> part = partials.get(piece);
                if (part == null || neededBlockFree(part)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A seek: takes back this peer's queued requests for pieces outside {@code keep} (the new read
     * position's pieces), so the pick that follows puts those at the head of its queue — a peer serves
     * requests in the order sent, and at a rate-capped peer the old position's window would come first.
     * The caller sends a BEP 3 "cancel" for each block returned.
     *
     * <p>With the BEP 6 fast extension the peer answers every cancel: a "reject" if the request was still
     * queued, else the block itself. Until that answer the block stays outstanding at this peer (a late
     * block is taken as asked for) but no longer counts towards its queue depth, and it is not asked of
     * this peer again: a second request sent before the reject would be undone by it, and a peer that had
     * both would send the block twice. Without the fast extension nothing answers a cancel, so the block
     * goes back to the pool at once (a copy already on its way is still taken once).
     *
     * <p>Nothing for a peer not {@link #setDeadlinePeers fast enough} for time-critical pieces.
     */
    public List<BlockRequest> cancelOutside(P peer, Set<Integer> keep, boolean peerAnswersCancels) {
        Map<BlockRequest, Long> mine = outstanding.get(peer);
        if (mine == null || !deadlinePeers.test(peer)) {
            return List.of();
        }
        Set<BlockRequest> pending = cancelling.getOrDefault(peer, Set.of());
        List<BlockRequest> cancelled = new ArrayList<>();
        for (BlockRequest block : new ArrayList<>(mine.keySet())) {
            if (keep.contains(block.piece()) || pending.contains(block)) {
                continue;
            }
            if (peerAnswersCancels) {
                cancelling.computeIfAbsent(peer, k -> new HashSet<>()).add(block);
            } else {
                giveBack(peer, block);
            }
            cancelled.add(block);
        }
        return cancelled;
    }

    /** Cancelled requests this peer has not answered yet ({@link #cancelOutside}). */
    public int cancelsUnanswered(P peer) {
        return cancelling.getOrDefault(peer, Set.of()).size();
    }

    /** How many pieces to fetch at random before switching to rarest first; 0 disables. */
    public void setRandomStartPieces(int pieces) {
        if (pieces < 0) {
            throw new IllegalArgumentException("random start pieces must be >= 0");
        }
        this.randomStartPieces = pieces;
    }

    /**
     * The most pieces in progress at once (default: no limit). At the limit, peers are only asked for
     * free blocks of those pieces, and a new piece starts once one of them is verified, fails or is
     * given up. Lowering it below the current count starts nothing new until the count drops.
     */
    public void setMaxPiecesInProgress(int pieces) {
        setInProgressLimit(InProgressLimit.atMost(pieces));
    }

    /** Like {@link #setMaxPiecesInProgress}, a bound that may depend on more than this picker. */
    public void setInProgressLimit(InProgressLimit limit) {
        this.inProgressLimit = Objects.requireNonNull(limit, "limit");
        limit.inProgressChanged(partials.size());
    }

    /** In endgame, the most peers one block may be requested from at once (1 disables duplicates). */
    public void setEndgamePeersPerBlock(int peersPerBlock) {
        if (peersPerBlock < 1) {
            throw new IllegalArgumentException("endgame peers per block must be >= 1");
        }
        this.endgamePeersPerBlock = peersPerBlock;
        endgameChanges++;
    }

    // ---- availability ---------------------------------------------------------------------------

    /** A BEP 3 "have" message. */
    public void peerHasPiece(P peer, int piece) {
        checkPiece(piece);
        PeerPieces pp = peers.computeIfAbsent(Objects.requireNonNull(peer, "peer"), k -> new PeerPieces());
        if (pp.seed || pp.bits.get(piece)) {
            return;
        }
        pp.bits.set(piece);
        pp.count++;
        availability[piece]++;
        endgameChanges++;
        if (pp.count == pieceCount) {
            becomeSeed(pp);
        }
    }

    /** A BEP 3 "bitfield" message (replaces whatever we knew of this peer). */
    public void peerBitfield(P peer, Bitfield bitfield) {
        checkPieceCount(bitfield.pieceCount());
        forgetAvailability(Objects.requireNonNull(peer, "peer"));
        PeerPieces pp = new PeerPieces();
        peers.put(peer, pp);
        endgameChanges++;
        for (int i = bitfield.nextSet(0); i >= 0; i = bitfield.nextSet(i + 1)) {
            pp.bits.set(i);
            pp.count++;
            availability[i]++;
        }
        if (pp.count == pieceCount) {
            becomeSeed(pp);
        }
    }

    /** BEP 6 "have all". */
    public void peerHasAll(P peer) {
        forgetAvailability(Objects.requireNonNull(peer, "peer"));
        PeerPieces pp = new PeerPieces();
        pp.seed = true;
        seeds++;
        peers.put(peer, pp);
        endgameChanges++;
    }

    /** BEP 6 "have none" (and the state of a peer that sent no bitfield). */
    public void peerHaveNone(P peer) {
        forgetAvailability(Objects.requireNonNull(peer, "peer"));
        peers.put(peer, new PeerPieces());
    }

    /** How many connected peers have {@code piece}. */
    public int availability(int piece) {
        checkPiece(piece);
        return availability[piece] + seeds;
    }

    /** Whether the peer has a piece we want and lack: what our BEP 3 "interested" should say. */
    public boolean isInteresting(P peer) {
        PeerPieces pp = peers.get(peer);
        if (pp == null) {
            return false;
        }
        return pp.seed ? !missing.isEmpty() : missing.intersects(pp.bits);
    }

    // ---- picking --------------------------------------------------------------------------------

    /**
     * Chooses up to {@code maxRequests} blocks to request from {@code peer} now and records them as
     * requested from it.
     *
     * @param allowedFast BEP 6 allowed-fast pieces the peer granted us (may be empty)
     * @param peerChoking whether the peer chokes us: then only allowed-fast pieces are eligible
     * @param sentAtNanos when the requests go out, for {@link #requestsWaiting}
     */
    public List<BlockRequest> pick(P peer, int maxRequests, Set<Integer> allowedFast, boolean peerChoking,
                                   long sentAtNanos) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(allowedFast, "allowedFast");
        PeerPieces pp = peers.get(peer);
        if (maxRequests <= 0 || pp == null) {
            return List.of();
        }
        BitSet candidates = candidates(pp, allowedFast, peerChoking);
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<BlockRequest> picked = new ArrayList<>();
        if (!deadlines.isEmpty() && deadlinePeers.test(peer)) {
            pickDeadlines(peer, candidates, maxRequests, picked);
            if (!picked.isEmpty() || holdsDeadlineRequests(peer)) {
                record(peer, picked, sentAtNanos);
                return picked;
            }
        }
        if (picked.size() < maxRequests && freeBlocks > 0) {
            if (sequential) {
                pickInOrder(peer, candidates, maxRequests, picked);
            } else {
                pickFromPartials(peer, candidates, maxRequests, picked);
                if (picked.size() < maxRequests) {
                    pickNewPieces(peer, candidates, maxRequests, picked);
                }
            }
        }
        if (picked.size() < maxRequests && freeBlocks == 0) {
            pickEndgameDuplicates(peer, pp, candidates, maxRequests, picked, !peerChoking);
        }
        record(peer, picked, sentAtNanos);
        return picked;
    }

    private void record(P peer, List<BlockRequest> picked, long sentAtNanos) {
        if (!picked.isEmpty()) {
            Map<BlockRequest, Long> mine = outstanding.computeIfAbsent(peer, k -> new LinkedHashMap<>());
            for (BlockRequest r : picked) {
                mine.put(r, sentAtNanos);
            }
        }
    }

    /**
     * Whether this peer has time-critical blocks queued. Then nothing else is queued behind them: a peer
     * reads what is queued into its send buffer ahead of time (libtorrent up to 500 KB), a cancel cannot
     * take that back, and so every block of another piece queued now would come before the pieces a
     * reader's window asks for next — after a seek, when the window grows from its first piece, or
     * when the player's next request follows. The rest of the torrent comes from this peer once its
     * time-critical blocks are in, and from slower peers all along.
     */
    private boolean holdsDeadlineRequests(P peer) {
        Map<BlockRequest, Long> mine = outstanding.get(peer);
        if (mine == null) {
            return false;
        }
        for (BlockRequest b : mine.keySet()) {
            if (deadlineSet.contains(b.piece())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pieces this peer may be asked for now. Read-only for the caller: for an unchoking seed it
     * is {@link #missing} itself, the common case, which so needs no copy.
     */
    private BitSet candidates(PeerPieces pp, Set<Integer> allowedFast, boolean peerChoking) {
        if (peerChoking) {
            BitSet c = new BitSet(pieceCount);
            for (Integer i : allowedFast) {
                if (i != null && i >= 0 && i < pieceCount && pp.has(i) && missing.get(i)) {
                    c.set(i);
                }
            }
            return c;
        }
        if (pp.seed) {
            return missing;
        }
        BitSet c = (BitSet) pp.bits.clone();
        c.and(missing);
        return c;
    }

    private void pickFromPartials(P peer, BitSet candidates, int max, List<BlockRequest> picked) {
        List<PartialPiece<P>> open = new ArrayList<>();
        for (PartialPiece<P> part : partials.values()) {
            if (part.free() > 0 && candidates.get(part.piece)) {
                open.add(part);
            }
        }
        if (open.size() > 1) {
            // Asking each piece whether the peer is involved walks its blocks' requesters, so ask
            // once per piece, and only when there is an order to decide.
            record Open<P>(PartialPiece<P> part, boolean involvesPeer) { }
            List<Open<P>> ordered = new ArrayList<>(open.size());
            for (PartialPiece<P> part : open) {
                ordered.add(new Open<>(part, part.involves(peer)));
            }
            ordered.sort(Comparator.<Open<P>>comparingInt(o -> -priority[o.part().piece])
                    .thenComparing(o -> !o.involvesPeer())
                    .thenComparingInt(o -> o.part().free())
                    .thenComparingInt(o -> o.part().piece));
            open.clear();
            ordered.forEach(o -> open.add(o.part()));
        }
        for (PartialPiece<P> part : open) {
            if (picked.size() >= max) {
                return;
            }
            takeFreeBlocks(peer, part, max, picked);
        }
    }

    /**
     * Starts new pieces: the best bucket (higher priority, then fewer peers having it; during the
     * random start priority only) in random order, then the next bucket.
     *
     * <p>One pass over the candidates finds the best bucket and collects its pieces; a partial
     * Fisher-Yates shuffle then draws only as many of them as the request needs. A pass either fills
     * the request or starts every piece of its bucket (started pieces drop out of the next pass), so
     * the next pass finds the next bucket. A pick usually needs one or two new pieces, so this is one
     * cheap pass — sorting or shuffling every candidate per call was the bulk of a pick's cost.
     */
    private void pickNewPieces(P peer, BitSet candidates, int max, List<BlockRequest> picked) {
        boolean randomStart = have.cardinality() < randomStartPieces;
        while (picked.size() < max && mayStartPiece()) {
            long best = Long.MAX_VALUE;
            int ties = 0;
            for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
                if (inProgress.get(i)) {
                    continue; // pickFromPartials' business
                }
                long rarity = randomStart ? 0 : availability[i] + seeds;
                long key = ((long) (MAX_PRIORITY - priority[i]) << 32) | rarity;
                if (key < best) {
                    best = key;
                    ties = 0;
                }
                if (key == best) {
                    bucketPieces[ties++] = i;
                }
            }
            if (ties == 0) {
                return;
            }
            for (int k = 0; k < ties && picked.size() < max && mayStartPiece(); k++) {
                if (ties - k > 1) {
                    swap(bucketPieces, k, k + random.nextInt(ties - k));
                }
                takeFreeBlocks(peer, startPiece(bucketPieces[k]), max, picked);
            }
        }
    }

    /**
     * Time-critical pieces in order of urgency: free blocks first, then (like endgame, but before it)
     * duplicates of blocks of the most urgent missing piece outstanding at other peers — that piece is
     * what the reader waits for, and the first copy to arrive wins.
     */
    private void pickDeadlines(P peer, BitSet candidates, int max, List<BlockRequest> picked) {
        int urgent = -1;
        for (int piece : deadlines) {
            if (picked.size() >= max) {
                return;
            }
            if (!candidates.get(piece)) {
                continue; // verified, not wanted, or this peer lacks it
            }
            if (urgent < 0) {
                urgent = piece;
            }
            PartialPiece<P> part = partials.get(piece);
            takeFreeBlocks(peer, part == null ? startPiece(piece) : part, firstNeeded(piece), Integer.MAX_VALUE, max, picked);
        }
        PartialPiece<P> part = urgent < 0 ? null : partials.get(urgent);
        if (part == null) {
            return;
        }
        for (int b = firstNeeded(urgent); b < part.blockCount() && picked.size() < max; b++) {
            List<P> requesters = part.requesters(b);
            if (part.state(b) == PartialPiece.BlockState.REQUESTED && requesters.size() < endgamePeersPerBlock
                    && !requesters.contains(peer)) {
                request(peer, part, b, picked);
            }
        }
    }

    private void pickInOrder(P peer, BitSet candidates, int max, List<BlockRequest> picked) {
        for (int level = MAX_PRIORITY; level > DONT_DOWNLOAD && picked.size() < max; level--) {
            for (int i = candidates.nextSetBit(0); i >= 0 && picked.size() < max; i = candidates.nextSetBit(i + 1)) {
                if (priority[i] != level) {
                    continue;
                }
                PartialPiece<P> part = partials.get(i);
                if (part == null ? mayStartPiece() : part.free() > 0) {
                    takeFreeBlocks(peer, part == null ? startPiece(i) : part, max, picked);
                }
            }
        }
    }

    /**
     * Endgame: duplicates of blocks outstanding elsewhere. Near the end every block arrival refills
     * every fast peer's queue, and a scan walks every block of every partial piece; so when a scan
     * for an unchoking peer found all it could, the next scan for it waits until
     * {@link #endgameChanges} says something that could offer a new duplicate has happened.
     *
     * @param remember whether this scan may be remembered (not while choked: the allowed-fast set
     *     passed in may differ from call to call)
     */
    private void pickEndgameDuplicates(P peer, PeerPieces pp, BitSet candidates, int max, List<BlockRequest> picked,
            boolean remember) {
        if (remember && pp.endgameExhaustedAt == endgameChanges) {
            return;
        }
        // Blocks outstanding at the fewest peers first: spread duplicates before stacking them.
        for (int level = 1; level < endgamePeersPerBlock; level++) {
            for (PartialPiece<P> part : partials.values()) {
                if (!candidates.get(part.piece)) {
                    continue;
                }
                for (int b = 0; b < part.blockCount(); b++) {
                    if (picked.size() >= max) {
                        return; // there may be more: don't remember this scan as exhaustive
                    }
                    List<P> requesters = part.requesters(b);
                    if (part.state(b) == PartialPiece.BlockState.REQUESTED
                            && requesters.size() == level && !requesters.contains(peer)) {
                        request(peer, part, b, picked);
                    }
                }
            }
        }
        // Our own duplicates moved no counter: they offer nothing new to this peer.
        if (remember) {
            pp.endgameExhaustedAt = endgameChanges;
        }
    }

    private void takeFreeBlocks(P peer, PartialPiece<P> part, int max, List<BlockRequest> picked) {
        takeFreeBlocks(peer, part, 0, part.blockCount(), max, picked);
    }

    /** The free blocks of {@code part} from block {@code from} up to (not including) {@code to}. */
    private void takeFreeBlocks(P peer, PartialPiece<P> part, int from, int to, int max, List<BlockRequest> picked) {
        for (int b = from; b < Math.min(to, part.blockCount()) && picked.size() < max; b++) {
            if (part.state(b) == PartialPiece.BlockState.FREE) {
                request(peer, part, b, picked);
            }
        }
    }

    private void request(P peer, PartialPiece<P> part, int block, List<BlockRequest> picked) {
        BlockRequest r = geometry.block(part.piece, block);
        int freeBefore = part.free();
        part.request(block, peer);
        countFreeChange(part, freeBefore);
        if (part.free() != freeBefore) {
            endgameChanges++; // a block outstanding at one peer: a duplicate for the others
        }
        picked.add(r);
    }

    private boolean mayStartPiece() {
        return inProgressLimit.mayStartAnother(partials.size());
    }

    private PartialPiece<P> startPiece(int piece) {
        inProgress.set(piece);
        PartialPiece<P> part = partials.get(piece);
        if (part == null) {
            part = new PartialPiece<>(piece, geometry.blockCount(piece));
            partials.put(piece, part);
            inProgressLimit.inProgressChanged(partials.size());
        }
        return part;
    }

    private PartialPiece<P> removePartial(int piece) {
        inProgress.clear(piece);
        PartialPiece<P> part = partials.remove(piece);
        if (part != null) {
            inProgressLimit.inProgressChanged(partials.size());
        }
        return part;
    }

    /** Carries a partial piece's change of free blocks (since {@code freeBefore}) into {@link #freeBlocks}. */
    private void countFreeChange(PartialPiece<P> part, int freeBefore) {
        if (missing.get(part.piece)) {
            freeBlocks += part.free() - freeBefore;
        }
    }

    /** Keeps {@link #missing} and {@link #freeBlocks} in step after a piece's priority or verification changed. */
    private void updateMissing(int piece) {
        boolean nowMissing = wanted.get(piece) && !have.get(piece);
        if (nowMissing == missing.get(piece)) {
            return;
        }
        missing.set(piece, nowMissing);
        PartialPiece<P> part = partials.get(piece);
        int free = part == null ? geometry.blockCount(piece) : part.free();
        freeBlocks += nowMissing ? free : -free;
    }

    /** Free blocks of wanted, unverified pieces (for tests: endgame iff zero while pieces are missing). */
    int freeBlocks() {
        return freeBlocks;
    }

    // ---- outcomes -------------------------------------------------------------------------------

    /**
     * A BEP 3 "piece" message arrived. Late blocks (after a timeout, reject or choke gave them back)
     * are still accepted while they're missing, except a block of a piece not in progress while the
     * {@link #setMaxPiecesInProgress cap} is reached ({@link BlockArrival.Status#UNWANTED}).
     */
    public BlockArrival<P> blockReceived(P peer, BlockRequest block) {
        Objects.requireNonNull(peer, "peer");
        if (!geometry.isValidBlock(block)) {
            return BlockArrival.discarded(BlockArrival.Status.INVALID);
        }
        forget(peer, block);
        int piece = block.piece();
        if (have.get(piece)) {
            return BlockArrival.discarded(BlockArrival.Status.DUPLICATE);
        }
        PartialPiece<P> part = partials.get(piece);
        if (part == null) {
            // A block of a piece not in progress was not asked for (or given up on). Taking it starts
            // the piece, whose whole buffer the engine then holds: never beyond the cap, or a peer could
            // make us hold a piece per 16 KiB it sends.
            if (!wanted.get(piece) || !mayStartPiece()) {
                return BlockArrival.discarded(BlockArrival.Status.UNWANTED);
            }
            part = startPiece(piece);
        }
        int index = block.offset() / geometry.blockSize();
        if (part.state(index) == PartialPiece.BlockState.RECEIVED) {
            return BlockArrival.discarded(BlockArrival.Status.DUPLICATE);
        }
        List<PeerBlock<P>> cancels = new ArrayList<>();
        int freeBefore = part.free();
        List<P> others = part.receive(index, peer);
        countFreeChange(part, freeBefore);
        for (P other : others) {
            forget(other, block);
            cancels.add(new PeerBlock<>(other, block));
        }
        return new BlockArrival<>(BlockArrival.Status.ACCEPTED, cancels, part.isComplete());
    }

    /** BEP 6 "reject request": the block goes back to the pool. Returns false if it wasn't outstanding. */
    public boolean requestRejected(P peer, BlockRequest block) {
        return giveBack(peer, block);
    }

    /** The caller gave up waiting for this block: it goes back to the pool (a late arrival is still taken). */
    public boolean requestTimedOut(P peer, BlockRequest block) {
        return giveBack(peer, block);
    }

    /**
     * The peer choked us and (BEP 3) dropped our requests: they all go back to the pool. For a peer
     * with the BEP 6 fast extension don't call this — a choke there keeps allowed-fast requests and
     * the peer rejects the others one by one ({@link #requestRejected}).
     *
     * @return the blocks that were outstanding at this peer
     */
    public List<BlockRequest> peerChoked(P peer) {
        return giveBackAll(peer);
    }

    /**
     * The connection is gone: its requests go back to the pool and its pieces stop counting towards
     * availability. Its contributions to partial pieces are kept, for blame if a hash fails.
     *
     * @return the blocks that were outstanding at this peer
     */
    public List<BlockRequest> peerDisconnected(P peer) {
        List<BlockRequest> returned = giveBackAll(peer);
        outstanding.remove(peer);
        cancelling.remove(peer);
        forgetAvailability(peer);
        return returned;
    }

    /**
     * The piece hashed correctly (or storage found it verified). Returns requests for it still
     * outstanding anywhere, to cancel.
     */
    public List<PeerBlock<P>> pieceVerified(int piece) {
        checkPiece(piece);
        if (have.get(piece)) {
            return List.of();
        }
        have.set(piece);
        updateMissing(piece);
        PartialPiece<P> part = removePartial(piece);
        if (part == null) {
            return List.of();
        }
        List<PeerBlock<P>> cancels = new ArrayList<>();
        for (int b = 0; b < part.blockCount(); b++) {
            BlockRequest block = geometry.block(piece, b);
            for (P p : part.requesters(b)) {
                forget(p, block);
                cancels.add(new PeerBlock<>(p, block));
            }
        }
        return cancels;
    }

    /**
     * The piece failed its hash check: every received block of it is free again, to be fetched anew.
     *
     * @return the peers that sent data for it — the caller counts failures per peer and bans repeat
     *     offenders (libtorrent and Transmission do the same)
     * @throws IllegalStateException if the piece was already verified
     */
    public Set<P> pieceFailed(int piece) {
        checkPiece(piece);
        if (have.get(piece)) {
            throw new IllegalStateException("piece " + piece + " is verified; it cannot fail");
        }
        PartialPiece<P> part = partials.get(piece);
        if (part == null) {
            return Set.of();
        }
        Set<P> blamed = Collections.unmodifiableSet(new LinkedHashSet<>(part.contributors()));
        int freeBefore = part.free();
        part.resetReceived();
        countFreeChange(part, freeBefore);
        if (part.isUntouched()) {
            removePartial(piece);
        }
        return blamed;
    }

    /** The peers that sent blocks of this (unverified) piece so far, in arrival order. */
    public Set<P> contributors(int piece) {
        checkPiece(piece);
        PartialPiece<P> part = partials.get(piece);
        return part == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(part.contributors()));
    }

    private boolean giveBack(P peer, BlockRequest block) {
        if (!forget(peer, block)) {
            return false;
        }
        PartialPiece<P> part = partials.get(block.piece());
        if (part != null) {
            int freeBefore = part.free();
            part.unrequest(block.offset() / geometry.blockSize(), peer);
            countFreeChange(part, freeBefore);
            endgameChanges++; // one requester fewer: room for a duplicate, or a free block
            if (part.isUntouched()) {
                removePartial(block.piece());
            }
        }
        return true;
    }

    /** Drops {@code block} from this peer's outstanding requests (and unanswered cancels); false if it was not there. */
    private boolean forget(P peer, BlockRequest block) {
        Set<BlockRequest> pending = cancelling.get(peer);
        if (pending != null && pending.remove(block) && pending.isEmpty()) {
            cancelling.remove(peer);
        }
        Map<BlockRequest, Long> mine = outstanding.get(peer);
        return mine != null && mine.remove(block) != null;
    }

    private List<BlockRequest> giveBackAll(P peer) {
        Map<BlockRequest, Long> mine = outstanding.get(peer);
        if (mine == null || mine.isEmpty()) {
            return List.of();
        }
        List<BlockRequest> all = new ArrayList<>(mine.keySet());
        for (BlockRequest block : all) {
            giveBack(peer, block);
        }
        return all;
    }

    // ---- state ----------------------------------------------------------------------------------

    /** Every wanted piece is verified (pieces at priority 0 don't count). */
    public boolean isComplete() {
        return missing.isEmpty();
    }

    /** Every missing wanted block is requested or received: duplicates are now allowed. */
    public boolean isEndgame() {
        return !isComplete() && freeBlocks == 0;
    }

    /** For logs: how far a piece is — "verified", "not requested", or its blocks received and requested. */
    public String progress(int piece) {
        checkPiece(piece);
        if (have.get(piece)) {
            return "verified";
        }
        PartialPiece<P> part = partials.get(piece);
        if (part == null) {
            return "not requested";
        }
        int requested = part.blockCount() - part.free() - part.received();
        return part.received() + "/" + part.blockCount() + " blocks in, " + requested + " requested";
    }

    /** Pieces with priority above 0, verified or not. */
    public int wantedPieces() {
        return wanted.cardinality();
    }

    /** Wanted pieces not yet verified. */
    public int missingPieces() {
        return missing.cardinality();
    }

    /** Bytes of wanted pieces not yet verified. */
    public long missingBytes() {
        long bytes = 0;
        for (int i = missing.nextSetBit(0); i >= 0; i = missing.nextSetBit(i + 1)) {
            bytes += geometry.pieceSize(i);
        }
        return bytes;
    }

    public int piecesInProgress() {
        return partials.size();
    }

    /** Blocks requested from this peer and not yet received, rejected or given back. */
    public Set<BlockRequest> outstanding(P peer) {
        Map<BlockRequest, Long> mine = outstanding.get(peer);
        return mine == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(mine.keySet()));
    }

    /**
     * How many blocks are requested from this peer and not yet received, rejected or given back, less
     * those cancelled and awaiting the peer's answer: the depth of its queue.
     */
    public int outstandingCount(P peer) {
        Map<BlockRequest, Long> mine = outstanding.get(peer);
        return mine == null ? 0 : mine.size() - cancelsUnanswered(peer);
    }

    /** Whether {@code block} is requested from this peer and not yet received, rejected or given back. */
    public boolean isOutstanding(P peer, BlockRequest block) {
        Map<BlockRequest, Long> mine = outstanding.get(peer);
        return mine != null && mine.containsKey(block);
    }

    /**
     * This peer's outstanding requests that have waited {@code waitNanos} or longer at {@code nowNanos},
     * oldest first; the caller decides whether to give them back ({@link #requestTimedOut}).
     */
    public List<BlockRequest> requestsWaiting(P peer, long nowNanos, long waitNanos) {
        Map<BlockRequest, Long> mine = outstanding.get(peer);
        if (mine == null) {
            return List.of();
        }
        List<BlockRequest> old = new ArrayList<>();
        for (Map.Entry<BlockRequest, Long> e : mine.entrySet()) {
            if (nowNanos - e.getValue() < waitNanos) {
                break; // in send order: the rest waited less
            }
            old.add(e.getKey());
        }
        return old;
    }

    private void becomeSeed(PeerPieces pp) {
        for (int i = pp.bits.nextSetBit(0); i >= 0; i = pp.bits.nextSetBit(i + 1)) {
            availability[i]--;
        }
        pp.bits.clear();
        pp.count = 0;
        pp.seed = true;
        seeds++;
    }

    private void forgetAvailability(P peer) {
        PeerPieces pp = peers.remove(peer);
        if (pp == null) {
            return;
        }
        if (pp.seed) {
            seeds--;
            return;
        }
        for (int i = pp.bits.nextSetBit(0); i >= 0; i = pp.bits.nextSetBit(i + 1)) {
            availability[i]--;
        }
    }

    private static void swap(int[] pieces, int a, int b) {
        int p = pieces[a];
        pieces[a] = pieces[b];
        pieces[b] = p;
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
    }

    private void checkPieceCount(int count) {
        if (count != pieceCount) {
            throw new IllegalArgumentException("bitfield of " + count + " pieces for a torrent of " + pieceCount);
        }
    }

    private static void checkPriority(int p) {
        if (p < DONT_DOWNLOAD || p > MAX_PRIORITY) {
            throw new IllegalArgumentException("piece priority " + p + " outside 0..7");
        }
    }

    /** What one peer has: a bitfield, or "everything" without storing it. */
    private static final class PeerPieces {
        final BitSet bits = new BitSet();
        int count;
        boolean seed;
        /** {@link #endgameChanges} when an endgame scan for this peer last found all it could; -1: never. */
        long endgameExhaustedAt = -1;

        boolean has(int piece) {
            return seed || bits.get(piece);
        }
    }
}
