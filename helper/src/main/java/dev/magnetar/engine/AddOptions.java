package dev.magnetar.engine;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * How to add a torrent.
 *
 * @param downloadDir where to save; {@code null} means the helper's configured download directory
 * @param awaitChoice once the metadata is known, wait for the user's choice of folder and files
 *     ({@link TorrentControl#startWithChoice}) instead of downloading at once
 * @param peers peers to connect to at once, as the CLI's {@code --peer} does; the session list keeps
 *     them, so a restart connects them again
 */
public record AddOptions(String downloadDir, boolean paused, boolean sequential, boolean awaitChoice,
        List<InetSocketAddress> peers) {

    public AddOptions {
        peers = List.copyOf(peers);
    }

    public AddOptions(String downloadDir, boolean paused, boolean sequential, boolean awaitChoice) {
        this(downloadDir, paused, sequential, awaitChoice, List.of());
    }

    public AddOptions(String downloadDir, boolean paused, boolean sequential) {
        this(downloadDir, paused, sequential, false);
    }

    public static AddOptions defaults() {
        return new AddOptions(null, false, false);
    }
}
