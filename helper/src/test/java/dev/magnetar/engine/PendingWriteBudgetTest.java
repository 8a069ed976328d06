package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One pending-write budget for all torrents: throttle above the bound, resume at half of it. */
class PendingWriteBudgetTest {

    @Test
    void throttlesAboveTheBoundAndResumesUnderHalfOfIt() {
        AtomicInteger flips = new AtomicInteger();
        PendingWriteBudget budget = new PendingWriteBudget(100, flips::incrementAndGet);
        budget.add(60); // torrent A
        budget.add(40); // torrent B: exactly the bound, still allowed
        assertFalse(budget.throttled());
        budget.add(1); // A again: over the bound, for every torrent
        assertTrue(budget.throttled());
        assertEquals(1, flips.get());
        budget.release(40); // B's piece written: 61 pending, still above half
        assertTrue(budget.throttled(), "hysteresis: no flapping around the bound");
        budget.release(10);
        assertTrue(budget.throttled(), "51 is still above half of 100");
        budget.release(1);
        assertFalse(budget.throttled(), "back to half: read again");
        assertEquals(2, flips.get());
        assertEquals(50, budget.pending());
    }

    @Test
    void theBoundIsShared() {
        // Three torrents with 40 each: each alone is under the bound, together they are over it.
        PendingWriteBudget budget = new PendingWriteBudget(100, () -> { });
        budget.add(40);
        budget.add(40);
        assertFalse(budget.throttled());
        budget.add(40);
        assertTrue(budget.throttled());
    }

    @Test
    void aNonPositiveBoundIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PendingWriteBudget(0, () -> { }));
    }
}
