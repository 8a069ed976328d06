package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StartupTimelineTest {

    /** A real line of proc(5)'s stat, with a command name that holds a space and a ')'. */
    private static final String STAT = "1876 (we ird) R 1873 1873 30119 0 -1 4194304 123 0 0 0 0 0 0 0 20 0 1 0 "
            + "2678721 3133440 413 18446744073709551615 94133767380992 94133767400873 0 0 0 0 0 0\n";

    @Test
    void theAgeIsTheUptimeLessTheStartTicksAtTenMillisecondsEach() {
        assertEquals(OptionalLong.of(26_788_000 + 370 - 26_787_210),
                StartupTimeline.linuxProcessAgeMillis(STAT, "26788.37 51000.12\n"));
    }

    @Test
    void textThatIsNotProcsGivesNoAge() {
        assertEquals(OptionalLong.empty(), StartupTimeline.linuxProcessAgeMillis("1 (x) R 2 3", "26788.37 1\n"));
        assertEquals(OptionalLong.empty(), StartupTimeline.linuxProcessAgeMillis("no command here", "1.0 1.0"));
        assertEquals(OptionalLong.empty(), StartupTimeline.linuxProcessAgeMillis(STAT, "soon"));
    }

    /**
     * The JVM's own uptime starts a little after its process (the launcher loads libjvm first), so
     * ours is at least the JVM's less one 10 ms tick. The upper bound is loose on purpose, because load
     * stretches the launcher's part: it catches a wrong field or unit, which would be off by far more.
     * Ours is read between two readings of the JVM's, so load between the reads cannot fail it.
     */
    @Test
    void onLinuxTheTimelineAgreesWithTheJvmsOwnUptime() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux's /proc");
        var runtime = ManagementFactory.getRuntimeMXBean();
        long jvmBefore = runtime.getUptime();
        long ours = StartupTimeline.millisSinceJvmStart();
        long jvmAfter = runtime.getUptime();
        assertTrue(ours >= jvmBefore - 10, "timeline " + ours + " ms, the JVM's uptime " + jvmBefore + " ms");
        assertTrue(ours <= jvmAfter + 2_000,
                "timeline " + ours + " ms is far ahead of the JVM's uptime " + jvmAfter + " ms");
    }
}
