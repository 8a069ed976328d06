package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.magnetar.engine.TorrentEconomy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A torrent created while the chain starts takes the economy the start ends with, never plain BitTorrent by accident. */
class PendingEconomyTest {

    private final TorrentEconomy speed = new TorrentEconomy() {};
    private final TorrentEconomy.Factory speedFactory = torrent -> speed;

    @Test
    void aTorrentCreatedBeforeTheStartEndsTakesTheSpeedEconomyItEndsWith() {
        PendingEconomy pending = new PendingEconomy(() -> { });
        CompletableFuture<TorrentEconomy> created = CompletableFuture.supplyAsync(() -> pending.attach(null));
        pending.settle(Optional.of(speedFactory));
        assertSame(speed, created.join());
    }

    @Test
    void aTorrentCreatedAfterTheStartTakesItsEconomyAtOnce() {
        PendingEconomy pending = new PendingEconomy(() -> { });
        pending.settle(Optional.of(speedFactory));
        assertSame(speed, pending.attach(null));
    }

    @Test
    void whenSpeedStaysOffTorrentsRunPlainBitTorrent() {
        PendingEconomy pending = new PendingEconomy(() -> { });
        pending.settle(Optional.empty());
        assertSame(TorrentEconomy.NONE, pending.attach(null));
        assertFalse(TorrentEconomy.NONE == speed);
    }

    @Test
    void theFirstTorrentBeginsTheStartAndNothingBeginsItBefore() throws InterruptedException {
        AtomicInteger begun = new AtomicInteger();
        CountDownLatch beginAsked = new CountDownLatch(1);
        PendingEconomy pending = new PendingEconomy(() -> {
            begun.incrementAndGet();
            beginAsked.countDown();
        });
        assertEquals(0, begun.get(), "no torrent yet: the chain stays off");
        CompletableFuture<TorrentEconomy> created = CompletableFuture.supplyAsync(() -> pending.attach(null));
        beginAsked.await();
        pending.settle(Optional.of(speedFactory));
        assertSame(speed, created.join());
        pending.attach(null);
        assertEquals(1, begun.get(), "a torrent created after the start ended begins nothing");
    }
}
