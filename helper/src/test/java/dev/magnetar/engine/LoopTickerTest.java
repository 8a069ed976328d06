package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopTickerTest {

    private final EventLoop loop = new DefaultEventLoop();
    private final LoopTicker ticker = new LoopTicker(loop, 5);

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void aTickThatThrowsDoesNotStopItselfOrTheOthers() throws Exception {
        AtomicInteger failing = new AtomicInteger();
        CountDownLatch healthy = new CountDownLatch(3);
        onLoop(() -> {
            ticker.register(() -> {
                failing.incrementAndGet();
                throw new IllegalStateException("a bug in one torrent");
            });
            return ticker.register(healthy::countDown);
        });
        assertTrue(healthy.await(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS), "the healthy tick stopped");
        // Same round, registered first: it ran before each of the healthy tick's runs.
        assertTrue(failing.get() >= 3, "the failing tick ran " + failing.get() + " times");
    }

    @Test
    void aCancelledTickNeverRunsAgainWhileTheOthersGoOn() throws Exception {
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger kept = new AtomicInteger();
        Runnable cancel = onLoop(() -> {
            Runnable c = ticker.register(cancelled::incrementAndGet);
            ticker.register(kept::incrementAndGet);
            return c;
        });
        int atCancel = onLoop(() -> {
            cancel.run();
            return cancelled.get();
        });
        int keptAtCancel = onLoop(kept::get);
        CountDownLatch threeMore = new CountDownLatch(1);
        onLoop(() -> ticker.register(() -> {
            if (kept.get() >= keptAtCancel + 3) {
                threeMore.countDown();
            }
        }));
        assertTrue(threeMore.await(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS), "the kept tick stopped");
        assertEquals(atCancel, cancelled.get());
        assertEquals(2, (int) onLoop(ticker::registered));
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> work) throws Exception {
        AtomicReference<T> out = new AtomicReference<>();
        loop.submit(() -> {
            out.set(work.call());
            return null;
        }).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
        return out.get();
    }
}
