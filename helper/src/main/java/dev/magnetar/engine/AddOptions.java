package dev.magnetar.engine;

/**
 * How to add a torrent.
 *
 * @param downloadDir where to save; {@code null} means the helper's configured download directory
 * @param awaitChoice once the metadata is known, wait for the user's choice of folder and files
 *     ({@link TorrentControl#startWithChoice}) instead of downloading at once
 */
public record AddOptions(String downloadDir, boolean paused, boolean sequential, boolean awaitChoice) {

    public AddOptions(String downloadDir, boolean paused, boolean sequential) {
        this(downloadDir, paused, sequential, false);
    }

    public static AddOptions defaults() {
        return new AddOptions(null, false, false);
    }
}
