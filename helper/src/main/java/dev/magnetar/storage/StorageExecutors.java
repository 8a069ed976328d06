package dev.magnetar.storage;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The few threads that do all disk work for every torrent of the process: a small disk pool for
 * positional reads and writes, a small hashing pool for SHA-1 and SHA-256, and one timer for debounced resume
 * saves. Nothing here ever runs on a Netty event loop, and the thread counts stay fixed no matter how
 * many torrents or peers there are (DESIGN.md: disk and hashing on small bounded pools).
 *
 * <p>Disk and hashing threads end after {@link #IDLE_THREAD_TIMEOUT} without work and start again with the
 * next piece: a daemon left running with nothing to download or seed keeps none of them, nor what each
 * holds beside its stack (the JDK's per-thread cache of temporary direct buffers for file I/O, glibc's
 * per-thread malloc cache).
 */
public final class StorageExecutors implements AutoCloseable {

    public static final int DEFAULT_DISK_THREADS = 2;
    public static final int DEFAULT_HASH_THREADS = 2;
    /** Long enough that a download's or a check's threads never end between two pieces. */
    static final Duration IDLE_THREAD_TIMEOUT = Duration.ofMinutes(1);

    private final ThreadPoolExecutor disk;
    private final ThreadPoolExecutor hashing;
    private final ScheduledThreadPoolExecutor timer;
    /** Per {@link HashingWarmUp.Digest}: whether its warm-up has started. */
    private final AtomicBoolean[] hashingWarmUpStarted = {new AtomicBoolean(), new AtomicBoolean()};

    public StorageExecutors(int diskThreads, int hashThreads) {
        this(diskThreads, hashThreads, IDLE_THREAD_TIMEOUT);
    }

    StorageExecutors(int diskThreads, int hashThreads, Duration idleThreadTimeout) {
        if (diskThreads < 1 || hashThreads < 1) {
            throw new IllegalArgumentException("need at least one disk and one hashing thread");
        }
        this.disk = fixed(diskThreads, "magnetar-disk", idleThreadTimeout);
        this.hashing = fixed(hashThreads, "magnetar-hash", idleThreadTimeout);
        this.timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("magnetar-storage-timer", true));
        this.timer.setRemoveOnCancelPolicy(true);
        // A pending debounced save is dropped at shutdown: closing a torrent saves its resume data itself.
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Two disk threads and two hashing threads. */
    public static StorageExecutors createDefault() {
        return new StorageExecutors(DEFAULT_DISK_THREADS, DEFAULT_HASH_THREADS);
    }

    public ExecutorService disk() {
        return disk;
    }

    public ExecutorService hashing() {
        return hashing;
    }

    /**
     * Starts {@link HashingWarmUp} on the hashing pool for each digest that pieces checked {@code by}
     * need and whose warm-up has not started yet on this instance; called when a torrent's storage opens
     * with pieces still to verify, so a process that hashes nothing (the CLI's {@code info}, a daemon
     * that only seeds) pays nothing, and a v1 download never pays for SHA-256. Returns at once.
     *
     * @return whether this call started one (false: all already started, or the pool is closed)
     */
    public boolean warmUpHashing(VerifiedBy by) {
        boolean started = false;
        if (by != VerifiedBy.MERKLE) {
            started |= warmUp(HashingWarmUp.Digest.SHA1);
        }
        if (by != VerifiedBy.SHA1) {
            started |= warmUp(HashingWarmUp.Digest.MERKLE_SHA256);
        }
        return started;
    }

    private boolean warmUp(HashingWarmUp.Digest digest) {
        if (!hashingWarmUpStarted[digest.ordinal()].compareAndSet(false, true)) {
            return false;
        }
        try {
            hashing.execute(new HashingWarmUp(digest));
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Stops accepting work and waits (bounded) for queued work to finish; close torrents first. */
    @Override
    public void close() {
        timer.shutdown();
        hashing.shutdown();
        disk.shutdown();
        try {
            hashing.awaitTermination(30, TimeUnit.SECONDS);
            disk.awaitTermination(30, TimeUnit.SECONDS);
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadPoolExecutor fixed(int threads, String name, Duration idleThreadTimeout) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, idleThreadTimeout.toNanos(), TimeUnit.NANOSECONDS,
                new LinkedBlockingQueue<>(), new DefaultThreadFactory(name, true));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
