package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The DHT rounds' timer does not keep what a cancelled round would have touched. */
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
}
