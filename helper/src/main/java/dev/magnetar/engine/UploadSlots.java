package dev.magnetar.engine;

import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A torrent's upload slots: when a choke round runs, what it is told, how its decision reaches the
 * peers, and how much of a capped upload goes to peers without a paid slot. Whom to unchoke is the
 * {@link Choker}'s decision (pure); this class runs it — every {@link ChokerSettings#RECHOKE_INTERVAL}
 * (BEP 3: every 10 s), and sooner when a slot is free for a newly interested peer or a new bid may move
 * a paid slot.
 *
 * <p>Not thread-safe: called on the torrent's event loop, which {@code loop} must be.
 *
 * @param <P> the torrent's peer type; {@link Peers} reads and commands it
 */
final class UploadSlots<P> {

    /** What a choke round needs from the torrent's connected peers. */
    interface Peers<P> {

        /** Every connected peer, in the order they were admitted. */
        Collection<P> connected();

        /** Open and past its handshake: only such peers are ranked. */
        boolean isReady(P peer);

        PeerSnapshot<P> snapshot(P peer);

        /** We choke it now (BEP 3 am_choking). */
        boolean isChokedByUs(P peer);

        /** It told us "interested" (BEP 3 peer_interested). */
        boolean isInterested(P peer);

        /** Sends "choke" (a no-op for a peer already choked or closed). */
        void choke(P peer);

        /** Sends "unchoke" (a no-op for a peer already unchoked or closed). */
        void unchoke(P peer);

        /** The torrent's live set of connections. */
        static Peers<PeerConnection> of(Collection<PeerConnection> connected) {
            return new Peers<>() {
                @Override
                public Collection<PeerConnection> connected() {
                    return connected;
                }

                @Override
                public boolean isReady(PeerConnection peer) {
                    return peer.isOpen() && peer.isReady();
                }

                @Override
                public PeerSnapshot<PeerConnection> snapshot(PeerConnection peer) {
                    return peer.snapshot();
                }

                @Override
                public boolean isChokedByUs(PeerConnection peer) {
                    return peer.amChoking();
                }

                @Override
                public boolean isInterested(PeerConnection peer) {
                    return peer.peerInterested();
                }

                @Override
                public void choke(PeerConnection peer) {
                    peer.choke();
                }

                @Override
                public void unchoke(PeerConnection peer) {
                    peer.unchoke();
                }
            };
        }
    }

    /** The speed economy's side of the slots, as {@link TorrentEconomy} offers it. */
    interface PaidSlots<P> {

        /** How many of the choker's regular slots {@link #reserved()} may take. */
        int count();

        ReservedSlots<P> reserved();

        /** The choker just ran: bidders hear their terms before any choke, unchoke or piece goes out. */
        void afterRechoke();

        boolean heldBy(P peer);

        /** The rate a holder pays for its slot; holders share the paid part of a capped upload in proportion to it. */
        BigInteger rateOf(P holder);

        boolean anyHeld();

        /** Share of a capped upload left to peers without a paid slot while one is held; 100 = no preference. */
        int unpaidUploadPercent();

        static PaidSlots<PeerConnection> of(TorrentEconomy economy) {
            return new PaidSlots<>() {
                @Override
                public int count() {
                    return economy.paidSlots();
                }

                @Override
                public ReservedSlots<PeerConnection> reserved() {
                    return economy.reservedSlots();
                }

                @Override
                public void afterRechoke() {
                    economy.afterRechoke();
                }

                @Override
                public boolean heldBy(PeerConnection peer) {
                    return economy.holdsPaidSlot(peer);
                }

                @Override
                public BigInteger rateOf(PeerConnection holder) {
                    return economy.paidSlotRate(holder);
                }

                @Override
                public boolean anyHeld() {
                    return economy.anyPaidSlot();
                }

                @Override
                public int unpaidUploadPercent() {
                    return economy.unpaidUploadPercent();
                }
            };
        }
    }

    private final ChokerSettings settings;
    private final Peers<P> peers;
    private final PaidSlots<P> paid;
    private final BooleanSupplier seeding;
    private final Executor loop;
    private final RandomGenerator random;
    private final Clock clock;
    private final RateLimiter uploadLimiter;
    private final RateLimiter sessionUploadLimiter;
    /** Peers without a paid slot upload through this too: while a paid slot is held it gets a share of the cap. */
    private final RateLimiter unpaidUploadLimiter;
    /** Each paid-slot holder's own part of the cap, in proportion to its rate, while more than one holds a slot; empty otherwise. */
    private final Map<P, RateLimiter> paidHolderLimiters = new HashMap<>();
    private Choker<P> choker;
    private boolean rechokeScheduled;
    private boolean closed;
    private long ticks;

    /**
     * @param uploadLimiter the torrent's own upload limiter
     * @param sessionUploadLimiter the session's, whose cap applies too
     * @param seeding whether the torrent is complete (the choker ranks by what we give, not what we get)
     */
    UploadSlots(ChokerSettings settings, Peers<P> peers, PaidSlots<P> paid, BooleanSupplier seeding,
            RateLimiter uploadLimiter, RateLimiter sessionUploadLimiter, Executor loop, RandomGenerator random,
            Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.paid = Objects.requireNonNull(paid, "paid");
        this.seeding = Objects.requireNonNull(seeding, "seeding");
        this.uploadLimiter = Objects.requireNonNull(uploadLimiter, "uploadLimiter");
        this.sessionUploadLimiter = Objects.requireNonNull(sessionUploadLimiter, "sessionUploadLimiter");
        this.unpaidUploadLimiter = uploadLimiter.child(RateLimiter.UNLIMITED, 0);
        this.loop = Objects.requireNonNull(loop, "loop");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Pieces are known: a fresh choker; rounds run from now on. The economy's paid slots come out of
     * the regular ones; the rest stay tit-for-tat.
     */
    void start() {
        ChokerSettings chokerSettings = settings.withMaxReservedSlots(Math.min(paid.count(), settings.regularSlots()));
        choker = new Choker<>(chokerSettings, new TitForTatSlotPolicy<>(), paid.reserved(), random, clock);
    }

    /** Pieces are unknown again (an error, a recheck): no rounds until {@link #start}. */
    void stop() {
        choker = null;
    }

    /** The torrent is closing: no round runs any more, even one already scheduled. */
    void close() {
        closed = true;
    }

    /** A peer said "interested" or "not interested". */
    void peerInterestChanged(P peer) {
        // A newly interested peer need not wait up to 10 s when an upload slot is free.
        if (peers.isInterested(peer) && choker != null) {
            long unchoked = peers.connected().stream().filter(p -> !peers.isChokedByUs(p)).count();
            if (unchoked < settings.regularSlots() + settings.optimisticSlots()) {
                scheduleRechoke();
            }
        } else if (!peers.isInterested(peer)) {
            peers.choke(peer);
        }
    }

    /** Runs a round on the loop soon; several asks before it runs make one round. */
    void scheduleRechoke() {
        if (!rechokeScheduled) {
            rechokeScheduled = true;
            loop.execute(() -> {
                rechokeScheduled = false;
                rechoke();
            });
        }
    }

    /** One second passed: every {@link ChokerSettings#RECHOKE_INTERVAL} a round, else the unpaid share is looked at again. */
    void tick() {
        ticks++;
        if (ticks % ChokerSettings.RECHOKE_INTERVAL.toSeconds() == 0) {
            rechoke();
        } else {
            updateUnpaidUploadShare(); // a paid slot may have ended at the debt limit
        }
    }

    private void rechoke() {
        if (choker == null || closed) {
            return;
        }
        List<PeerSnapshot<P>> snapshots = new ArrayList<>();
        for (P p : peers.connected()) {
            if (peers.isReady(p)) {
                snapshots.add(peers.snapshot(p));
            }
        }
        ChokeDecision<P> decision = choker.rechoke(snapshots, seeding.getAsBoolean());
        // Spec mg_speed §4.1: every bidder learns its new terms before any more piece bytes go out.
        paid.afterRechoke();
        updateUnpaidUploadShare();
        for (P p : decision.choke()) {
            peers.choke(p);
        }
        for (P p : decision.unchoke()) {
            peers.unchoke(p);
        }
    }

    /**
     * The limiter a block to {@code peer} is paid from: peers without a paid slot share the unpaid part;
     * a sole paid-slot holder draws on the whole cap; several holders each have their own part, in proportion
     * to the rate each pays.
     */
    RateLimiter uploadLimiterFor(P peer) {
        if (!paid.heldBy(peer)) {
            return unpaidUploadLimiter;
        }
        RateLimiter own = paidHolderLimiters.get(peer);
        return own == null ? uploadLimiter : own;
    }

    /**
     * While a paid slot is held and the upload is capped, peers without one share only part of the cap
     * (mg_speed §5.1), and when several peers hold one, each gets its own part of the rest in proportion to
     * the rate it pays, so a higher bid buys more. A shared bucket would go to whichever holder asks first:
     * the one being served asks again as each read completes, so one holder took the whole paid part and
     * another, paying the same price, got nearly none.
     */
    private void updateUnpaidUploadShare() {
        long cap = effectiveUploadCap();
        int percent = paid.unpaidUploadPercent();
        if (cap <= 0 || percent >= 100 || !paid.anyHeld()) {
            unpaidUploadLimiter.setRate(RateLimiter.UNLIMITED, 0);
            paidHolderLimiters.clear();
            return;
        }
        long unpaidShare = Math.max(1, cap * Math.max(1, percent) / 100);
        unpaidUploadLimiter.setRate(unpaidShare, 0);
        Map<P, BigInteger> holders = new LinkedHashMap<>();
        boolean unpaidWant = false;
        for (P p : peers.connected()) {
            if (!peers.isInterested(p)) {
                continue; // a holder that wants nothing more (it completed) must not keep a part idle until the next round
            }
            if (paid.heldBy(p)) {
                holders.put(p, paid.rateOf(p));
            } else if (!peers.isChokedByUs(p)) {
                unpaidWant = true;
            }
        }
        paidHolderLimiters.keySet().retainAll(holders.keySet());
        if (holders.size() < 2) {
            paidHolderLimiters.clear();
            return;
        }
        long paidPart = Math.max(1, cap - (unpaidWant ? unpaidShare : 0));
        PaidUploadShares.split(paidPart, holders).forEach((holder, part) ->
                paidHolderLimiters.computeIfAbsent(holder, h -> uploadLimiter.child(part, 0)).setRate(part, 0));
    }

    private long effectiveUploadCap() {
        long own = uploadLimiter.bytesPerSecond();
        long global = sessionUploadLimiter.bytesPerSecond();
        if (own <= 0) {
            return global;
        }
        return global <= 0 ? own : Math.min(own, global);
    }
}
