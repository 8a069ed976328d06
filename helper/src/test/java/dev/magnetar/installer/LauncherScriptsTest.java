package dev.magnetar.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.util.JvmFlags;
import java.io.InputStream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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

    @Test
    void theCommandMapsTheClassArchiveTheUsersDaemonLeftAndRunsWithoutOneWhenThereIsNone() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = probeJar();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path script = dir.resolve("magnetar");
        Files.writeString(script, LauncherScripts.cli(OperatingSystem.LINUX, TargetPath.ofLocal(OperatingSystem.LINUX, java),
                TargetPath.ofLocal(OperatingSystem.LINUX, jar)));
        String without = runScript(script, home);
        assertTrue(without.contains("ran download"), without);
        assertFalse(without.contains("daemon-"), "no archive yet: nothing to map:\n" + without);

        // What the native host's first daemon does at its exit (DaemonClassArchive), with the same jar and flags.
        Path archive = Files.createDirectories(home.resolve("cache")).resolve("daemon-0123456789abcdef.jsa");
        List<String> dump = new ArrayList<>(List.of(java.toString()));
        dump.addAll(JvmFlags.HELPER);
        dump.addAll(JvmFlags.writeClassArchive(archive.toString()));
        dump.addAll(List.of("-jar", jar.toString(), "daemon"));
        Process p = new ProcessBuilder(dump).redirectErrorStream(true).start();
        String dumped = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), dumped);
        assertTrue(Files.size(archive) > 0, dumped);

        String with = runScript(script, home);
        assertTrue(with.contains("ran download"), with);
        assertTrue(with.contains("mapped " + archive), "the command's JVM must map the daemon's archive:\n" + with);
    }

    private String runScript(Path script, Path home) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString(), "download");
        pb.environment().put("MAGNETAR_HOME", home.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** A jar whose main class is {@link ArchivedCommandProbe}: CDS archives classes from jars only. */
    private Path probeJar() throws Exception {
        Path jar = dir.resolve("probe.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ArchivedCommandProbe.class.getName());
        String entry = ArchivedCommandProbe.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream in = ArchivedCommandProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
