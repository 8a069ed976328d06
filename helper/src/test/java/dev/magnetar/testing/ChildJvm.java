package dev.magnetar.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that start another JVM like the test's own: the same {@code java} and the same class path. */
public final class ChildJvm {

    private ChildJvm() {}

    /** {@code java -cp <this class path> mainClass args...} */
    public static List<String> command(String mainClass, String... args) {
        return command(List.of(), mainClass, args);
    }

    /**
     * Runs {@code java jvmOptions... args...} (no class path: e.g. {@code -version}) to its end and returns what
     * it printed, stdout and stderr together; fails the test when it exits with anything but 0.
     */
    public static String outputOf(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(jvmOptions);
        c.addAll(List.of(args));
        return outputOf(c);
    }

    /** Runs {@code mainClass} in a JVM like this one with {@code jvmOptions}, as {@link #outputOf(List, String...)}. */
    public static String outputOf(List<String> jvmOptions, Class<?> mainClass) throws IOException, InterruptedException {
        return outputOf(command(jvmOptions, mainClass.getName()));
    }

    private static String outputOf(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** {@code java jvmOptions... -cp <this class path> mainClass args...} */
    public static List<String> command(List<String> jvmOptions, String mainClass, String... args) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(jvmOptions);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(mainClass);
        c.addAll(List.of(args));
        return c;
    }
}
