package dev.magnetar.api;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@link FileOpener} through the desktop's own launcher: {@code xdg-open} (freedesktop.org), macOS's
 * {@code open}, and on Windows the shell's file-protocol handler through {@code rundll32} — not
 * {@code cmd /c start}, because cmd parses its command line again and a torrent's file name may hold
 * {@code &} or {@code |}. The target is always one argument, never parsed by a shell.
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
            return List.of("rundll32", "url.dll,FileProtocolHandler", target);
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
