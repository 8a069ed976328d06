package dev.magnetar.util;

import java.time.Instant;
import org.slf4j.Logger;

/**
 * Log lines that place each step of a start on one clock, milliseconds since the JVM started, so a
 * slow start in a user's log shows which step it spent its time in (the JVM's own boot and class
 * loading included, which a clock started in {@code main} would miss). The process start time comes
 * from the operating system at a resolution of about 10 ms on Linux: enough for steps of tens of ms.
 */
public final class StartupTimeline {

    private static final long JVM_START_EPOCH_MILLIS = ProcessHandle.current().info().startInstant()
            .map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis);

    private StartupTimeline() {}

    /** Milliseconds from the JVM's start until now. */
    public static long millisSinceJvmStart() {
        return Math.max(0, System.currentTimeMillis() - JVM_START_EPOCH_MILLIS);
    }

    /** Logs that {@code step} is done, with the time since the JVM started. */
    public static void mark(Logger log, String step) {
        log.info("start-up: {} at {} ms", step, millisSinceJvmStart());
    }
}
