package dev.magnetar.nativehost;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a file or folder to the desktop: the file manager for a folder, the default application for a
 * file. Runs the platform's own opener ({@code xdg-open} from freedesktop.org's xdg-utils on Linux and
 * the BSDs, {@code open} on macOS, {@code explorer} on Windows) as a process with the path as its one
 * argument — never through a shell, so no character of a file name is ever interpreted.
 */
public final class DesktopOpener {

    private static final Logger LOG = LoggerFactory.getLogger(DesktopOpener.class);
    /** xdg-open normally returns at once; a desktop that keeps it running until the app exits has opened it. */
    private static final long EXIT_WAIT_SECONDS = 5;

    private final List<String> command;

    /** @param command the opener and any fixed arguments before the path */
    DesktopOpener(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** The opener of the OS this runs on. */
    public static DesktopOpener forThisSystem() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return new DesktopOpener(List.of("open"));
        }
        if (os.contains("win")) {
            return new DesktopOpener(List.of("explorer"));
        }
        return new DesktopOpener(List.of("xdg-open"));
    }

    /** Opens {@code path}; throws with what to do when the opener is missing or says it failed. */
    void open(Path path) throws OpenFailedException, InterruptedException {
        List<String> argv = new ArrayList<>(command);
        argv.add(path.toString());
        Process p;
        try {
            p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    // The host's stdout is the browser channel: the opener must never write to it.
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new OpenFailedException("cannot run " + command.get(0) + " to open files (" + e.getMessage()
                    + "); install xdg-utils, or open " + path + " yourself");
        }
        if (p.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS) && p.exitValue() != 0) {
            // xdg-open exit codes: 1 syntax, 2 file missing, 3 no tool found, 4 the action failed.
            throw new OpenFailedException(command.get(0) + " could not open " + path + " (exit status " + p.exitValue()
                    + "); is there an application for this kind of file?");
        }
        LOG.info("opened {} with {}", path, command.get(0));
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win") ? "NUL" : "/dev/null");
    }

    /** The opener is missing or reported a failure. */
    static final class OpenFailedException extends Exception {
        OpenFailedException(String message) {
            super(message);
        }
    }
}
