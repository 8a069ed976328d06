package dev.magnetar.speed;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Paid piece bytes in stream order as segments at their rates, and the exact price of the first b of
 * them (spec §6.3: one floor over Σ bytes·rate / 2^30). The payee meters what it sends, the payer what
 * it receives; both switch rate at the same {@code bid_result} in the stream, so they agree.
 */
public final class PaidServiceMeter {

    private record Segment(BigInteger ratePerGiB, long bytes) {}

    private final List<Segment> segments = new ArrayList<>();
    /** Paid bytes (and their Σ bytes·rate) metered before this meter existed: a session resumed after a restart. */
    private final long baseBytes;
    private final BigInteger baseNumerator;
    private BigInteger rate;
    private long paidBytes;
    private BigInteger numerator;

    public PaidServiceMeter() {
        this(0, BigInteger.ZERO);
    }

    /** A meter that continues a session whose first {@code baseBytes} paid bytes summed to {@code baseNumerator}. */
    public PaidServiceMeter(long baseBytes, BigInteger baseNumerator) {
        if (baseBytes < 0 || baseNumerator.signum() < 0) {
            throw new IllegalArgumentException("a resumed meter starts at >= 0 bytes and amount");
        }
        this.baseBytes = baseBytes;
        this.baseNumerator = baseNumerator;
        this.paidBytes = baseBytes;
        this.numerator = baseNumerator;
    }

    /** A {@code bid_result}: won at {@code ratePerGiB}, or lost (empty). */
    public void setRate(Optional<BigInteger> ratePerGiB) {
        rate = ratePerGiB.orElse(null);
    }

    public Optional<BigInteger> currentRate() {
        return Optional.ofNullable(rate);
    }

    /** Records piece bytes; counted only while a paid rate is in force. Returns the bytes counted as paid. */
    public long record(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes cannot be negative");
        }
        if (rate == null || bytes == 0) {
            return 0;
        }
        Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last != null && last.ratePerGiB().equals(rate)) {
            segments.set(segments.size() - 1, new Segment(rate, Math.addExact(last.bytes(), bytes)));
        } else {
            segments.add(new Segment(rate, bytes));
        }
        paidBytes = Math.addExact(paidBytes, bytes);
        numerator = numerator.add(Amounts.priceNumerator(bytes, rate));
        return bytes;
    }

    public long paidBytes() {
        return paidBytes;
    }

    /** price(all paid bytes so far). */
    public BigInteger owed() {
        return Amounts.floorPerGib(numerator);
    }

    /** price(first {@code bytes} paid bytes); {@code bytes} ≤ {@link #paidBytes()}. */
    public BigInteger priceOf(long bytes) {
        return Amounts.floorPerGib(numeratorOf(bytes));
    }

    /**
     * The price of the cheapest {@code bytes} of the paid bytes served since this meter started (above the
     * resumed base, priced as {@link #numeratorOf} prices it): the least an honest payer can owe for
     * {@code bytes} paid bytes whichever of the served blocks it received (spec §6.2 R9 — a block it
     * cancelled may never arrive, so its first {@code bytes} need not be the payee's first).
     */
    public BigInteger cheapestPriceOf(long bytes) {
        if (bytes < baseBytes || bytes > paidBytes) {
            throw new IllegalArgumentException("paid bytes " + baseBytes + "-" + paidBytes + " are metered here, asked for " + bytes);
        }
        List<Segment> byRate = new ArrayList<>(segments);
        byRate.sort((a, b) -> a.ratePerGiB().compareTo(b.ratePerGiB()));
        BigInteger sum = baseNumerator;
        long left = bytes - baseBytes;
        for (Segment s : byRate) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, s.bytes());
            sum = sum.add(Amounts.priceNumerator(take, s.ratePerGiB()));
            left -= take;
        }
        return Amounts.floorPerGib(sum);
    }

    /**
     * Σ bytes·rate of the first {@code bytes} paid bytes, before the floor; between the resumed base and
     * {@link #paidBytes()} (a resumed meter no longer knows how its base was split).
     */
    public BigInteger numeratorOf(long bytes) {
        if (bytes < baseBytes || bytes > paidBytes) {
            throw new IllegalArgumentException("paid bytes " + baseBytes + "-" + paidBytes + " are metered here, asked for " + bytes);
        }
        BigInteger sum = baseNumerator;
        long left = bytes - baseBytes;
        for (Segment s : segments) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, s.bytes());
            sum = sum.add(Amounts.priceNumerator(take, s.ratePerGiB()));
            left -= take;
        }
        return sum;
    }
}
