package dev.magnetar.speed;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One round of the paid-slot auction (spec §5): bids at or above the ask are ranked by rate (ties to
 * the earlier bid, i.e. input order) and the top {@code slots} win. Winners share the seller's paid
 * upload in proportion to their prices (§5.1), so a higher bid buys a larger share, and each winner pays
 * its own bid (pay-as-bid): a flat price for every winner made the bid level meaningless. A sole winner
 * pays the clearing price instead — the highest eligible bid that lost, or the ask — because its share is
 * the whole paid part whatever it bids, and bidding more would buy it nothing. Pure: no state, no clock.
 */
public final class SlotAuction {

    public record Bid<P>(P bidder, BigInteger ratePerGiB) {
        public Bid {
            Objects.requireNonNull(bidder, "bidder");
            Objects.requireNonNull(ratePerGiB, "ratePerGiB");
        }
    }

    /**
     * Winners best first, each with the rate it is charged; {@code losers} are every other bidder, eligible
     * or not, in input order.
     */
    public record Outcome<P>(Map<P, BigInteger> pricesPerGiB, List<P> losers) {
        public Outcome {
            pricesPerGiB = Collections.unmodifiableMap(new LinkedHashMap<>(pricesPerGiB));
            losers = List.copyOf(losers);
        }

        public List<P> winners() {
            return List.copyOf(pricesPerGiB.keySet());
        }

        public boolean won(P bidder) {
            return pricesPerGiB.containsKey(bidder);
        }

        /** The rate {@code bidder} is charged, if it won. */
        public Optional<BigInteger> priceOf(P bidder) {
            return Optional.ofNullable(pricesPerGiB.get(bidder));
        }
    }

    private SlotAuction() {}

    /**
     * @param bidsInArrivalOrder current bids, earliest first (that order breaks ties)
     * @param askPerGiB the seller's ask; 0 means it sells nothing (everybody loses)
     * @param slots paid slots on offer, ≥ 0
     */
    public static <P> Outcome<P> run(List<Bid<P>> bidsInArrivalOrder, BigInteger askPerGiB, int slots) {
        if (slots < 0 || askPerGiB.signum() < 0) {
            throw new IllegalArgumentException("slots and ask cannot be negative");
        }
        List<Bid<P>> eligible = new ArrayList<>();
        if (askPerGiB.signum() > 0) {
            for (Bid<P> b : bidsInArrivalOrder) {
                if (b.ratePerGiB().signum() > 0 && b.ratePerGiB().compareTo(askPerGiB) >= 0) {
                    eligible.add(b);
                }
            }
        }
        // List.sort is stable: equal rates keep arrival order.
        eligible.sort(Comparator.comparing((Bid<P> b) -> b.ratePerGiB()).reversed());
        int winnerCount = Math.min(slots, eligible.size());
        BigInteger clearing = winnerCount < eligible.size() ? eligible.get(winnerCount).ratePerGiB() : askPerGiB;
        Map<P, BigInteger> prices = new LinkedHashMap<>();
        for (int i = 0; i < winnerCount; i++) {
            Bid<P> w = eligible.get(i);
            prices.put(w.bidder(), winnerCount == 1 ? clearing : w.ratePerGiB());
        }
        List<P> losers = new ArrayList<>();
        for (Bid<P> b : bidsInArrivalOrder) {
            if (!prices.containsKey(b.bidder())) {
                losers.add(b.bidder());
            }
        }
        return new Outcome<>(prices, losers);
    }
}
