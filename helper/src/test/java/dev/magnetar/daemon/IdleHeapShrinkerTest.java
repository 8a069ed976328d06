package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the daemon asks for a collection so that an emptied heap can shrink, and when it leaves the heap alone. */
class IdleHeapShrinkerTest {

    private static final long MIB = 1024 * 1024;

    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong free = new AtomicLong();
    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final AtomicInteger collections = new AtomicInteger();
    private final IdleHeapShrinker shrinker = new IdleHeapShrinker(committed::get, free::get, now::get, () -> {
        collections.incrementAndGet();
        committed.set(30 * MIB); // what a full collection does with MaxHeapFreeRatio
        free.set(8 * MIB);
    });

    @Test
    void aMostlyEmptyHeapIsCollectedSoItCanShrink() {
        committed.set(90 * MIB);
        free.set(66 * MIB); // torrents removed: 24 MiB live in a heap sized for the peak
        shrinker.check();
        assertEquals(1, collections.get());
    }

    @Test
    void aHeapThatIsMostlyInUseIsLeftAlone() {
        committed.set(90 * MIB);
        free.set(40 * MIB);
        shrinker.check();
        assertEquals(0, collections.get());
    }

    @Test
    void aSmallHeapIsLeftAloneEvenWhenMostlyEmpty() {
        committed.set(20 * MIB);
        free.set(15 * MIB);
        shrinker.check();
        assertEquals(0, collections.get());
    }

    @Test
    void collectionsAreSpacedEvenWhenTheHeapFillsAndEmptiesAgain() {
        committed.set(90 * MIB);
        free.set(66 * MIB);
        shrinker.check();
        committed.set(90 * MIB); // a download grew it again at once
        free.set(66 * MIB);
        now.addAndGet(TimeUnit.MINUTES.toNanos(1));
        shrinker.check();
        assertEquals(1, collections.get(), "collected again within the minimum spacing");
        now.addAndGet(IdleHeapShrinker.MIN_SPACING_NANOS);
        shrinker.check();
        assertEquals(2, collections.get());
    }
}
