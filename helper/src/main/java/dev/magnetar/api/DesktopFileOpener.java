package dev.magnetar.api;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@link FileOpener} through the desktop's own launcher: {@code xdg-open} (freedesktop.org), macOS's
 * {@code open}, Windows' {@code start} (a cmd built-in). The target is one argument of the command,
 * never parsed by a shell, except that {@code start} needs cmd, whose first quoted argument is a window
 * title (hence the empty one).
 */
final class DesktopFileOpener implements FileOpener {

    private final String osName;

    DesktopFileOpener(String osName) {
        this.osName = osName.toLowerCase(Locale.ROOT);
    }

    static DesktopFileOpener forThisMachine() {
        return new DesktopFileOpener(System.getProperty("os.name", ""));
    }

    /** The command that opens {@code target} here. */
    List<String> command(String target) {
        if (osName.startsWith("windows")) {
            return List.of("cmd", "/c", "start", "", target);
        }
        if (osName.startsWith("mac")) {
            return List.of("open", target);
        }
        return List.of("xdg-open", target);
    }

    @Override
    public void open(String target) throws IOException {
        new ProcessBuilder(command(target)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
