package dev.magnetar.nativehost;

import dev.magnetar.util.DaemonLogFile;
import dev.magnetar.util.JvmFlags;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code magnetar daemon} as a detached process: the same Java and class path as this host, its
 * own session ({@code setsid}, where available, so a browser that kills the host's process group does
 * not take the daemon with it), stdin from the null device and stdout/stderr appended to
 * {@code <data>/logs/daemon.out}: what the JVM itself prints (a start that fails before logging is set up,
 * a crash); the daemon's log proper is its rotated {@code daemon.log} ({@link DaemonLogFile}). The host's
 * stdout is the browser channel: the daemon must never inherit it.
 * Started from jars, it maps (or, the first time, writes) a class archive ({@link DaemonClassArchive}).
 */
final class DaemonLauncher {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** Tests run the host under a test entry point; the daemon it starts must use the same one. */
    static final String MAIN_CLASS_PROPERTY = "magnetar.main";

    /** Past this size the console file is started afresh rather than appended to; it holds a few lines a start. */
    static final long MAX_CONSOLE_FILE_BYTES = 1024 * 1024;

    private final Path dataDir;
    private final String mainClass;

    /**
     * @param mainClass the command-line entry point that understands {@code daemon --data-dir}; given by
     *     the caller (the CLI names itself) so that this package does not depend on the one above it
     */
    DaemonLauncher(Path dataDir, String mainClass) {
        this.dataDir = dataDir;
        this.mainClass = java.util.Objects.requireNonNull(mainClass, "mainClass");
    }

    Path logsDir() {
        return dataDir.resolve("logs");
    }

    Path consoleFile() {
        return logsDir().resolve("daemon.out");
    }

    Process launch() throws IOException {
        Files.createDirectories(logsDir());
        return processBuilder().start();
    }

    /** The daemon's process, ready to start: its command, environment and redirections. */
    ProcessBuilder processBuilder() {
        ProcessBuilder pb = new ProcessBuilder(command());
        JvmFlags.HELPER_ENVIRONMENT.forEach(pb.environment()::putIfAbsent);
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File(windows ? "NUL" : "/dev/null")));
        File console = consoleFile().toFile();
        pb.redirectOutput(console.length() > MAX_CONSOLE_FILE_BYTES
                ? ProcessBuilder.Redirect.to(console) : ProcessBuilder.Redirect.appendTo(console));
        pb.redirectErrorStream(true);
        return pb;
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            cmd.add(SETSID.toString());
        }
        cmd.add(javaExecutable());
        cmd.addAll(JvmFlags.HELPER);
        cmd.addAll(JvmFlags.trimNativeHeap(Runtime.version())); // we start the java we run on
        String classPath = System.getProperty("java.class.path");
        cmd.addAll(classArchiveFlags(classPath));
        String main = System.getProperty(MAIN_CLASS_PROPERTY, mainClass);
        if (!main.equals(mainClass)) {
            cmd.add("-D" + MAIN_CLASS_PROPERTY + "=" + main);
        }
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main);
        cmd.add("daemon");
        cmd.add("--data-dir");
        cmd.add(dataDir.toAbsolutePath().toString());
        return cmd;
    }

    /** The package's daemon archive when there is one, else the per-user one ({@link DaemonClassArchive}). */
    List<String> classArchiveFlags(String classPath) {
        String packaged = System.getProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY);
        if (packaged != null && Files.isRegularFile(Path.of(packaged))) {
            return List.of(JvmFlags.useClassArchive(packaged));
        }
        return new DaemonClassArchive(dataDir.resolve("cache")).flags(classPath, DaemonClassArchive.currentJvm());
    }

    /**
     * The {@code java} of the running JVM. Not this process's own executable: in a packaged app image
     * that is jpackage's native launcher, which takes no JVM flags.
     */
    static String javaExecutable() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        Path java = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
        return Files.isExecutable(java) ? java.toString() : ProcessHandle.current().info().command().orElse(java.toString());
    }
}
