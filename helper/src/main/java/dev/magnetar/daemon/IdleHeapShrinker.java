package dev.magnetar.daemon;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
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
 * once per {@link #MIN_SPACING_NANOS} — except once after torrents were removed: what they held is
 * garbage then, and a user who removes torrents to free memory should see it back within a minute or
 * two, not after the spacing.
 */
public final class IdleHeapShrinker {

    private static final Logger LOG = LoggerFactory.getLogger(IdleHeapShrinker.class);
    static final long CHECK_SECONDS = 60;
    /** Below this the heap is about what an idle daemon needs anyway: nothing worth a collection. */
    static final long MIN_COMMITTED_BYTES = 32L * 1024 * 1024;
    /**
     * Used heap moving less than this between two checks a minute apart means the daemon is quiet
     * (transfers allocate tens of MiB a second; an idle daemon's ticks and DHT a few hundred KiB a
     * minute). Used heap includes garbage, so it says little about the live set; its change says
     * how busy the daemon is.
     */
    static final long QUIET_BYTES = 4L * 1024 * 1024;
    static final long MIN_SPACING_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final LongSupplier committedBytes;
    private final LongSupplier freeBytes;
    private final LongSupplier nanoTime;
    private final IntSupplier torrentCount;
    private final Runnable collect;
    private long previousUsed = -1;
    private int previousTorrentCount = -1;
    /** Whether torrents were removed since the last collection asked here. */
    private boolean removedSinceLastCollect;
    private long lastCollectNanos;
    private long committedAfterLastCollect = -1;
    /** Whether the daemon was busy at some check since the last collection asked here. */
    private boolean busySinceLastCollect;
    /**
     * Whether one more collection is owed at the next quiet check, spacing or not: the last one was asked because torrents
     * were removed and still left more heap than an idle daemon needs. It may have come while the removal was still under
     * way — a soak's daemon collected in its last cycle's removals, found 34 MiB alive, and its spacing kept the next
     * collection 18 s past a five-minute final idle (bench/README.md, soak, session 20).
     */
    private boolean owedAfterRemoval;

    IdleHeapShrinker(LongSupplier committedBytes, LongSupplier freeBytes, LongSupplier nanoTime, IntSupplier torrentCount,
                     Runnable collect) {
        this.committedBytes = committedBytes;
        this.freeBytes = freeBytes;
        this.nanoTime = nanoTime;
        this.torrentCount = torrentCount;
        this.collect = collect;
    }

    /**
     * Checks the heap every {@link #CHECK_SECONDS} on a daemon thread of its own, for the life of the process;
     * its collections leave the heap sized for idling ({@link IdleCollection}); after each collection it asks
     * here, the C heap the JVM has freed is handed back too ({@link NativeHeapTrim#afterIdleCollection}), and what the
     * engine's pooled direct memory still holds is logged ({@link NettyPoolReport}).
     *
     * @param torrentCount how many torrents the daemon holds now
     */
    public static void startForThisProcess(IntSupplier torrentCount) {
        Runtime rt = Runtime.getRuntime();
        Runnable trim = NativeHeapTrim.afterIdleCollection();
        IdleHeapShrinker shrinker = new IdleHeapShrinker(rt::totalMemory, rt::freeMemory, System::nanoTime, torrentCount, () -> {
            IdleCollection.run();
            trim.run();
            if (ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pooled) {
                LOG.info("idle: {}", NettyPoolReport.describe(pooled.metric()));
            }
        });
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("idle-heap-shrinker", true));
        timer.scheduleWithFixedDelay(shrinker::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Collects (and so lets the heap shrink) when the daemon is quiet, its heap is above what an idle
     * daemon needs, and it has been busy or its heap has grown since the last collection asked here;
     * at most once per five minutes, unless torrents were removed since the last collection (and then once more at the next
     * quiet check if that collection still left a heap above an idle one's). Not "only when the heap has grown": a collection during a quiet
     * minute between busy ones finds a download's buffers alive and leaves a large heap, and the smaller
     * heap of the daemon once every torrent is gone would then never be collected (a soak saw 76 MiB
     * committed for 27 MiB live, for good).
     */
    void check() {
        long committed = committedBytes.getAsLong();
        long used = committed - freeBytes.getAsLong();
        long now = nanoTime.getAsLong();
        int torrents = torrentCount.getAsInt();
        boolean quiet = previousUsed >= 0 && Math.abs(used - previousUsed) <= QUIET_BYTES;
        previousUsed = used;
        if (previousTorrentCount >= 0 && torrents < previousTorrentCount) {
            removedSinceLastCollect = true;
        }
        previousTorrentCount = torrents;
        if (!quiet) {
            busySinceLastCollect = true;
        }
        if (!quiet || committed < MIN_COMMITTED_BYTES
                || (committed <= committedAfterLastCollect && !busySinceLastCollect && !removedSinceLastCollect && !owedAfterRemoval)) {
            return;
        }
        if (committedAfterLastCollect >= 0 && now - lastCollectNanos < MIN_SPACING_NANOS && !removedSinceLastCollect
                && !owedAfterRemoval) {
            return;
        }
        boolean askedForRemovals = removedSinceLastCollect;
        collect.run();
        busySinceLastCollect = false;
        removedSinceLastCollect = false;
        lastCollectNanos = now;
        committedAfterLastCollect = committedBytes.getAsLong();
        // Once only: the collection owed is not itself asked for removals (unless more torrents went meanwhile).
        owedAfterRemoval = askedForRemovals && committedAfterLastCollect >= MIN_COMMITTED_BYTES;
        previousUsed = committedAfterLastCollect - freeBytes.getAsLong();
        LOG.debug("quiet daemon with {} torrents and a {} MiB heap: collected, now {} MiB", torrents, committed >> 20,
                committedAfterLastCollect >> 20);
    }
}
