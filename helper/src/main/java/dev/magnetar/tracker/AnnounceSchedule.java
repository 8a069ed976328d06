package dev.magnetar.tracker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long an {@link Announcer} waits before its next announce, from what the tracker answered.
 *
 * <p>BEP 3's {@code interval} is honoured, and the de-facto {@code min interval} a tracker may add is its
 * permission to come back sooner (a torrent short of peers asks early, never sooner than that). A tracker
 * that gives no {@code min interval} — every UDP tracker, since BEP 15 has no such field — gave no such
 * permission: then neither a regular nor an early announce comes sooner than {@link #DEFAULT_FLOOR}, as in
 * libtorrent, which raises every interval to its {@code min_announce_interval} (5 min by default) and never
 * re-announces early on its own.
 *
 * <p>Every wait is stretched by a random share of up to {@link #JITTER} of itself, never shortened: a
 * thousand torrents added in the same few seconds (or restored together at start) would otherwise
 * announce in the same burst each round, and retry a dead tracker in lockstep.
 */
public final class AnnounceSchedule {

    /** libtorrent's {@code min_announce_interval} default, used when the tracker gives no {@code min interval}. */
    public static final Duration DEFAULT_FLOOR = Duration.ofMinutes(5);

    /** The largest share of a wait added to it at random. */
    public static final double JITTER = 0.1;

    /** Retry delays after failed rounds: first, doubling, at most max. */
    public record Backoff(Duration first, Duration max) {
        public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(15), Duration.ofMinutes(30));

        Duration after(int failures) {
            Duration d = first;
            for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(max) > 0 ? max : d;
        }
    }

    /** The product's: five-minute floor, the default back-off, jitter from a thread-local generator. */
    public static final AnnounceSchedule DEFAULT = jittered(() -> ThreadLocalRandom.current().nextDouble());

    private final Duration floor;
    private final Backoff backoff;
    private final DoubleSupplier random;

    private AnnounceSchedule(Duration floor, Backoff backoff, DoubleSupplier random) {
        this.floor = floor;
        this.backoff = backoff;
        this.random = random;
    }

    /** The default floor and back-off, each wait stretched by {@code random} (values in [0, 1)) times {@link #JITTER}. */
    public static AnnounceSchedule jittered(DoubleSupplier random) {
        return new AnnounceSchedule(DEFAULT_FLOOR, Backoff.DEFAULT, random);
    }

    /** The default floor and back-off with no jitter, for tests that check exact times. */
    public static AnnounceSchedule exact() {
        return new AnnounceSchedule(DEFAULT_FLOOR, Backoff.DEFAULT, () -> 0);
    }

    Backoff backoff() {
        return backoff;
    }

    /** Until the next regular announce after {@code response}. */
    Duration regular(AnnounceResponse response) {
        Duration interval = Duration.ofSeconds(Math.max(0, response.intervalSeconds()));
        Duration least = earliest(response);
        if (interval.compareTo(least) < 0) {
            interval = least;
        }
        if (interval.isZero()) {
            // "interval 0, min interval 0" would make us hammer the tracker; BEP 3 gives no floor, so use ours.
            interval = backoff.first();
        }
        return stretched(interval);
    }

    /** The least time after {@code response} before an early announce (one for more peers) may go out. */
    Duration early(AnnounceResponse response) {
        return stretched(earliest(response));
    }

    /** Until the retry after the {@code failures}-th failed round in a row. */
    Duration retry(int failures) {
        return stretched(backoff.after(failures));
    }

    private Duration earliest(AnnounceResponse response) {
        Integer min = response.minIntervalSeconds();
        return min == null ? floor : Duration.ofSeconds(Math.max(0, min));
    }

    private Duration stretched(Duration wait) {
        double share = random.getAsDouble();
        if (!(share >= 0 && share < 1)) {
            throw new IllegalStateException("jitter source gave " + share + ", not a value in [0, 1)");
        }
        return wait.plusNanos((long) (wait.toNanos() * JITTER * share));
    }
}
