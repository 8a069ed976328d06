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
        List<String> cmd = new DaemonLauncher(Path.of("/tmp/magnetar-data")).command();
        int java = cmd.indexOf(cmd.stream().filter(c -> c.endsWith("java") || c.endsWith("java.exe")).findFirst().orElseThrow());
        assertEquals(JvmFlags.HELPER, cmd.subList(java + 1, java + 1 + JvmFlags.HELPER.size()), cmd.toString());
        assertTrue(cmd.containsAll(JvmFlags.trimNativeHeap(Runtime.version())), cmd.toString());
        assertTrue(cmd.indexOf("-cp") > java + JvmFlags.HELPER.size(), cmd.toString());
        assertEquals(List.of("daemon", "--data-dir", Path.of("/tmp/magnetar-data").toAbsolutePath().toString()),
                cmd.subList(cmd.size() - 3, cmd.size()));
    }

    @Test
    void daemonRunsTheJavaOfThisJvmNotTheProcessExecutableWhichMayBeANativeLauncher() {
        // In a jpackage image this process is bin/magnetar, which would not accept -XX flags or -cp.
        Path expected = Path.of(System.getProperty("java.home"), "bin", "java");
        assertEquals(expected.toString(), DaemonLauncher.javaExecutable());
        List<String> cmd = new DaemonLauncher(Path.of("/tmp/magnetar-data")).command();
        assertTrue(cmd.contains(expected.toString()), cmd.toString());
    }
}
