package dev.magnetar.webseed;

import java.time.Duration;

/** HTTP 503 (or 429): the server is busy and may have said, with {@code Retry-After}, for how long (RFC 9110 §10.2.3). */
public final class WebSeedBusyException extends WebSeedException {

    private final Duration retryAfter;

    public WebSeedBusyException(String message, Duration retryAfter) {
        super(message, null);
        this.retryAfter = retryAfter;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
