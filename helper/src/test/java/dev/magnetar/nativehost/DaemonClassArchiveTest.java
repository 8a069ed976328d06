package dev.magnetar.nativehost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ArchiveProbe;
import dev.magnetar.util.JvmFlags;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's class archive: written by the first start, mapped by the next, renewed when the jars or the JVM change. */
class DaemonClassArchiveTest {

    private static final String JVM = "/usr/lib/jvm/some-17\n17.0.15+6";

    @TempDir
    Path dir;

    @Test
    void theFirstStartWritesTheArchiveAndTheNextMapsIt() throws IOException {
        Path jar = Files.writeString(dir.resolve("magnetar.jar"), "jar bytes");
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        Path file = archive.archiveFor(jar.toString(), JVM).orElseThrow();

        assertEquals(JvmFlags.writeClassArchive(file.toString()), archive.flags(jar.toString(), JVM));
        assertTrue(Files.isDirectory(dir.resolve("cache")), "the JVM does not create the folder it dumps into");
        Files.writeString(file, "an archive");
        assertEquals(List.of("-XX:SharedArchiveFile=" + file), archive.flags(jar.toString(), JVM));
    }

    @Test
    void aNewJarOrJvmStartsANewArchiveAndTheOldOneGoes() throws IOException {
        Path jar = Files.writeString(dir.resolve("magnetar.jar"), "jar bytes");
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        archive.flags(jar.toString(), JVM);
        Path old = Files.writeString(archive.archiveFor(jar.toString(), JVM).orElseThrow(), "an archive");

        assertNotEquals(old, archive.archiveFor(jar.toString(), JVM + "-update").orElseThrow(), "another JVM build");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        Path renewed = archive.archiveFor(jar.toString(), JVM).orElseThrow();
        assertNotEquals(old, renewed, "a replaced jar");
        assertEquals(JvmFlags.writeClassArchive(renewed.toString()), archive.flags(jar.toString(), JVM));
        assertFalse(Files.exists(old), "the stale archive is deleted");
    }

    @Test
    void aClassPathWithFoldersGetsNoArchive() throws IOException {
        Path jar = Files.writeString(dir.resolve("magnetar.jar"), "jar bytes");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        assertEquals(List.of(), archive.flags(jar + File.pathSeparator + classes, JVM));
        assertEquals(List.of(), archive.flags(dir.resolve("missing.jar").toString(), JVM));
    }

    /** The flags on this machine's real JVM: a first run leaves an archive, the second loads its classes from it. */
    @Test
    void theRealJvmWritesThenMapsTheArchive() throws Exception {
        Path jar = ArchiveProbe.writeJar(dir.resolve("probe.jar"));
        DaemonClassArchive archive = new DaemonClassArchive(dir.resolve("cache"));
        String jvm = DaemonClassArchive.currentJvm();

        Run first = run(archive.flags(jar.toString(), jvm), jar);
        assertEquals(0, first.exit(), first.output());
        Path file = archive.archiveFor(jar.toString(), jvm).orElseThrow();
        assertTrue(Files.size(file) > 0, "no archive after the first run: " + first.output());

        List<String> second = new ArrayList<>(archive.flags(jar.toString(), jvm));
        assertEquals(List.of("-XX:SharedArchiveFile=" + file), second);
        second.add("-Xlog:class+load=info");
        Run mapped = run(second, jar);
        assertEquals(0, mapped.exit(), mapped.output());
        assertTrue(mapped.output().contains(ArchiveProbe.class.getName() + " source: shared objects file (top)"), mapped.output());
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
