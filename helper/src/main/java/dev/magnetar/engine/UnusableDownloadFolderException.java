package dev.magnetar.engine;

/** A torrent's download folder cannot take its files (not writable, read-only, full); the message says what to do. */
public final class UnusableDownloadFolderException extends TorrentControlException {

    public UnusableDownloadFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
