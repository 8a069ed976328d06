package dev.magnetar.nativehost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ArchiveProbe;
import dev.magnetar.util.JvmFlags;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's class archive: written by a training run beside the first start, mapped by the next, renewed when the jars or the JVM change. */
class DaemonClassArchiveTest {

    private static final String JVM = "/usr/lib/jvm/some-17\n17.0.15+6";

    @TempDir
    Path dir;

    @Test
    void theFirstStartTrainsAnArchiveAndTheNextMapsIt() throws IOException {
        Path jar = Files.writeString(dir.resolve("magnetar.jar"), "jar bytes");
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        Path file = archive.archiveFor(jar.toString(), JVM).orElseThrow();
        Path partial = DaemonClassArchive.partial(file);

        DaemonClassArchive.Plan first = archive.plan(jar.toString(), JVM);
        assertEquals(List.of(), first.daemonFlags(), "the first daemon starts without: it would archive all its user does");
        assertEquals(Optional.of(partial), first.train());
        assertTrue(Files.isDirectory(dir.resolve("cache")), "the JVM does not create the folder it dumps into");

        Files.writeString(partial, "an archive"); // the training run's, written at its exit
        assertEquals(new DaemonClassArchive.Plan(List.of("-XX:SharedArchiveFile=" + file), Optional.empty()),
                archive.plan(jar.toString(), JVM));
        assertEquals("an archive", Files.readString(file));
        assertFalse(Files.exists(partial), "moved into place once");
        assertEquals(List.of("-XX:SharedArchiveFile=" + file), archive.plan(jar.toString(), JVM).daemonFlags());
    }

    /** The training holds its lock until its process has ended, after the JVM wrote the archive: until then the archive may be half written. */
    @Test
    void whileTheTrainingRunsTheDaemonStartsWithoutAndNoSecondTrainingBegins() throws IOException {
        Path jar = Files.writeString(dir.resolve("magnetar.jar"), "jar bytes");
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        Path partial = archive.plan(jar.toString(), JVM).train().orElseThrow();
        Files.writeString(partial, "half an archive");
        try (FileChannel lock = FileChannel.open(ClassArchiveTraining.lockFile(partial), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = lock.lock()) {
            assertEquals(DaemonClassArchive.Plan.none(), archive.plan(jar.toString(), JVM));
            assertTrue(Files.exists(partial), "left where the training writes it");
        }
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive.archiveFor(jar.toString(), JVM).orElseThrow()),
                archive.plan(jar.toString(), JVM).daemonFlags(), "the training ended: its archive is whole");
    }

    @Test
    void aNewJarOrJvmStartsANewArchiveAndTheOldOneGoes() throws IOException {
        Path jar = Files.writeString(dir.resolve("magnetar.jar"), "jar bytes");
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        archive.plan(jar.toString(), JVM);
        Path old = Files.writeString(archive.archiveFor(jar.toString(), JVM).orElseThrow(), "an archive");

        assertNotEquals(old, archive.archiveFor(jar.toString(), JVM + "-update").orElseThrow(), "another JVM build");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        Path renewed = archive.archiveFor(jar.toString(), JVM).orElseThrow();
        assertNotEquals(old, renewed, "a replaced jar");
        assertEquals(Optional.of(DaemonClassArchive.partial(renewed)), archive.plan(jar.toString(), JVM).train());
        assertFalse(Files.exists(old), "the stale archive is deleted");
    }

    @Test
    void aClassPathWithFoldersGetsNoArchive() throws IOException {
        Path jar = Files.writeString(dir.resolve("magnetar.jar"), "jar bytes");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        assertEquals(DaemonClassArchive.Plan.none(), archive.plan(jar + File.pathSeparator + classes, JVM));
        assertEquals(DaemonClassArchive.Plan.none(), archive.plan(dir.resolve("missing.jar").toString(), JVM));
    }

    /**
     * The flags on this machine's real JVM: a training run lists its classes, the training's dump makes one static
     * archive of them (the JDK's and the jar's), and the next start loads its classes from it alone.
     */
    @Test
    void theRealJvmWritesThenMapsTheArchive() throws Exception {
        Path jar = ArchiveProbe.writeJar(dir.resolve("probe.jar"));
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        String jvm = DaemonClassArchive.currentJvm();

        Path partial = archive.plan(jar.toString(), jvm).train().orElseThrow();
        Run training = run(JvmFlags.recordLoadedClasses(ClassArchiveTraining.classList(partial).toString()), jar);
        assertEquals(0, training.exit(), training.output());
        assertTrue(Files.readAllLines(ClassArchiveTraining.classList(partial)).contains(ArchiveProbe.class.getName().replace('.', '/')),
                "the training's list names the jar's class");
        Process dump = new ProcessBuilder(ClassArchiveTraining.dumpCommand(partial, jar.toString())).redirectErrorStream(true).start();
        String dumpOutput = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, dump.waitFor(), dumpOutput);
        assertTrue(Files.size(partial) > 0, "no archive after the dump: " + dumpOutput);

        List<String> second = new ArrayList<>(archive.plan(jar.toString(), jvm).daemonFlags());
        Path file = archive.archiveFor(jar.toString(), jvm).orElseThrow();
        assertEquals(List.of("-XX:SharedArchiveFile=" + file), second);
        second.add("-Xlog:class+load=info");
        Run mapped = run(second, jar);
        assertEquals(0, mapped.exit(), mapped.output());
        // "(top)" would be a dynamic archive's: this one is the only archive the JVM maps, the JDK's classes in it too.
        assertTrue(mapped.output().contains(ArchiveProbe.class.getName() + " source: shared objects file\n"), mapped.output());
        assertTrue(mapped.output().contains("java.lang.Object source: shared objects file\n"), mapped.output());
    }

    @Test
    void theTrainingFindsItsArchiveFromItsLockFile() {
        Path partial = dir.resolve("cache").resolve("daemon-0123.jsa.part");
        assertEquals(partial, ClassArchiveTraining.partialArchive(ClassArchiveTraining.lockFile(partial)));
        assertEquals(dir.resolve("cache").resolve("daemon-0123.jsa.part.classlist"), ClassArchiveTraining.classList(partial));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ClassArchiveTraining.partialArchive(partial));
    }

    private record Run(int exit, String output) {}

    private static Run run(List<String> flags, Path jar) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", jar.toString(), ArchiveProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output);
    }
}
