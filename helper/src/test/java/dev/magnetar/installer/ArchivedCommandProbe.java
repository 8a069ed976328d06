package dev.magnetar.installer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The main class of the small jar {@link LauncherScriptsTest} archives and then runs through the command's script:
 * prints its arguments and the class archives (.jsa files) this process has mapped (Linux: /proc/self/maps).
 */
public final class ArchivedCommandProbe {

    private ArchivedCommandProbe() {}

    public static void main(String[] args) throws IOException {
        System.out.println("ran " + String.join(" ", args));
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            maps.filter(line -> line.endsWith(".jsa")).map(line -> line.substring(line.lastIndexOf(' ') + 1)).distinct()
                    .forEach(file -> System.out.println("mapped " + file));
        }
    }
}
