package dev.magnetar.engine;

/**
 * One web seed (BEP 19) of a torrent, as the API shows it.
 *
 * @param url the {@code url-list} entry
 * @param state {@code ACTIVE} (in use), {@code BACKING_OFF} (it failed or was busy: tried again in
 *     {@code retryInSeconds}), {@code DROPPED} (not used again this session: {@code lastError} says why)
 * @param failures failures in a row; 0 after a good reply
 * @param lastError what went wrong last, or null
 * @param retryInSeconds while BACKING_OFF, seconds until it is tried again; else null
 */
public record WebSeedStatus(String url, String state, long downloadRateBytesPerSecond, long downloadedBytes,
        int failures, String lastError, Long retryInSeconds) {}
