package dev.magnetar.engine;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The once-a-tick work of every torrent on one event loop, run as one scheduled task. A timer per
 * torrent woke the loop a thousand times a second with a thousand torrents, most of them idle; the
 * wake-ups, not the ticks, were most of an idle daemon's CPU (bench/README.md). Now the loop wakes
 * once a tick whatever the number of torrents, and the timer runs only while a torrent is registered.
 * Everything runs on the loop: register, cancel and the ticks themselves.
 */
final class LoopTicker {

    private static final Logger log = LoggerFactory.getLogger(LoopTicker.class);

    private final EventLoop loop;
    private final long periodMillis;
    private final List<Runnable> ticks = new ArrayList<>();
    private ScheduledFuture<?> timer;

    LoopTicker(EventLoop loop, long periodMillis) {
        this.loop = loop;
        this.periodMillis = periodMillis;
    }

    /** Adds {@code tick} to the next rounds; returns what removes it. Call on the loop. */
    Runnable register(Runnable tick) {
        assert loop.inEventLoop();
        ticks.add(tick);
        if (timer == null) {
            timer = loop.scheduleAtFixedRate(this::round, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
        return () -> cancel(tick);
    }

    private void cancel(Runnable tick) {
        assert loop.inEventLoop();
        ticks.remove(tick);
        if (ticks.isEmpty() && timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** One round; a tick that throws is logged and the others still run (a scheduled task that throws would stop for good). */
    private void round() {
        for (Runnable tick : ticks.toArray(Runnable[]::new)) {
            try {
                tick.run();
            } catch (RuntimeException e) {
                log.warn("a torrent's tick failed; the next round runs it again", e);
            }
        }
    }

    int registered() {
        return ticks.size();
    }
}
