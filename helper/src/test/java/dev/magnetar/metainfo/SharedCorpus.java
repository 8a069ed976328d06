package dev.magnetar.metainfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the shared test corpus (../shared/corpus): from the system property {@code magnetar.shared} that
 * surefire sets, else ../../shared relative to helper/ (the working directory of a test run), else
 * /work/shared. Null if none exists.
 */
public final class SharedCorpus {

    private SharedCorpus() {}

    public static Path find(String relative) {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("magnetar.shared");
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        candidates.add(Path.of("").toAbsolutePath().resolve("../../shared"));
        candidates.add(Path.of("/work/shared"));
        for (Path base : candidates) {
            Path p = base.resolve(relative).normalize();
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }
}
