package dev.magnetar.engine;

/**
 * One torrent's own rate limits, under the session's global ones; 0 means no limit of its own.
 * Kept across restarts (the session list).
 */
public record RateLimits(long downloadBytesPerSecond, long uploadBytesPerSecond) {

    public static final RateLimits NONE = new RateLimits(0, 0);

    public RateLimits {
        if (downloadBytesPerSecond < 0 || uploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("rate limits are bytes per second, 0 or more (0 = none), not "
                    + downloadBytesPerSecond + " and " + uploadBytesPerSecond);
        }
    }
}
