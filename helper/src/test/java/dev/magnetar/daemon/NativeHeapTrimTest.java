package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ChildJvm;
import dev.magnetar.util.JvmFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeHeapTrimTest {

    @Test
    void aJvmThatHasTheDiagnosticCommandTrimsOnRequest() {
        Runtime.Version v = Runtime.version();
        boolean has = (v.feature() == 17 && v.update() >= 9) || (v.feature() == 21 && v.update() >= 1) || v.feature() >= 22;
        String report = NativeHeapTrim.trim();
        if (has) {
            assertNotNull(report, "this JVM (" + v + ") has System.trim_native_heap");
            assertTrue(report.contains("Trim native heap"), report);
        }
    }

    /**
     * A daemon the native host started trims its C heap through the JVM's own periodic trim; its idle shrinker
     * must not load JMX (the platform MBean server: ~270 classes kept for good) to ask for the same. The same
     * probe without the launcher's trim flags does load it: what the assertion would see if the shrinker asked.
     */
    @Test
    void theIdleShrinkerOfADaemonTheJvmTrimsLoadsNoJmx(@TempDir Path dir) throws IOException, InterruptedException {
        List<String> trimmedByTheJvm = JvmFlags.trimNativeHeap(Runtime.version());
        if (trimmedByTheJvm.isEmpty()) {
            return; // an older JVM: the launcher adds no trim, and the shrinker trims through JMX as it must
        }
        List<String> withJvmTrim = jmxClassesLoadedByTheProbe(dir.resolve("jvm-trims.log"), trimmedByTheJvm);
        assertTrue(withJvmTrim.isEmpty(), "JMX classes loaded though the JVM trims itself: " + withJvmTrim);
        List<String> without = jmxClassesLoadedByTheProbe(dir.resolve("no-jvm-trim.log"), List.of());
        assertFalse(without.isEmpty(), "a daemon started without the trim flags asks through JMX");
    }

    private static List<String> jmxClassesLoadedByTheProbe(Path classLog, List<String> launcherFlags)
            throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>(JvmFlags.HELPER);
        flags.addAll(launcherFlags);
        flags.add("-Xlog:class+load=info:file=" + classLog + "::filecount=0");
        String out = ChildJvm.outputOf(flags, IdleTrimProbe.class);
        assertTrue(out.contains("trimmed"), out);
        return Files.readAllLines(classLog, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(" javax.management.") || l.contains(" com.sun.jmx."))
                .collect(Collectors.toList());
    }
}
