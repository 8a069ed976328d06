package dev.magnetar.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StorageExecutorsTest {

    private static Thread threadOf(ExecutorService pool) throws Exception {
        return pool.submit(Thread::currentThread).get(30, TimeUnit.SECONDS);
    }

    @Test
    void idleDiskAndHashingThreadsEndAndTheNextPieceStartsANewOne() throws Exception {
        try (StorageExecutors executors = new StorageExecutors(1, 1, Duration.ofMillis(50))) {
            Thread disk = threadOf(executors.disk());
            Thread hashing = threadOf(executors.hashing());

            // Joined, not slept on: each ends on its own once idle, or the join gives up and the assertion fails.
            disk.join(TimeUnit.SECONDS.toMillis(30));
            hashing.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(disk.isAlive(), "an idle disk thread ends");
            assertFalse(hashing.isAlive(), "an idle hashing thread ends");

            Thread nextDisk = threadOf(executors.disk());
            assertNotSame(disk, nextDisk, "new work gets a new thread");
            assertTrue(threadOf(executors.hashing()).getName().startsWith("magnetar-hash"));
        }
    }
}
