package dev.magnetar.util;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a file, a folder or a URL to the desktop: the file manager for a folder, the default application
 * for a file or URL. Runs the platform's own opener as a process with the target as its one argument —
 * {@code xdg-open} (freedesktop.org's xdg-utils) on Linux and the BSDs, {@code open} on macOS, and on
 * Windows the shell's file-protocol handler through {@code rundll32} rather than {@code cmd /c start},
 * because cmd parses its command line again and a torrent's file name may hold {@code &} or {@code |}.
 * No character of a name is ever interpreted by a shell. One class for the native host's "open" and the
 * API's "open in your player".
 */
public final class DesktopOpener {

    private static final Logger LOG = LoggerFactory.getLogger(DesktopOpener.class);
    /** xdg-open normally returns at once; a desktop that keeps it running until the app exits has opened it. */
    private static final long EXIT_WAIT_SECONDS = 5;

    private final List<String> command;

    /** @param command the opener and any fixed arguments before the target (tests pass a recording script) */
    public DesktopOpener(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** The opener of the OS this runs on. */
    public static DesktopOpener forThisSystem() {
        return new DesktopOpener(commandFor(System.getProperty("os.name", "")));
    }

    /** The opener and its fixed arguments for an {@code os.name}. */
    static List<String> commandFor(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return List.of("rundll32", "url.dll,FileProtocolHandler");
        }
        if (os.startsWith("mac")) {
            return List.of("open");
        }
        return List.of("xdg-open");
    }

    /** Opens {@code target} (an absolute path or a URL); throws with what to do when the opener is missing or failed. */
    public void open(String target) throws OpenFailedException {
        List<String> argv = new ArrayList<>(command);
        argv.add(target);
        Process p;
        try {
            p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    // The native host's stdout is the browser channel: the opener must never write to it.
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new OpenFailedException("cannot run " + command.get(0) + " to open files (" + e.getMessage()
                    + "); install xdg-utils, or open " + target + " yourself");
        }
        try {
            if (p.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS) && p.exitValue() != 0) {
                // xdg-open exit codes: 1 syntax, 2 file missing, 3 no tool found, 4 the action failed.
                throw new OpenFailedException(command.get(0) + " could not open " + target + " (exit status " + p.exitValue()
                        + "); is there an application for this kind of file?");
            }
        } catch (InterruptedException e) {
            // Stopping while the desktop opens it: the opener was started, which is all that can be known.
            Thread.currentThread().interrupt();
        }
        LOG.info("opened {} with {}", target, command.get(0));
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null");
    }

    /** The opener is missing or reported a failure. */
    public static final class OpenFailedException extends IOException {
        OpenFailedException(String message) {
            super(message);
        }
    }
}
