package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/**
 * The API's thread pool gives back a busy spell's threads together: Jetty's default ends one idle thread per idle
 * timeout, which kept a soak's daemon at 11 API threads five minutes into an idle (bench/README.md, session 20).
 */
class ApiThreadPoolTest {

    @Test
    void everyThreadAboveTheIdleFewMayEndInTheSameIdleTimeout() {
        QueuedThreadPool pool = ApiServer.threadPool();
        assertEquals(ApiServer.THREADS, pool.getMaxThreads());
        assertEquals(ApiServer.IDLE_THREADS, pool.getMinThreads());
        assertEquals(pool.getMaxThreads() - pool.getMinThreads(), pool.getMaxEvictCount(),
                "Jetty's default (1) ends one idle thread per idle timeout");
        assertEquals("api", pool.getName());
    }
}
