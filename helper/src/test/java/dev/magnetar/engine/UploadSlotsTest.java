package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.MutableClock;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UploadSlotsTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A connected peer as the slots see it; records what was sent to it. */
    private static final class Peer {
        final String name;
        boolean ready = true;
        boolean interested;
        boolean chokedByUs = true;
        long downloadRate;

        Peer(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The torrent's side: its peers, its loop (a queue run by hand), the economy and what happened in order. */
    private final Map<String, Peer> connected = new LinkedHashMap<>();
    private final Queue<Runnable> loop = new ArrayDeque<>();
    private final List<String> sent = new ArrayList<>();
    private final Set<Peer> paidHolders = new HashSet<>();
    private final Map<Peer, BigInteger> paidRates = new HashMap<>();
    private int unpaidPercent = 100;
    private int paidSlotCount;
    private boolean seeding;
    private final AtomicLong nanos = new AtomicLong();
    private final RateLimiter session = RateLimiter.unlimited(nanos::get);
    private final RateLimiter torrentUpload = session.child(RateLimiter.UNLIMITED, 0);

    private final UploadSlots.Peers<Peer> peers = new UploadSlots.Peers<>() {
        @Override
        public Collection<Peer> connected() {
            return connected.values();
        }

        @Override
        public boolean isReady(Peer peer) {
            return peer.ready;
        }

        @Override
        public PeerSnapshot<Peer> snapshot(Peer peer) {
            return new PeerSnapshot<>(peer, peer.interested, peer.chokedByUs, peer.downloadRate, 0, START, null,
                    false, 0);
        }

        @Override
        public boolean isChokedByUs(Peer peer) {
            return peer.chokedByUs;
        }

        @Override
        public boolean isInterested(Peer peer) {
            return peer.interested;
        }

        @Override
        public void choke(Peer peer) {
            if (!peer.chokedByUs) {
                peer.chokedByUs = true;
                sent.add("choke " + peer);
            }
        }

        @Override
        public void unchoke(Peer peer) {
            if (peer.chokedByUs) {
                peer.chokedByUs = false;
                sent.add("unchoke " + peer);
            }
        }
    };

    private final UploadSlots.PaidSlots<Peer> paid = new UploadSlots.PaidSlots<>() {
        @Override
        public int count() {
            return paidSlotCount;
        }

        @Override
        public ReservedSlots<Peer> reserved() {
            return (candidates, maxSlots, context) -> candidates.stream().map(PeerSnapshot::key)
                    .filter(paidHolders::contains).limit(maxSlots).toList();
        }

        @Override
        public void afterRechoke() {
            sent.add("terms to bidders");
        }

        @Override
        public boolean heldBy(Peer peer) {
            return paidHolders.contains(peer);
        }

        @Override
        public BigInteger rateOf(Peer holder) {
            return paidRates.getOrDefault(holder, BigInteger.ONE);
        }

        @Override
        public boolean anyHeld() {
            return !paidHolders.isEmpty();
        }

        @Override
        public int unpaidUploadPercent() {
            return unpaidPercent;
        }
    };

    private final UploadSlots<Peer> slots = new UploadSlots<>(ChokerSettings.DEFAULTS, peers, paid, () -> seeding,
            torrentUpload, session, loop::add, new SplittableRandom(7), new MutableClock(START));

    private Peer peer(String name, boolean interested, long downloadRate) {
        Peer p = new Peer(name);
        p.interested = interested;
        p.downloadRate = downloadRate;
        connected.put(name, p);
        return p;
    }

    private void runLoop() {
        Runnable task;
        while ((task = loop.poll()) != null) {
            task.run();
        }
    }

    private void tenSeconds() {
        for (int i = 0; i < ChokerSettings.RECHOKE_INTERVAL.toSeconds(); i++) {
            slots.tick();
        }
    }

    private long unchokedCount() {
        return connected.values().stream().filter(p -> !p.chokedByUs).count();
    }

    @Test
    void noRoundRunsBeforeThePiecesAreKnown() {
        peer("a", true, 100);
        tenSeconds();
        slots.scheduleRechoke();
        runLoop();
        assertTrue(sent.isEmpty(), "sent " + sent);
    }

    @Test
    void roundEveryTenSecondsUnchokesTheRegularAndOptimisticSlotsOnly() {
        ChokerSettings cs = ChokerSettings.DEFAULTS;
        for (int i = 0; i < 8; i++) {
            peer("p" + i, true, 1000 * (i + 1));
        }
        slots.start();
        for (int i = 1; i < ChokerSettings.RECHOKE_INTERVAL.toSeconds(); i++) {
            slots.tick();
        }
        assertEquals(0, unchokedCount(), "no round before the tenth second");
        slots.tick();
        assertEquals(cs.regularSlots() + cs.optimisticSlots(), unchokedCount());
        for (int i = 4; i < 8; i++) {
            assertFalse(connected.get("p" + i).chokedByUs, "the four fastest uploaders to us hold the regular slots");
        }
    }

    @Test
    void peersNotPastTheirHandshakeAreNotRanked() {
        Peer early = peer("early", true, 1_000_000);
        early.ready = false;
        peer("ready", true, 10);
        slots.start();
        tenSeconds();
        assertTrue(early.chokedByUs);
        assertFalse(connected.get("ready").chokedByUs);
    }

    @Test
    void newlyInterestedPeerGetsAFreeSlotWithoutWaitingForTheRound() {
        slots.start();
        Peer p = peer("a", false, 0);
        p.interested = true;
        slots.peerInterestChanged(p);
        assertTrue(p.chokedByUs, "the round runs on the loop, not inside the message handler");
        runLoop();
        assertFalse(p.chokedByUs);
    }

    @Test
    void interestChangesBeforeTheLoopRunsMakeOneRound() {
        slots.start();
        for (int i = 0; i < 3; i++) {
            Peer p = peer("p" + i, true, 0);
            slots.peerInterestChanged(p);
        }
        assertEquals(1, loop.size());
        runLoop();
        assertEquals(1, sent.stream().filter("terms to bidders"::equals).count());
    }

    @Test
    void noEarlyRoundWhenEverySlotIsTaken() {
        ChokerSettings cs = ChokerSettings.DEFAULTS;
        for (int i = 0; i < cs.regularSlots() + cs.optimisticSlots(); i++) {
            peer("p" + i, true, 100);
        }
        slots.start();
        tenSeconds();
        assertEquals(cs.regularSlots() + cs.optimisticSlots(), unchokedCount());
        Peer late = peer("late", true, 1_000_000);
        slots.peerInterestChanged(late);
        assertTrue(loop.isEmpty(), "a full house waits for the regular round");
    }

    @Test
    void peerThatLosesInterestIsChokedAtOnce() {
        Peer p = peer("a", true, 100);
        slots.start();
        tenSeconds();
        assertFalse(p.chokedByUs);
        p.interested = false;
        slots.peerInterestChanged(p);
        assertTrue(p.chokedByUs);
        assertEquals("choke a", sent.get(sent.size() - 1));
    }

    @Test
    void biddersHearTheirTermsBeforeAnyChokeOrUnchoke() {
        peer("a", true, 100);
        peer("b", true, 200);
        slots.start();
        tenSeconds();
        assertEquals("terms to bidders", sent.get(0));
        assertTrue(sent.size() > 1, "the round unchoked someone: " + sent);
    }

    @Test
    void paidSlotHolderIsUnchokedAheadOfFasterTraders() {
        paidSlotCount = 1;
        for (int i = 0; i < 6; i++) {
            peer("fast" + i, true, 1_000_000);
        }
        Peer bidder = peer("bidder", true, 0);
        paidHolders.add(bidder);
        slots.start();
        tenSeconds();
        assertFalse(bidder.chokedByUs);
    }

    @Test
    void closedSlotsRunNoRoundEvenOneAlreadyScheduled() {
        peer("a", true, 100);
        slots.start();
        slots.scheduleRechoke();
        slots.close();
        runLoop();
        tenSeconds();
        assertTrue(sent.isEmpty(), "sent " + sent);
    }

    @Test
    void stoppedSlotsRunNoRoundUntilStartedAgain() {
        Peer p = peer("a", true, 100);
        slots.start();
        slots.stop();
        tenSeconds();
        assertTrue(p.chokedByUs);
        slots.start();
        tenSeconds();
        assertFalse(p.chokedByUs);
    }

    @Test
    void unpaidPeersShareTheCapWhileAPaidSlotIsHeld() {
        Peer bidder = peer("bidder", true, 0);
        Peer trader = peer("trader", true, 0);
        torrentUpload.setRate(1000, 0);
        unpaidPercent = 30;
        paidHolders.add(bidder);
        slots.tick();
        assertSame(torrentUpload, slots.uploadLimiterFor(bidder)); // a sole holder may also take what the others leave
        assertEquals(300, slots.uploadLimiterFor(trader).bytesPerSecond());

        paidHolders.clear(); // the paid slot ended (the debt limit): the next second lifts the share
        slots.tick();
        assertTrue(slots.uploadLimiterFor(trader).isUnlimited());
    }

    @Test
    void aGreedyPaidSlotHolderCannotCrowdOutAnotherOne() {
        Peer greedy = peer("greedy", true, 0);
        Peer other = peer("other", true, 0);
        Peer trader = peer("trader", true, 0);
        trader.chokedByUs = false; // a tit-for-tat slot
        torrentUpload.setRate(1000, 0);
        unpaidPercent = 10;
        paidHolders.add(greedy);
        paidHolders.add(other);
        slots.tick();
        nanos.addAndGet(1_000_000_000L); // a second's worth of upload is in the buckets

        // The holder whose turn comes first asks for everything; mg_speed §5.1: each holder has its own part.
        long greedyGot = slots.uploadLimiterFor(greedy).tryAcquire(1_000_000);
        long otherGot = slots.uploadLimiterFor(other).tryAcquire(1_000_000);
        long traderGot = slots.uploadLimiterFor(trader).tryAcquire(1_000_000);
        assertEquals(450, greedyGot);
        assertEquals(450, otherGot);
        assertEquals(100, traderGot);

        trader.interested = false; // nobody without a slot wants data: the holders split the whole cap
        slots.tick();
        assertEquals(500, slots.uploadLimiterFor(other).bytesPerSecond());

        other.interested = false; // it completed but holds its slot until the next round: its part is not kept idle
        slots.tick();
        assertSame(torrentUpload, slots.uploadLimiterFor(greedy));
        other.interested = true;

        paidHolders.remove(other); // one holder left: it draws on the whole cap
        slots.tick();
        assertSame(torrentUpload, slots.uploadLimiterFor(greedy));
    }

    @Test
    void aHolderPayingTwiceTheRateGetsTwiceThePaidPart() {
        Peer rich = peer("rich", true, 0);
        Peer thrifty = peer("thrifty", true, 0);
        Peer trader = peer("trader", true, 0);
        trader.chokedByUs = false; // a tit-for-tat slot
        torrentUpload.setRate(1000, 0);
        unpaidPercent = 10;
        paidHolders.add(rich);
        paidHolders.add(thrifty);
        paidRates.put(rich, BigInteger.valueOf(300));
        paidRates.put(thrifty, BigInteger.valueOf(150));
        slots.tick();
        nanos.addAndGet(1_000_000_000L);

        // mg_speed §5.1: the paid part (900 of 1000) goes 2:1 by the rates; the unpaid part stays 100.
        assertEquals(600, slots.uploadLimiterFor(rich).tryAcquire(1_000_000));
        assertEquals(300, slots.uploadLimiterFor(thrifty).tryAcquire(1_000_000));
        assertEquals(100, slots.uploadLimiterFor(trader).tryAcquire(1_000_000));

        paidRates.put(thrifty, BigInteger.valueOf(300)); // it raised its bid and the next round charged it: the parts follow
        slots.tick();
        assertEquals(450, slots.uploadLimiterFor(rich).bytesPerSecond());
        assertEquals(450, slots.uploadLimiterFor(thrifty).bytesPerSecond());
    }

    @Test
    void theSessionCapCountsWhenItIsTheLowerOne() {
        Peer bidder = peer("bidder", true, 0);
        Peer trader = peer("trader", true, 0);
        session.setRate(500, 0);
        torrentUpload.setRate(1000, 0);
        unpaidPercent = 50;
        paidHolders.add(bidder);
        slots.tick();
        assertEquals(250, slots.uploadLimiterFor(trader).bytesPerSecond());
    }

    @Test
    void anUncappedUploadHasNoUnpaidShare() {
        Peer bidder = peer("bidder", true, 0);
        Peer trader = peer("trader", true, 0);
        unpaidPercent = 10;
        paidHolders.add(bidder);
        slots.tick();
        assertTrue(slots.uploadLimiterFor(trader).isUnlimited());
    }
}
