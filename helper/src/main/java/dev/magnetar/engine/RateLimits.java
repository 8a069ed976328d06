package dev.magnetar.engine;

/**
 * A download and an upload limit in bytes per second, 0 meaning none: a torrent's own (kept across
 * restarts in the session list, applied under the engine-wide ones) or the engine-wide ones
 * ({@link Engine#rateLimits}, kept in the daemon's settings).
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
