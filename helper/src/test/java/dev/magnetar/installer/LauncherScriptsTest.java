package dev.magnetar.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code magnetar} command's sh script, run by a real /bin/sh against a stand-in {@code java} that reports what it got. */
class LauncherScriptsTest {

    @TempDir Path dir;

    private String run(Map<String, String> environment) throws Exception {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset} last=$(eval echo \\${$#})\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        Path script = dir.resolve("magnetar");
        Files.writeString(script, LauncherScripts.cli(OperatingSystem.LINUX, TargetPath.ofLocal(OperatingSystem.LINUX, java),
                TargetPath.ofLocal(OperatingSystem.LINUX, dir.resolve("magnetar.jar"))));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString(), "daemon");
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void theDaemonStartedThroughTheCommandGetsTheNativeHostsMallocArenaLimit() throws Exception {
        assertEquals("MALLOC_ARENA_MAX=2 last=daemon", run(Map.of()));
    }

    @Test
    void aMallocArenaLimitTheUserSetIsKept() throws Exception {
        assertEquals("MALLOC_ARENA_MAX=8 last=daemon", run(Map.of("MALLOC_ARENA_MAX", "8")));
    }
}
