package dev.magnetar.nativehost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.util.JvmFlags;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemon the native host starts runs with the helper's JVM flags, not the machine's ergonomics. */
class DaemonLauncherTest {

    @Test
    void daemonStartsWithTheHelpersJvmFlagsBeforeTheClassPath() {
        List<String> cmd = new DaemonLauncher(Path.of("/tmp/magnetar-data"), "dev.magnetar.cli.Main").command();
        int java = cmd.indexOf(cmd.stream().filter(c -> c.endsWith("java") || c.endsWith("java.exe")).findFirst().orElseThrow());
        assertEquals(JvmFlags.HELPER, cmd.subList(java + 1, java + 1 + JvmFlags.HELPER.size()), cmd.toString());
        assertTrue(cmd.containsAll(JvmFlags.trimNativeHeap(Runtime.version())), cmd.toString());
        assertTrue(cmd.indexOf("-cp") > java + JvmFlags.HELPER.size(), cmd.toString());
        assertEquals(List.of("daemon", "--data-dir", Path.of("/tmp/magnetar-data").toAbsolutePath().toString()),
                cmd.subList(cmd.size() - 3, cmd.size()));
    }

    @Test
    void daemonRunsTheEntryPointItWasGivenWithTheDaemonCommand() {
        List<String> cmd = new DaemonLauncher(Path.of("/tmp/magnetar-data"), "org.example.Entry").command();
        assertEquals("org.example.Entry", cmd.get(cmd.indexOf("daemon") - 1), cmd.toString());
        assertTrue(cmd.stream().noneMatch(c -> c.contains("dev.magnetar.cli")), "nothing else names a main class: " + cmd);
    }

    @Test
    void daemonRunsTheJavaOfThisJvmNotTheProcessExecutableWhichMayBeANativeLauncher() {
        // In a jpackage image this process is bin/magnetar, which would not accept -XX flags or -cp.
        Path expected = Path.of(System.getProperty("java.home"), "bin", "java");
        assertEquals(expected.toString(), DaemonLauncher.javaExecutable());
        List<String> cmd = new DaemonLauncher(Path.of("/tmp/magnetar-data"), "dev.magnetar.cli.Main").command();
        assertTrue(cmd.contains(expected.toString()), cmd.toString());
    }

    @Test
    void aDaemonArchiveThePackageMadeIsMappedInsteadOfAPerUserOne(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path packaged = java.nio.file.Files.writeString(dir.resolve("daemon.jsa"), "archive");
        Path jar = java.nio.file.Files.writeString(dir.resolve("magnetar.jar"), "jar");
        DaemonLauncher launcher = new DaemonLauncher(dir.resolve("data"), "dev.magnetar.cli.Main");
        String before = System.getProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY);
        try {
            System.setProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY, packaged.toString());
            assertEquals(List.of("-XX:SharedArchiveFile=" + packaged), launcher.classArchiveFlags(jar.toString()));
            System.setProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY, dir.resolve("gone.jsa").toString());
            List<String> perUser = launcher.classArchiveFlags(jar.toString());
            assertTrue(perUser.stream().anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit=" + dir.resolve("data").resolve("cache"))),
                    "no packaged archive: the daemon makes its own per user, as before: " + perUser);
        } finally {
            if (before == null) {
                System.clearProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY);
            } else {
                System.setProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY, before);
            }
        }
    }

    @Test
    void daemonGetsFewMallocArenasUnlessTheUserChoseANumber() {
        DaemonLauncher launcher = new DaemonLauncher(Path.of("/tmp/magnetar-data"), "dev.magnetar.cli.Main");
        String expected = System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2");
        assertEquals(expected, launcher.processBuilder().environment().get("MALLOC_ARENA_MAX"));
    }
}
