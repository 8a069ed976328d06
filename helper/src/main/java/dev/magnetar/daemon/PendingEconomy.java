package dev.magnetar.daemon;

import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentEconomy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's economy while the daemon's TRON connection has not started yet: a torrent takes its
 * economy once, when it is created, so the first torrent (restored or added) begins the start, and
 * every torrent created before it ends waits for it and then takes the speed economy (or plain
 * BitTorrent if speed stayed off) rather than running without speed until the next restart. A daemon
 * with a wallet and no torrents so never starts the chain (tens of MiB: the devnet, gRPC, Trident)
 * until something needs it.
 */
final class PendingEconomy implements TorrentEconomy.Factory {

    private static final TorrentEconomy.Factory PLAIN = torrent -> TorrentEconomy.NONE;

    private final CompletableFuture<TorrentEconomy.Factory> settled = new CompletableFuture<>();
    private final Runnable beginStart;

    /** @param beginStart begins the start that {@link #settle} ends, if it has not begun; returns at once */
    PendingEconomy(Runnable beginStart) {
        this.beginStart = beginStart;
    }

    /** The start has ended: with the speed economy, or empty when speed is off. */
    void settle(Optional<? extends TorrentEconomy.Factory> economy) {
        settled.complete(economy.<TorrentEconomy.Factory>map(f -> f).orElse(PLAIN));
    }

    @Override
    public TorrentEconomy attach(Torrent torrent) {
        if (!settled.isDone()) {
            beginStart.run();
        }
        return settled.join().attach(torrent);
    }
}
