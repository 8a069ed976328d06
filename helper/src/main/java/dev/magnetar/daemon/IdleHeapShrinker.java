package dev.magnetar.daemon;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives heap back to the operating system once the daemon no longer needs it. The Serial collector
 * (util.JvmFlags) shrinks the heap only after a full collection, and an idle daemon allocates too
 * little to ever need one: after a user removes hundreds of torrents, or a download ends, the heap
 * stays at its peak size for as long as the daemon runs — weeks. G1's periodic collection
 * ({@code G1PeriodicGCInterval}, JEP 346) does this for G1; for Serial the daemon asks itself. A
 * full collection of the daemon's few tens of MiB takes tens of milliseconds, and this asks at most
 * once per {@link #MIN_SPACING_NANOS}.
 */
public final class IdleHeapShrinker {

    private static final Logger LOG = LoggerFactory.getLogger(IdleHeapShrinker.class);
    static final long CHECK_SECONDS = 60;
    /** Below this much unused heap a collection is not worth its pause. */
    static final long MIN_FREE_BYTES = 16L * 1024 * 1024;
    static final long MIN_SPACING_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final LongSupplier committedBytes;
    private final LongSupplier freeBytes;
    private final LongSupplier nanoTime;
    private final Runnable collect;
    private long lastCollectNanos;
    private boolean collectedBefore;

    IdleHeapShrinker(LongSupplier committedBytes, LongSupplier freeBytes, LongSupplier nanoTime, Runnable collect) {
        this.committedBytes = committedBytes;
        this.freeBytes = freeBytes;
        this.nanoTime = nanoTime;
        this.collect = collect;
    }

    /** Checks the heap every {@link #CHECK_SECONDS} on a daemon thread of its own, for the life of the process. */
    public static void startForThisProcess() {
        Runtime rt = Runtime.getRuntime();
        IdleHeapShrinker shrinker = new IdleHeapShrinker(rt::totalMemory, rt::freeMemory, System::nanoTime, System::gc);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idle-heap-shrinker");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(shrinker::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** Collects (and so lets the heap shrink) when at least half of it, and at least 16 MiB, is unused. */
    void check() {
        long committed = committedBytes.getAsLong();
        long free = freeBytes.getAsLong();
        long now = nanoTime.getAsLong();
        if (free < MIN_FREE_BYTES || free * 2 < committed) {
            return;
        }
        if (collectedBefore && now - lastCollectNanos < MIN_SPACING_NANOS) {
            return;
        }
        collectedBefore = true;
        lastCollectNanos = now;
        collect.run();
        LOG.debug("heap {} MiB with {} MiB unused: collected, now {} MiB", committed >> 20, free >> 20,
                committedBytes.getAsLong() >> 20);
    }
}
