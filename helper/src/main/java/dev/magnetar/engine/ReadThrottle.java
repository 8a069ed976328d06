package dev.magnetar.engine;

import dev.magnetar.wire.PeerLink;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether a connection reads from its peer: not while the download limit is in debt, nor while the
 * torrent's disk queue is full. Pausing the socket pushes back on the sender through TCP's window
 * instead of buffering what it sends without bound (DESIGN.md, "Disk").
 *
 * <p>Not thread-safe: used on the connection's torrent loop ({@code loop}) only.
 */
final class ReadThrottle {

    /** The shortest pause for the rate limit: waking up more often than this costs more than it smooths. */
    private static final long MIN_PAUSE_NANOS = 1_000_000L;

    private final PeerLink link;
    private final ScheduledExecutorService loop;
    private boolean rateLimited;
    private boolean diskFull;

    ReadThrottle(PeerLink link, ScheduledExecutorService loop) {
        this.link = link;
        this.loop = loop;
    }

    /** Payload was read and charged to {@code limiter}: if that left it in debt, pause until it refills. */
    void charged(RateLimiter limiter) {
        if (!rateLimited && limiter.nanosUntilAvailable(1) > 0) {
            pauseUntilRefilled(limiter);
        }
    }

    private void pauseUntilRefilled(RateLimiter limiter) {
        rateLimited = true;
        update();
        loop.schedule(() -> {
            rateLimited = false;
            update();
        }, Math.max(limiter.nanosUntilAvailable(1), MIN_PAUSE_NANOS), TimeUnit.NANOSECONDS);
    }

    /** The torrent's disk queue filled up or drained. */
    void diskFull(boolean full) {
        diskFull = full;
        update();
    }

    boolean isReading() {
        return !rateLimited && !diskFull;
    }

    private void update() {
        link.setReading(isReading());
    }
}
