package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFiles() throws Exception {
        Path target = dir.resolve("sub/state.json");
        AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "two".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "temporary files must not be left behind");
        }
    }

    @Test
    void privateFilesAreOwnerOnly() throws Exception {
        Path target = dir.resolve("token");
        AtomicFiles.writePrivate(target, new byte[] {1, 2, 3});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void filesForThisRunAreReplacedWholeAndOwnerOnlyWhenAsked() throws Exception {
        Path target = dir.resolve("run/daemon.json");
        AtomicFiles.writeForThisRun(target, "one".getBytes(StandardCharsets.UTF_8), true);
        AtomicFiles.writeForThisRun(target, "two".getBytes(StandardCharsets.UTF_8), true);
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "temporary files must not be left behind");
        }
    }

    @Test
    void dataDirectoryFollowsPlatformConventions() {
        assertEquals(Path.of("/o"), DataDirectory.resolve(Map.of("MAGNETAR_HOME", "/o"), "Linux", "/h"));
        assertEquals(Path.of("/x/magnetar"), DataDirectory.resolve(Map.of("XDG_DATA_HOME", "/x"), "Linux", "/h"));
        assertEquals(Path.of("/h/.local/share/magnetar"), DataDirectory.resolve(Map.of(), "Linux", "/h"));
        assertEquals(Path.of("/h/Library/Application Support/Magnetar"), DataDirectory.resolve(Map.of(), "Mac OS X", "/h"));
        assertEquals(Path.of("C:/A/Magnetar"), DataDirectory.resolve(Map.of("APPDATA", "C:/A"), "Windows 11", "/h"));
    }
}
