package dev.magnetar.engine;

import java.time.Duration;

/**
 * How long a web seed rests after a failure: what the server asked for in {@code Retry-After} when
 * it said, otherwise an exponential backoff — {@code first}, doubling per failure in a row, at most
 * {@code max} — so a mirror that is down is not hammered, and one that is back is used again soon.
 * (libtorrent waits a fixed {@code urlseed_wait_retry}, 30 s by default, and honours Retry-After.)
 */
record WebSeedBackoff(Duration first, Duration max) {

    static final WebSeedBackoff DEFAULT = new WebSeedBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

    WebSeedBackoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max");
        }
    }

    /** The wait after the {@code failuresInARow}-th failure (1 for the first), or the server's wish. */
    Duration delay(int failuresInARow, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        int doublings = Math.max(0, Math.min(30, failuresInARow - 1));
        Duration d = first.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 ? max : d;
    }
}
