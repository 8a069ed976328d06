package dev.magnetar.webseed;

import java.time.Duration;

/**
 * A web seed request failed. The subclass says what to do next: {@link WebSeedRefusedException} — drop
 * the seed; {@link WebSeedBusyException} — wait as long as the server asked, then try again; this class
 * itself — a transient failure (connection refused, timeout, a short or malformed reply, a 404 while a
 * mirror syncs): back off and try again.
 */
public class WebSeedException extends Exception {

    public WebSeedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** How long the server asked us to wait before asking again, or null if it did not say. */
    public Duration retryAfter() {
        return null;
    }
}
