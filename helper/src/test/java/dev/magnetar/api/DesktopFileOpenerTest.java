package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command each desktop's default-application launcher gets; nothing is launched here. */
class DesktopFileOpenerTest {

    private static final String TARGET = "/home/u/Downloads/a film; rm -rf ~.mkv";

    @Test
    void linuxUsesXdgOpenWithTheTargetAsOneArgument() {
        assertEquals(List.of("xdg-open", TARGET), new DesktopFileOpener("Linux").command(TARGET));
        assertEquals(List.of("xdg-open", TARGET), new DesktopFileOpener("FreeBSD").command(TARGET));
    }

    @Test
    void macOsUsesOpen() {
        assertEquals(List.of("open", TARGET), new DesktopFileOpener("Mac OS X").command(TARGET));
    }

    @Test
    void windowsUsesTheShellsHandlerWithoutCmdWhichWouldParseAnAmpersandInTheName() {
        String target = "C:\\x\\rock & roll.mkv";
        assertEquals(List.of("rundll32", "url.dll,FileProtocolHandler", target), new DesktopFileOpener("Windows 11").command(target));
    }
}
