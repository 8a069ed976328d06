package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.magnetar.engine.TorrentEconomy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A torrent created while the chain starts takes the economy the start ends with, never plain BitTorrent by accident. */
class PendingEconomyTest {

    private final TorrentEconomy speed = new TorrentEconomy() {};
    private final TorrentEconomy.Factory speedFactory = torrent -> speed;

    @Test
    void aTorrentCreatedBeforeTheStartEndsTakesTheSpeedEconomyItEndsWith() {
        PendingEconomy pending = new PendingEconomy();
        CompletableFuture<TorrentEconomy> created = CompletableFuture.supplyAsync(() -> pending.attach(null));
        pending.settle(Optional.of(speedFactory));
        assertSame(speed, created.join());
    }

    @Test
    void aTorrentCreatedAfterTheStartTakesItsEconomyAtOnce() {
        PendingEconomy pending = new PendingEconomy();
        pending.settle(Optional.of(speedFactory));
        assertSame(speed, pending.attach(null));
    }

    @Test
    void whenSpeedStaysOffTorrentsRunPlainBitTorrent() {
        PendingEconomy pending = new PendingEconomy();
        pending.settle(Optional.empty());
        assertSame(TorrentEconomy.NONE, pending.attach(null));
        assertFalse(TorrentEconomy.NONE == speed);
    }
}
