package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command each desktop's opener gets, and what a failing opener reports; no desktop app is launched. */
class DesktopOpenerTest {

    @TempDir
    Path dir;

    @Test
    void eachSystemHasItsOwnOpener() {
        assertEquals(List.of("xdg-open"), DesktopOpener.commandFor("Linux"));
        assertEquals(List.of("xdg-open"), DesktopOpener.commandFor("FreeBSD"));
        assertEquals(List.of("open"), DesktopOpener.commandFor("Mac OS X"));
        // Not cmd /c start, which would parse an ampersand in the name.
        assertEquals(List.of("rundll32", "url.dll,FileProtocolHandler"), DesktopOpener.commandFor("Windows 11"));
    }

    @Test
    void theTargetIsOneArgumentWhateverItHolds() throws Exception {
        Path log = dir.resolve("args");
        Path script = recorder("printf '%s\\n' \"$#\" \"$1\" > '" + log + "'");
        String target = dir.resolve("a film; rm -rf ~ & $(x).mkv").toString();
        new DesktopOpener(List.of(script.toString())).open(target);
        assertEquals(List.of("1", target), Files.readAllLines(log));
    }

    @Test
    void anOpenerThatFailsOrIsMissingSaysWhatToDo() throws Exception {
        DesktopOpener failing = new DesktopOpener(List.of(recorder("exit 3").toString()));
        DesktopOpener.OpenFailedException failed = assertThrows(DesktopOpener.OpenFailedException.class, () -> failing.open("/x.mkv"));
        assertTrue(failed.getMessage().contains("exit status 3"), failed.getMessage());
        DesktopOpener missing = new DesktopOpener(List.of(dir.resolve("no-such-opener").toString()));
        DesktopOpener.OpenFailedException absent = assertThrows(DesktopOpener.OpenFailedException.class, () -> missing.open("/x.mkv"));
        assertTrue(absent.getMessage().contains("install xdg-utils"), absent.getMessage());
    }

    private Path recorder(String body) throws Exception {
        Path script = dir.resolve("opener-" + body.hashCode() + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
