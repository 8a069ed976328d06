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
            assertEquals(List.of("-XX:SharedArchiveFile=" + packaged), launcher.classArchivePlan(jar.toString()).daemonFlags());
            assertTrue(launcher.classArchivePlan(jar.toString()).train().isEmpty(), "the package's archive needs no training");
            System.setProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY, dir.resolve("gone.jsa").toString());
            DaemonClassArchive.Plan perUser = launcher.classArchivePlan(jar.toString());
            assertTrue(perUser.train().orElseThrow().startsWith(dir.resolve("data").resolve("cache")),
                    "no packaged archive: a training run makes one per user: " + perUser);
        } finally {
            if (before == null) {
                System.clearProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY);
            } else {
                System.setProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY, before);
            }
        }
    }

    /**
     * The training daemon: the daemon's own flags and entry point, the classes it loads listed for the archive, a
     * scratch data folder with settings on free ports, peers on loopback only (no router asked for a
     * mapping), the lowest priority, and its console kept apart from the user's daemon's.
     */
    @Test
    void theTrainingRunIsADaemonInAScratchFolderThatWritesThePartialArchive(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        DaemonLauncher launcher = new DaemonLauncher(dir.resolve("data"), "dev.magnetar.cli.Main");
        Path partial = dir.resolve("data").resolve("cache").resolve("daemon-0123.jsa.part");
        ProcessBuilder training = launcher.trainingProcessBuilder(partial);
        List<String> cmd = training.command();
        Path scratch = dir.resolve("data").resolve("cache").resolve("archive-training");

        assertTrue(cmd.containsAll(JvmFlags.HELPER), cmd.toString());
        assertTrue(cmd.containsAll(JvmFlags.recordLoadedClasses(ClassArchiveTraining.classList(partial).toString())), cmd.toString());
        assertTrue(cmd.contains("-D" + ClassArchiveTraining.PROPERTY + "=" + ClassArchiveTraining.lockFile(partial)), cmd.toString());
        assertEquals(List.of("dev.magnetar.cli.Main", "daemon", "--data-dir", scratch.toAbsolutePath().toString()),
                cmd.subList(cmd.size() - 4, cmd.size()));
        if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/nice"))) {
            assertEquals(List.of("/usr/bin/nice", "-n", "19"), cmd.subList(cmd.indexOf("/usr/bin/nice"), cmd.indexOf("/usr/bin/nice") + 3));
        }
        assertEquals("127.0.0.1", training.environment().get(dev.magnetar.daemon.EngineLauncher.BIND_ENV));
        com.fasterxml.jackson.databind.JsonNode settings = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(scratch.resolve("settings.json").toFile());
        assertEquals(0, settings.get("listenPort").asInt(), "the user's daemon holds the usual API port");
        assertEquals(0, settings.get("devnetPort").asInt());
        assertEquals(scratch.resolve("downloads").toAbsolutePath().toString(), settings.get("downloadDir").asText());
        assertTrue(training.redirectOutput().file().toPath().startsWith(scratch), training.redirectOutput().toString());
    }

    @Test
    void daemonGetsFewMallocArenasUnlessTheUserChoseANumber() {
        DaemonLauncher launcher = new DaemonLauncher(Path.of("/tmp/magnetar-data"), "dev.magnetar.cli.Main");
        String expected = System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2");
        assertEquals(expected, launcher.processBuilder().environment().get("MALLOC_ARENA_MAX"));
    }
}
