package dev.magnetar.nativehost;

import dev.magnetar.util.JvmFlags;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The daemon's application class-data sharing archive (AppCDS; one static archive of the JDK's and the jars' classes): the
 * daemon loads ~5 500 classes before its API answers, and parsing and verifying them is about half
 * of a cold start's CPU. Mapped from an archive instead, start-up to "API ready" went from 1.8–2.0 s
 * to 1.03–1.06 s here, and its CPU from 3.0–3.3 s to 1.7–1.8 s (bench/README.md).
 *
 * <p>Java 17 has no {@code -XX:+AutoCreateSharedArchive} (JDK 19), so this does its job: the first
 * daemon starts without an archive and a training run ({@link ClassArchiveTraining}) beside it writes one
 * of a start's classes only (the .deb's postinst makes a dynamic one the same way); later daemons map it with
 * {@code -XX:SharedArchiveFile}.
 * (The first daemon itself no longer writes it at its exit: by then it holds whatever its user did, a wallet's
 * and a download's classes, and every later daemon would map all of it.) The file name carries a key of the JVM and of
 * every jar's path, size and time, so a new helper or a Java update starts a new archive instead of
 * offering the JVM one it would reject (with a warning each start); archives of older keys are
 * deleted. The JVM validates the archive too, and runs without it if it is unusable.
 */
final class DaemonClassArchive {

    static final String PREFIX = "daemon-";
    static final String SUFFIX = ".jsa";

    private final Path directory;

    /** @param directory where archives live (the data directory's cache) */
    DaemonClassArchive(Path directory) {
        this.directory = directory;
    }

    /**
     * What a daemon start does about the archive: map it ({@code daemonFlags}), or start without one and,
     * when {@code train} is present, have the training run ({@link ClassArchiveTraining}) write it there.
     */
    record Plan(List<String> daemonFlags, Optional<Path> train) {
        static Plan none() {
            return new Plan(List.of(), Optional.empty());
        }
    }

    /**
     * The archive for this class path: mapped when there is one; a training run's finished archive is
     * put in place first (its process has ended once its lock is free); otherwise the daemon starts
     * without and a training run is asked for, unless one runs. Nothing when the class path has anything
     * but jar files (CDS archives classes from jars only: a development run from class folders starts as before).
     */
    Plan plan(String classPath, String jvmIdentity) {
        Optional<Path> archive = archiveFor(classPath, jvmIdentity);
        if (archive.isEmpty()) {
            return Plan.none();
        }
        Path file = archive.get();
        Path partial = partial(file);
        deleteOthers(file, partial);
        if (nonEmpty(file)) {
            return new Plan(List.of(JvmFlags.useClassArchive(file.toString())), Optional.empty());
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            return Plan.none(); // nowhere to write it: start without
        }
        if (ClassArchiveTraining.running(ClassArchiveTraining.lockFile(partial))) {
            return Plan.none();
        }
        if (nonEmpty(partial)) {
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return new Plan(List.of(JvmFlags.useClassArchive(file.toString())), Optional.empty());
            } catch (IOException e) {
                return Plan.none(); // another launcher moved it a moment ago, or the folder went read-only
            }
        }
        return new Plan(List.of(), Optional.of(partial));
    }

    /** Where a training run writes the archive, until a launcher finds it whole and moves it to {@code archive}. */
    static Path partial(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".part");
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.size(file) > 0;
        } catch (IOException e) {
            return false; // not there (yet)
        }
    }

    /** The archive for this class path and JVM, or empty when the class path cannot be archived. */
    Optional<Path> archiveFor(String classPath, String jvmIdentity) {
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (!entry.toLowerCase(Locale.ROOT).endsWith(".jar") || !Files.isRegularFile(p)) {
                return Optional.empty();
            }
            jars.add(p);
        }
        try {
            MessageDigest key = MessageDigest.getInstance("SHA-256");
            key.update(jvmIdentity.getBytes(StandardCharsets.UTF_8));
            for (Path jar : jars) {
                key.update(("\n" + jar + "\n" + Files.size(jar) + "\n" + Files.getLastModifiedTime(jar).toMillis())
                        .getBytes(StandardCharsets.UTF_8));
            }
            return Optional.of(directory.resolve(PREFIX + HexFormat.of().formatHex(key.digest(), 0, 8) + SUFFIX));
        } catch (IOException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The running JVM, as far as an archive depends on it: its home and exact build. */
    static String currentJvm() {
        return System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version");
    }

    private void deleteOthers(Path keep, Path keepPartial) {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX + "*")) {
            for (Path p : old) {
                if (!p.equals(keep) && !p.equals(keepPartial) && !p.equals(ClassArchiveTraining.lockFile(keepPartial))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // best effort: a stale archive only takes disk space
        }
    }
}
