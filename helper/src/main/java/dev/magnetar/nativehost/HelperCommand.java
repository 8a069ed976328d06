package dev.magnetar.nativehost;

import dev.magnetar.util.UserDirectories;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How the user runs the {@code magnetar} command on this machine, as the extension prints it in advice
 * ("create one with … wallet create"). The installer links {@code ~/.local/bin/magnetar}, which many
 * desktops do not put on PATH: then the advice must name the launcher by its full path, or it fails.
 */
final class HelperCommand {

    static final String NAME = "magnetar";

    private HelperCommand() {}

    /**
     * {@code magnetar} when a directory on {@code pathEnv} holds it; else the first installed launcher
     * that exists; else {@code java -jar <jar>} for a helper run from a build; else {@code magnetar}.
     *
     * @param installedLaunchers where an install puts the command, in the order the user should prefer
     * @param runningJar the jar this process runs from, if any
     */
    static String commandLine(String pathEnv, List<Path> installedLaunchers, Optional<Path> runningJar, Predicate<Path> isExecutable) {
        if (pathEnv != null) {
            for (String dir : pathEnv.split(File.pathSeparator)) {
                if (!dir.isEmpty() && (isExecutable.test(Path.of(dir, NAME)) || isExecutable.test(Path.of(dir, NAME + ".cmd")))) {
                    return NAME;
                }
            }
        }
        for (Path launcher : installedLaunchers) {
            if (isExecutable.test(launcher)) {
                return launcher.toString();
            }
        }
        return runningJar.map(jar -> "java -jar " + jar).orElse(NAME);
    }

    /** For this process: its PATH, the installer's launchers for this user, and its own jar. */
    static String current() {
        Optional<Path> jar = runningJar();
        List<Path> launchers = new ArrayList<>();
        launchers.add(UserDirectories.current().home().resolve(".local").resolve("bin").resolve(NAME));
        // InstallLayout: the jar sits in the prefix, the launchers in its bin folder.
        jar.map(Path::getParent).ifPresent(prefix -> {
            launchers.add(prefix.resolve("bin").resolve(NAME));
            launchers.add(prefix.resolve("bin").resolve(NAME + ".cmd"));
        });
        return commandLine(System.getenv("PATH"), launchers, jar, p -> Files.isRegularFile(p) && Files.isExecutable(p));
    }

    private static Optional<Path> runningJar() {
        try {
            var source = HelperCommand.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path p = Path.of(source.getLocation().toURI());
            return p.toString().endsWith(".jar") ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
