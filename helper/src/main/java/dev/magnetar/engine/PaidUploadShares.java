package dev.magnetar.engine;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Divides the paid part of a capped upload among the peers holding paid slots (mg_speed §5.1): each
 * gets a part in proportion to the rate it pays, so a higher bid buys a proportionally larger share of
 * the seller's paid bandwidth. Parts are rounded down (the few bytes per second lost to rounding are
 * not worth an uneven split) but never below one byte per second, so no holder is shut out. Pure.
 */
final class PaidUploadShares {

    private PaidUploadShares() {}

    /**
     * @param paidBytesPerSecond the upload the holders share, &gt; 0
     * @param ratesPerGiB each holder's price (base units per GiB), every one &gt; 0
     * @return each holder's part in bytes per second, in the order of {@code ratesPerGiB}
     */
    static <P> Map<P, Long> split(long paidBytesPerSecond, Map<P, BigInteger> ratesPerGiB) {
        Objects.requireNonNull(ratesPerGiB, "ratesPerGiB");
        if (paidBytesPerSecond <= 0) {
            throw new IllegalArgumentException("the paid upload must be positive, got " + paidBytesPerSecond + " B/s");
        }
        BigInteger total = BigInteger.ZERO;
        for (Map.Entry<P, BigInteger> e : ratesPerGiB.entrySet()) {
            BigInteger rate = Objects.requireNonNull(e.getValue(), "rate");
            if (rate.signum() <= 0) {
                throw new IllegalArgumentException("a paid slot's rate must be positive, got " + rate + " for " + e.getKey());
            }
            total = total.add(rate);
        }
        Map<P, Long> parts = new LinkedHashMap<>();
        BigInteger paid = BigInteger.valueOf(paidBytesPerSecond);
        for (Map.Entry<P, BigInteger> e : ratesPerGiB.entrySet()) {
            // Exact: rates are token base units (1 BTT = 10^18), far beyond a long or a double's precision.
            long part = paid.multiply(e.getValue()).divide(total).longValueExact();
            parts.put(e.getKey(), Math.max(1, part));
        }
        return parts;
    }
}
