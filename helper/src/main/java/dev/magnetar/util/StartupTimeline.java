package dev.magnetar.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import org.slf4j.Logger;

/**
 * Log lines that place each step of a start on one clock, milliseconds since the JVM's process
 * started, so a slow start in a user's log shows which step it spent its time in (the JVM's own boot
 * and class loading included, which a clock started in {@code main} would miss).
 *
 * <p>On Linux the process's age is read from {@code /proc}: its start in clock ticks since boot
 * ({@code /proc/self/stat}, field 22) against the time since boot ({@code /proc/uptime}), both at
 * 10 ms resolution. {@code ProcessHandle.info().startInstant()} is not used there: the JDK adds
 * those ticks to the boot time of {@code /proc/stat}, which is whole seconds, so every step logged
 * up to a second late (a daemon that answered 670 ms after its start logged "settings read at
 * 1146 ms"). Other systems keep {@code startInstant()}.
 */
public final class StartupTimeline {

    /** USER_HZ: the unit of {@code /proc/self/stat}'s times, 100 on every Linux ABI (proc(5)). */
    private static final long LINUX_TICKS_PER_SECOND = 100;
    /** {@code starttime} is field 22 of {@code /proc/self/stat}; after the command's ')' fields count from 3. */
    private static final int START_TIME_INDEX_AFTER_COMMAND = 22 - 3;

    private static final long NANOS_AT_INIT = System.nanoTime();
    private static final long PROCESS_AGE_MILLIS_AT_INIT = processAgeMillisNow();

    private StartupTimeline() {}

    /** Milliseconds from the JVM's start until now. */
    public static long millisSinceJvmStart() {
        return PROCESS_AGE_MILLIS_AT_INIT + (System.nanoTime() - NANOS_AT_INIT) / 1_000_000;
    }

    /** Logs that {@code step} is done, with the time since the JVM started. */
    public static void mark(Logger log, String step) {
        log.info("start-up: {} at {} ms", step, millisSinceJvmStart());
    }

    private static long processAgeMillisNow() {
        try {
            OptionalLong age = linuxProcessAgeMillis(Files.readString(Path.of("/proc/self/stat")),
                    Files.readString(Path.of("/proc/uptime")));
            if (age.isPresent()) {
                return age.getAsLong();
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc: fall back to the JDK's start instant below
        }
        long started = ProcessHandle.current().info().startInstant()
                .map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis);
        return Math.max(0, System.currentTimeMillis() - started);
    }

    /**
     * The process's age from the text of {@code /proc/self/stat} and {@code /proc/uptime}, or empty
     * when either does not parse. The command name (field 2) may hold spaces and parentheses, so the
     * fields are counted from its last ')'.
     */
    static OptionalLong linuxProcessAgeMillis(String procSelfStat, String procUptime) {
        int endOfCommand = procSelfStat.lastIndexOf(')');
        String[] uptimeFields = procUptime.trim().split("\\s+");
        if (endOfCommand < 0 || uptimeFields.length == 0) {
            return OptionalLong.empty();
        }
        String[] fields = procSelfStat.substring(endOfCommand + 1).trim().split("\\s+");
        if (fields.length <= START_TIME_INDEX_AFTER_COMMAND) {
            return OptionalLong.empty();
        }
        try {
            long startTicks = Long.parseLong(fields[START_TIME_INDEX_AFTER_COMMAND]);
            long uptimeMillis = Math.round(Double.parseDouble(uptimeFields[0]) * 1000);
            long startMillis = startTicks * 1000 / LINUX_TICKS_PER_SECOND;
            return OptionalLong.of(Math.max(0, uptimeMillis - startMillis));
        } catch (NumberFormatException malformed) {
            return OptionalLong.empty();
        }
    }
}
