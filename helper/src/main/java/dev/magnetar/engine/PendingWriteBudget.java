package dev.magnetar.engine;

/**
 * The engine-wide budget of piece bytes handed to storage and not yet hashed and written. Past
 * {@code max} every torrent stops reading its peers until the total is back down to half of it
 * (DESIGN.md: back-pressure, no buffering). One budget for all torrents, not one each: several
 * torrents downloading to one slow disk would otherwise hold the bound once per torrent, and what
 * it buffers is resident memory.
 *
 * <p>Thread-safe: torrents on different event loops add and release. When the throttled state flips,
 * {@code onChange} runs (on the thread that flipped it); listeners re-read {@link #throttled()} on
 * their own thread rather than trusting the order notifications arrive in.
 */
final class PendingWriteBudget {

    private final long max;
    private final Runnable onChange;
    private long pending;
    private boolean throttled;

    PendingWriteBudget(long max, Runnable onChange) {
        if (max < 1) {
            throw new IllegalArgumentException("the pending-write bound must be positive");
        }
        this.max = max;
        this.onChange = onChange;
    }

    /** A piece of {@code bytes} goes to storage. */
    void add(long bytes) {
        change(bytes);
    }

    /** Storage is done with a piece of {@code bytes} (written, failed its hash, or failed). */
    void release(long bytes) {
        change(-bytes);
    }

    synchronized boolean throttled() {
        return throttled;
    }

    synchronized long pending() {
        return pending;
    }

    private void change(long delta) {
        boolean flipped;
        synchronized (this) {
            pending += delta;
            boolean next = throttled ? pending > max / 2 : pending > max;
            flipped = next != throttled;
            throttled = next;
        }
        if (flipped) {
            onChange.run();
        }
    }
}
