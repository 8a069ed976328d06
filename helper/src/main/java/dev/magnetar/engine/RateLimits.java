package dev.magnetar.engine;

/**
 * One torrent's own rate limits, under the session's global ones; 0 means no limit of its own.
 * Kept across restarts (the session list).
 */
public record RateLimits(long downloadBytesPerSecond, long uploadBytesPerSecond) {

    public static final RateLimits NONE = new RateLimits(0, 0);

    public RateLimits {
        if (!valid(downloadBytesPerSecond) || !valid(uploadBytesPerSecond)) {
            throw new IllegalArgumentException("rate limits are bytes per second from 0 (none) to " + RateLimiter.MAX_BYTES_PER_SECOND
                    + ", not " + downloadBytesPerSecond + " and " + uploadBytesPerSecond);
        }
    }

    /** Whether a limiter takes this rate: 0 (none) up to {@link RateLimiter#MAX_BYTES_PER_SECOND}. */
    public static boolean valid(long bytesPerSecond) {
        return bytesPerSecond >= 0 && bytesPerSecond <= RateLimiter.MAX_BYTES_PER_SECOND;
    }
}
