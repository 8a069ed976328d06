package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.ChokeDecision;
import dev.magnetar.engine.Choker;
import dev.magnetar.engine.ChokerSettings;
import dev.magnetar.engine.PeerSnapshot;
import dev.magnetar.engine.TitForTatSlotPolicy;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SlotAuctionTest {

    private static BigInteger n(long v) {
        return BigInteger.valueOf(v);
    }

    private static List<SlotAuction.Bid<String>> bids(Object... pairs) {
        List<SlotAuction.Bid<String>> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(new SlotAuction.Bid<>((String) pairs[i], n(((Number) pairs[i + 1]).longValue())));
        }
        return out;
    }

    @Test
    void everyWinnerPaysItsOwnBid() {
        SlotAuction.Outcome<String> o = SlotAuction.run(bids("a", 50, "b", 30, "c", 20, "d", 5), n(10), 2);
        assertEquals(List.of("a", "b"), o.winners());
        assertEquals(Optional.of(n(50)), o.priceOf("a"), "pay-as-bid: the higher bid buys a larger share and pays for it");
        assertEquals(Optional.of(n(30)), o.priceOf("b"));
        assertEquals(List.of("c", "d"), o.losers());
        assertEquals(Optional.empty(), o.priceOf("c"));
    }

    @Test
    void aSoleWinnerPaysTheHighestLosingBidNotItsOwn() {
        SlotAuction.Outcome<String> o = SlotAuction.run(bids("a", 50, "b", 30, "d", 5), n(10), 1);
        assertEquals(List.of("a"), o.winners());
        assertEquals(Optional.of(n(30)), o.priceOf("a"), "alone it gets the whole paid part whatever it bids");
    }

    @Test
    void aSoleWinnerPaysTheAskWhenNoEligibleBidLoses() {
        SlotAuction.Outcome<String> o = SlotAuction.run(bids("a", 300, "d", 5), n(100), 2);
        assertEquals(List.of("a"), o.winners());
        assertEquals(Optional.of(n(100)), o.priceOf("a"), "d's bid is below the ask, so it sets no price");
    }

    @Test
    void bidsBelowTheAskNeverWinEvenWithFreeSlots() {
        SlotAuction.Outcome<String> o = SlotAuction.run(bids("a", 9, "b", 1), n(10), 4);
        assertTrue(o.winners().isEmpty());
        assertEquals(List.of("a", "b"), o.losers());
    }

    @Test
    void askZeroSellsNothing() {
        assertTrue(SlotAuction.run(bids("a", 9), BigInteger.ZERO, 2).winners().isEmpty());
    }

    @Test
    void tiesGoToTheEarlierBid() {
        SlotAuction.Outcome<String> o = SlotAuction.run(bids("late", 30, "early", 30, "x", 30), n(10), 2);
        assertEquals(List.of("late", "early"), o.winners(), "input order is arrival order");
        assertEquals(Optional.of(n(30)), o.priceOf("late"));
    }

    @Test
    void rejectsNegativeSlotsOrAsk() {
        assertThrows(IllegalArgumentException.class, () -> SlotAuction.run(bids("a", 9), n(1), -1));
        assertThrows(IllegalArgumentException.class, () -> SlotAuction.run(bids("a", 9), n(-1), 1));
    }

    /**
     * Payer rule P2 holds for every outcome: a winner is charged at least the ask and at most its own bid,
     * so an honest seller's answer is never refused; and bidding more never loses a slot that was won.
     */
    @Property(tries = 400)
    void aWinnerPaysBetweenTheAskAndItsBidAndBiddingMoreNeverLosesTheSlot(
            @ForAll @Size(min = 0, max = 6) List<@IntRange(min = 0, max = 100) Integer> others,
            @ForAll @IntRange(min = 1, max = 100) int mine, @ForAll @IntRange(min = 0, max = 50) int more,
            @ForAll @IntRange(min = 0, max = 50) int ask, @ForAll @IntRange(min = 0, max = 4) int slots,
            @ForAll @IntRange(min = 0, max = 6) int position) {
        SlotAuction.Outcome<String> o = run(others, mine, ask, slots, position);
        for (SlotAuction.Bid<String> b : withMine(others, mine, position)) {
            o.priceOf(b.bidder()).ifPresent(price -> {
                assertTrue(price.compareTo(n(ask)) >= 0, b + " charged " + price + " below the ask " + ask);
                assertTrue(price.compareTo(b.ratePerGiB()) <= 0, b + " charged " + price + " above its bid");
            });
        }
        if (o.won("me")) {
            assertTrue(run(others, mine + more, ask, slots, position).won("me"), "raising " + mine + " by " + more + " lost the slot");
        }
    }

    private static List<SlotAuction.Bid<String>> withMine(List<Integer> others, int mine, int position) {
        List<SlotAuction.Bid<String>> all = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            all.add(new SlotAuction.Bid<>("o" + i, n(others.get(i))));
        }
        all.add(Math.min(position, all.size()), new SlotAuction.Bid<>("me", n(mine)));
        return all;
    }

    private static SlotAuction.Outcome<String> run(List<Integer> others, int mine, int ask, int slots, int position) {
        return SlotAuction.run(withMine(others, mine, position), n(ask), slots);
    }

    @Test
    void paidSlotsPlugIntoTheChokerAndLeaveTitForTatAndOptimisticSlots() {
        Map<String, Boolean> overLimit = new java.util.HashMap<>(Map.of("cheat", true));
        PaidSlots<String> paid = new PaidSlots<>(n(10), 2, p -> overLimit.getOrDefault(p, false));
        paid.bid("rich", new SpeedMessage.Bid(n(100), 1));
        paid.bid("mid", new SpeedMessage.Bid(n(40), 1));
        paid.bid("low", new SpeedMessage.Bid(n(20), 1));
        paid.bid("cheat", new SpeedMessage.Bid(n(1000), 1));
        assertTrue(!paid.bid("mid", new SpeedMessage.Bid(n(5), 1)), "a bid with an old sequence is ignored");
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        Choker<String> choker = new Choker<>(ChokerSettings.DEFAULTS, new TitForTatSlotPolicy<>(), paid, new Random(1), clock);
        List<PeerSnapshot<String>> peers = new ArrayList<>();
        for (String p : List.of("rich", "mid", "low", "cheat", "free1", "free2", "free3")) {
            peers.add(new PeerSnapshot<>(p, true, true, 0, 0, clock.instant().minusSeconds(600), null, false, 0));
        }

        ChokeDecision<String> d = choker.rechoke(peers, true);

        assertEquals(d.optimistic().size(), 1);
        Map<String, SpeedMessage.BidResult> results = paid.results();
        String optimistic = d.optimistic().iterator().next();
        // Whoever got the optimistic slot was not offered to the auction; the two best others won.
        List<String> expectedWinners = new ArrayList<>(List.of("rich", "mid", "low"));
        expectedWinners.remove(optimistic);
        expectedWinners = expectedWinners.subList(0, 2);
        assertEquals(new java.util.LinkedHashSet<>(expectedWinners), d.reserved());
        Map<String, BigInteger> bidOf = Map.of("rich", n(100), "mid", n(40), "low", n(20));
        for (String w : expectedWinners) {
            assertEquals(new SpeedMessage.BidResult(true, bidOf.get(w), 1, 1), results.get(w), "two winners: each pays its own bid");
            assertEquals(Optional.of(bidOf.get(w)), paid.chargedRate(w));
        }
        assertEquals(SpeedMessage.BidResult.lost(1, 1), results.get("cheat"), "over its debt limit: never sold a slot");
        assertEquals(ChokerSettings.DEFAULTS.regularSlots() + 1, d.unchoked().size(), "the other regular slots stay tit-for-tat");
    }

    @Test
    void aWinnerThatWithdrawsIsToldItLostAndOlderBidsStayShutOut() {
        PaidSlots<String> paid = new PaidSlots<>(n(10), 1, p -> false);
        PeerSnapshot<String> payer = new PeerSnapshot<>("payer", true, true, 0, 0, Instant.EPOCH, null, false, 0);
        paid.bid("payer", new SpeedMessage.Bid(n(50), 3));
        paid.reserve(List.of(payer), 4, null);
        assertEquals(new SpeedMessage.BidResult(true, n(10), 3, 1), paid.results().get("payer"), "a sole winner pays the ask");

        assertTrue(paid.bid("payer", new SpeedMessage.Bid(BigInteger.ZERO, 4)), "rate 0 withdraws");
        assertEquals(0, paid.bidders());
        assertTrue(paid.reserve(List.of(payer), 4, null).isEmpty());
        assertEquals(SpeedMessage.BidResult.lost(4, 2), paid.results().get("payer"), "the next round tells the payer it lost");
        assertFalse(paid.chargedRate("payer").isPresent());

        assertFalse(paid.bid("payer", new SpeedMessage.Bid(n(50), 2)), "an older bid replayed after the withdrawal is ignored");
        assertTrue(paid.reserve(List.of(payer), 4, null).isEmpty());
        assertTrue(paid.bid("payer", new SpeedMessage.Bid(n(50), 5)), "a newer bid counts again");
        assertEquals(List.of("payer"), paid.reserve(List.of(payer), 4, null));
    }
}
