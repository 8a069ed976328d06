package dev.magnetar.engine;

import java.util.function.LongSupplier;

/** The engine's one production clock for rate meters, limiters and queue sizing. */
final class MonotonicClock {

    /**
     * {@link System#nanoTime()}. One shared instance, not a {@code System::nanoTime} at each use:
     * every method reference is its own class, so meters built from different call sites made the
     * JIT's profile of {@code clock.getAsLong()} polymorphic, and C2 deoptimised and recompiled the
     * hot receive path when a new one turned up (JFR {@code jdk.Deoptimization}, class_check in
     * {@code RateLimiter.refill}).
     */
    static final LongSupplier NANOS = System::nanoTime;

    private MonotonicClock() {}
}
