package dev.magnetar.daemon;

import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentEconomy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's economy while the daemon's TRON connection is still starting after the API went up: a
 * torrent takes its economy once, when it is created, so one added through the API in that window
 * waits for the start to end and then takes the speed economy (or plain BitTorrent if speed stayed
 * off) rather than running without speed until the next restart.
 */
final class PendingEconomy implements TorrentEconomy.Factory {

    private static final TorrentEconomy.Factory PLAIN = torrent -> TorrentEconomy.NONE;

    private final CompletableFuture<TorrentEconomy.Factory> settled = new CompletableFuture<>();

    /** The start has ended: with the speed economy, or empty when speed is off. */
    void settle(Optional<? extends TorrentEconomy.Factory> economy) {
        settled.complete(economy.<TorrentEconomy.Factory>map(f -> f).orElse(PLAIN));
    }

    @Override
    public TorrentEconomy attach(Torrent torrent) {
        return settled.join().attach(torrent);
    }
}
