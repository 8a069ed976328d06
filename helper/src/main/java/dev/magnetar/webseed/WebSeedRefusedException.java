package dev.magnetar.webseed;

/**
 * A web seed that Magnetar will not use at all: its URL is not http(s), is malformed, or it broke a
 * rule no retry can mend (it ignores HTTP ranges, it sent bytes it was not asked for). The message says
 * which; the torrent goes on with its other sources.
 */
public final class WebSeedRefusedException extends WebSeedException {

    public WebSeedRefusedException(String message) {
        super(message, null);
    }
}
