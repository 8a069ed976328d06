package dev.magnetar.speed;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bids a payer sent on one connection, by sequence number (spec §4.0), so that a {@code bid_result}
 * can be held to the bid it names (rule P2). Only the latest {@value #REMEMBERED} are kept: a seller
 * answers within a choke round, and bids change only on a real move of the rate. Not thread-safe.
 */
final class BidsSent {

    static final int REMEMBERED = 64;

    private final Map<Long, BigInteger> rates = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, BigInteger> eldest) {
            return size() > REMEMBERED;
        }
    };
    private long sequence;

    /** Numbers a new bid at {@code rate}; returns its sequence number. */
    long next(BigInteger rate) {
        sequence++;
        rates.put(sequence, rate);
        return sequence;
    }

    /** The rate of the bid with this sequence number, if we sent it and still remember it. */
    Optional<BigInteger> rate(long sequence) {
        return Optional.ofNullable(rates.get(sequence));
    }
}
