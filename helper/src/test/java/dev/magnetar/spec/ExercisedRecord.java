package dev.magnetar.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the spec's routes, events and native messages a test JVM exercised, appended to a file of its
 * own in a folder all test JVMs of a run share ({@code magnetar.specExercised}, set by the POM and
 * emptied before every run): Surefire runs the test classes in two forks, and {@link SpecCoverageTest}
 * runs after both, in an execution of its own, so it must see what every fork saw. Without the property
 * (a test started from an IDE) nothing is written and only this JVM's traffic counts.
 */
final class ExercisedRecord {

    enum Kind { ROUTE, EVENT, NATIVE }

    private final Path folder;
    private final Path file;

    private ExercisedRecord(Path folder) {
        this.folder = folder;
        this.file = folder == null ? null : folder.resolve(ProcessHandle.current().pid() + ".tsv");
    }

    static ExercisedRecord fromSystemProperty() {
        String folder = System.getProperty("magnetar.specExercised");
        return new ExercisedRecord(folder == null || folder.isBlank() ? null : Path.of(folder));
    }

    /** Appends one newly exercised item; called once per item per JVM, so the file stays small. */
    synchronized void add(Kind kind, String item) {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(folder);
            Files.writeString(file, kind + "\t" + item + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record spec coverage in " + file, e);
        }
    }

    /** {@code own} with every item of this kind any JVM of the run recorded. */
    Set<String> union(Kind kind, Collection<String> own) {
        Set<String> all = new TreeSet<>(own);
        if (folder == null || !Files.isDirectory(folder)) {
            return all;
        }
        String prefix = kind + "\t";
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".tsv")).toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).forEach(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spec coverage recorded in " + folder, e);
        }
        return all;
    }
}
