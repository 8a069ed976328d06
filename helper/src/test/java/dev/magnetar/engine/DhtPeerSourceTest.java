package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The DHT rounds' timer does not keep what a cancelled round would have touched, and bounds the lookup rate. */
class DhtPeerSourceTest {

    @Test
    void aCancelledRoundLeavesTheTimersQueueAtOnce() {
        ScheduledThreadPoolExecutor timer = DhtPeerSource.newTimer();
        try {
            byte[] heldByTheRound = new byte[1 << 20];
            ScheduledFuture<?> round = timer.schedule(() -> heldByTheRound.clone(), 5, TimeUnit.MINUTES);
            assertEquals(1, timer.getQueue().size());

            round.cancel(false); // what untrack does when a torrent is removed

            assertEquals(0, timer.getQueue().size(), "the removed torrent's round (and all it holds) is still queued");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aFewTorrentsAskAtTheirOwnIntervalAndAThousandSpreadTheirRoundsOut() {
        java.time.Duration starving = java.time.Duration.ofSeconds(30);
        assertEquals(starving, DhtPeerSource.nextRoundAfter(starving, 10));
        assertEquals(starving, DhtPeerSource.nextRoundAfter(starving, 30 * DhtPeerSource.ROUNDS_PER_SECOND));
        java.time.Duration thousand = DhtPeerSource.nextRoundAfter(starving, 1000);
        // 1,000 torrents each asking once per this interval: no more lookups a second than the bound.
        assertEquals(DhtPeerSource.ROUNDS_PER_SECOND, 1000.0 / thousand.toSeconds(), 0.01);
    }
}
