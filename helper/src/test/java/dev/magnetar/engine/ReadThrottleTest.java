package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading pauses and resumes on the transport; timers run on an embedded loop with a hand-driven clock. */
class ReadThrottleTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final RecordingPeerLink link = new RecordingPeerLink();
    private final ReadThrottle throttle = new ReadThrottle(link, loop.eventLoop());

    @AfterEach
    void close() {
        loop.finishAndReleaseAll();
    }

    @Test
    void aLimiterInDebtPausesReadingUntilItHasRefilled() {
        loop.freezeTime();
        RateLimiter limiter = RateLimiter.root(1024, 1024, nanos::get);
        throttle.charged(limiter);
        assertTrue(link.reading, "nothing spent yet");

        limiter.consume(2048);
        throttle.charged(limiter);
        assertFalse(link.reading, "in debt: stop reading");

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
        loop.advanceTimeBy(2, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertTrue(link.reading, "refilled: read again");
    }

    @Test
    void aFullDiskQueuePausesReadingEvenWhenTheRateAllowsIt() {
        throttle.charged(RateLimiter.unlimited(nanos::get));
        throttle.diskFull(true);
        assertFalse(link.reading);
        throttle.diskFull(false);
        assertTrue(link.reading);
    }

    @Test
    void readingResumesOnlyWhenNeitherTheRateNorTheDiskHoldsItBack() {
        loop.freezeTime();
        RateLimiter limiter = RateLimiter.root(1024, 1024, nanos::get);
        limiter.consume(4096);
        throttle.charged(limiter);
        throttle.diskFull(true);
        throttle.diskFull(false);
        assertFalse(link.reading, "the rate limit still holds it back");

        throttle.diskFull(true);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        loop.advanceTimeBy(10, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertFalse(link.reading, "the disk still holds it back");
        throttle.diskFull(false);
        assertTrue(link.reading);
    }
}
