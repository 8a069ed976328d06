package dev.magnetar.engine;

/** The torrent cannot do that in its current state (e.g. recheck before its metadata arrived); the message says why. */
public final class TorrentStateException extends TorrentControlException {

    public TorrentStateException(String message) {
        super(message);
    }
}
