package dev.magnetar.speed;

import dev.magnetar.engine.PeerSnapshot;
import dev.magnetar.engine.RechokeContext;
import dev.magnetar.engine.ReservedSlots;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The paid-slot step of the {@link dev.magnetar.engine.Choker} (its {@link ReservedSlots} seam): keeps
 * every peer's current sealed bid and, each rechoke, runs the {@link SlotAuction} over the interested
 * candidates the choker offers (its optimistic unchoke is never sold: a holder that wins gives it up), leaving
 * out peers whose unpaid debt reached the disconnect threshold. After the round, {@link #results()}
 * holds the {@code bid_result} every bidder must be told before any more piece bytes go to it.
 *
 * <p>Not thread-safe: called from the torrent's event loop like the choker itself.
 */
public final class PaidSlots<P> implements ReservedSlots<P> {

    private record StandingBid(BigInteger ratePerGiB, long sequence, long arrival) {}

    private final BigInteger askPerGiB;
    private final int paidSlots;
    private final Predicate<P> overDebtLimit;
    private final Map<P, StandingBid> bids = new LinkedHashMap<>();
    private final Map<P, SpeedMessage.BidResult> results = new LinkedHashMap<>();
    private final Map<P, BigInteger> charged = new LinkedHashMap<>();
    private long arrivals;
    private long round;

    /**
     * @param overDebtLimit true for a peer whose paid service must stop (spec §7)
     */
    public PaidSlots(BigInteger askPerGiB, int paidSlots, Predicate<P> overDebtLimit) {
        this.askPerGiB = Objects.requireNonNull(askPerGiB, "askPerGiB");
        this.paidSlots = paidSlots;
        this.overDebtLimit = Objects.requireNonNull(overDebtLimit, "overDebtLimit");
    }

    /**
     * Spec §4.0: a bid replaces the standing one only with a higher sequence; rate 0 withdraws. A
     * withdrawal stands as a zero bid rather than being forgotten: the auction never lets it win, so the
     * next round tells the peer it lost (a winner that withdrew would otherwise never hear it, and would
     * go on being metered as paid), and its sequence still shuts out older bids replayed after it.
     */
    public boolean bid(P peer, SpeedMessage.Bid bid) {
        StandingBid current = bids.get(peer);
        if (current != null && bid.sequence() <= current.sequence()) {
            return false;
        }
        // A changed bid keeps its place in the tie order only if its rate is unchanged.
        long arrival = current != null && current.ratePerGiB().equals(bid.ratePerGiB()) ? current.arrival() : arrivals++;
        bids.put(peer, new StandingBid(bid.ratePerGiB(), bid.sequence(), arrival));
        return true;
    }

    /** The peer left: forget its bid and slot. */
    public void remove(P peer) {
        bids.remove(peer);
        results.remove(peer);
        charged.remove(peer);
    }

    @Override
    public List<P> reserve(List<PeerSnapshot<P>> candidates, int maxSlots, RechokeContext context) {
        round++;
        List<SlotAuction.Bid<P>> auctionBids = new ArrayList<>();
        List<Map.Entry<P, StandingBid>> ordered = new ArrayList<>();
        for (PeerSnapshot<P> c : candidates) {
            StandingBid b = bids.get(c.key());
            if (b != null && !overDebtLimit.test(c.key())) {
                ordered.add(Map.entry(c.key(), b));
            }
        }
        ordered.sort(Map.Entry.comparingByValue((a, b) -> Long.compare(a.arrival(), b.arrival())));
        for (Map.Entry<P, StandingBid> e : ordered) {
            auctionBids.add(new SlotAuction.Bid<>(e.getKey(), e.getValue().ratePerGiB()));
        }
        SlotAuction.Outcome<P> outcome = SlotAuction.run(auctionBids, askPerGiB, Math.min(paidSlots, maxSlots));
        results.clear();
        charged.clear();
        for (Map.Entry<P, StandingBid> e : bids.entrySet()) {
            P peer = e.getKey();
            long seq = e.getValue().sequence();
            Optional<BigInteger> price = outcome.priceOf(peer);
            if (price.isPresent()) {
                results.put(peer, new SpeedMessage.BidResult(true, price.get(), seq, round));
                charged.put(peer, price.get());
            } else {
                results.put(peer, SpeedMessage.BidResult.lost(seq, round));
            }
        }
        return outcome.winners();
    }

    /** This round's {@code bid_result} per bidder. */
    public Map<P, SpeedMessage.BidResult> results() {
        return Map.copyOf(results);
    }

    /** The rate {@code peer} is charged this round, if it holds a paid slot. */
    public Optional<BigInteger> chargedRate(P peer) {
        return Optional.ofNullable(charged.get(peer));
    }

    /** Peers with a standing bid that was not withdrawn. */
    public int bidders() {
        return (int) bids.values().stream().filter(b -> b.ratePerGiB().signum() > 0).count();
    }
}
