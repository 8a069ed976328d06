package dev.magnetar.testing;

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
