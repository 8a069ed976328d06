package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API starts without the JDK's management (JMX) stack, which Jetty's thread pool would otherwise
 * bring up on the daemon's start-up path ({@link ApiServer}'s cache-line property). Checked in a JVM
 * of its own, from the classes it loaded: the test JVM has JMX loaded by the test runner anyway.
 */
class ApiStartLoadsNoJmxTest {

    @TempDir
    Path tmp;

    @Test
    void startingTheApiLoadsNoJmxClasses() throws Exception {
        Path classLog = tmp.resolve("classes.log");
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(ChildJvm.command(List.of("-Xlog:class+load=info:file=" + classLog),
                        ApiStartProbe.class.getName()))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("API listening on "), output);
        List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("org.eclipse.jetty.util.thread.QueuedThreadPool ")),
                "the class log covers the API's start");
        assertFalse(loaded.stream().anyMatch(l -> l.contains(" javax.management.")),
                "JMX was loaded: " + loaded.stream().filter(l -> l.contains(" javax.management.")).findFirst().orElse(""));
    }
}
