package dev.magnetar.nativehost;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.daemon.EngineLauncher;
import dev.magnetar.util.DaemonLogFile;
import dev.magnetar.util.JvmFlags;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@code magnetar daemon} as a detached process: the same Java and class path as this host, its
 * own session ({@code setsid}, where available, so a browser that kills the host's process group does
 * not take the daemon with it), stdin from the null device and stdout/stderr appended to
 * {@code <data>/logs/daemon.out}: what the JVM itself prints (a start that fails before logging is set up,
 * a crash); the daemon's log proper is its rotated {@code daemon.log} ({@link DaemonLogFile}). The host's
 * stdout is the browser channel: the daemon must never inherit it.
 * Started from jars, it maps a class archive ({@link DaemonClassArchive}), or the first time starts the run that makes one.
 */
final class DaemonLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonLauncher.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path NICE = Path.of("/usr/bin/nice");
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

    /**
     * Starts the daemon; when there is no class archive yet, also the training run that makes one
     * ({@link ClassArchiveTraining}), at the lowest priority so that it takes only what the daemon's own
     * start leaves of the CPU.
     */
    Process launch() throws IOException {
        Files.createDirectories(logsDir());
        DaemonClassArchive.Plan archive = classArchivePlan(classPath());
        Process daemon = processBuilder(command(archive.daemonFlags())).start();
        if (archive.train().isPresent()) {
            try {
                trainingProcessBuilder(archive.train().get()).start();
            } catch (IOException e) { // best effort: without an archive a start is only slower
                LOG.warn("the daemon's class archive could not be started: {}", e.getMessage());
            }
        }
        return daemon;
    }

    /** The daemon's process, ready to start: its command, environment and redirections. */
    ProcessBuilder processBuilder() {
        return processBuilder(command());
    }

    private ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        JvmFlags.HELPER_ENVIRONMENT.forEach(pb.environment()::putIfAbsent);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File(windows() ? "NUL" : "/dev/null")));
        File console = consoleFile().toFile();
        pb.redirectOutput(console.length() > MAX_CONSOLE_FILE_BYTES
                ? ProcessBuilder.Redirect.to(console) : ProcessBuilder.Redirect.appendTo(console));
        pb.redirectErrorStream(true);
        return pb;
    }

    /** The daemon's command with the archive it would map or nothing; a test reads it, {@link #launch} runs it. */
    List<String> command() {
        return command(classArchivePlan(classPath()).daemonFlags());
    }

    private List<String> command(List<String> archiveFlags) {
        return javaCommand(archiveFlags, dataDir);
    }

    /**
     * The training run for {@code partialArchive}: the daemon's own flags and class path, listing the classes
     * it loads and dumping the archive from them once it has stopped, in a scratch data folder whose settings take any free port; its peer port on
     * loopback only ({@link EngineLauncher#BIND_ENV}), so it asks no router for a port mapping.
     */
    ProcessBuilder trainingProcessBuilder(Path partialArchive) throws IOException {
        Path scratch = ClassArchiveTraining.dataDir(partialArchive.getParent());
        Files.createDirectories(scratch.resolve("downloads"));
        // The settings a daemon writes for itself, but on free ports: the user's daemon holds the usual ones.
        Files.write(scratch.resolve("settings.json"), new ObjectMapper().writeValueAsBytes(Map.of("listenPort", 0, "devnetPort", 0,
                "network", "devnet", "quitWithBrowser", false, "downloadDir", scratch.resolve("downloads").toAbsolutePath().toString())));
        List<String> cmd = new ArrayList<>(javaCommand(ClassArchiveTraining.flags(partialArchive), scratch));
        if (Files.isExecutable(NICE)) {
            cmd.addAll(Files.isExecutable(SETSID) ? 1 : 0, List.of(NICE.toString(), "-n", "19"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        JvmFlags.HELPER_ENVIRONMENT.forEach(pb.environment()::putIfAbsent);
        pb.environment().put(EngineLauncher.BIND_ENV, "127.0.0.1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File(windows() ? "NUL" : "/dev/null")));
        pb.redirectOutput(scratch.resolve("console.out").toFile());
        pb.redirectErrorStream(true);
        return pb;
    }

    private List<String> javaCommand(List<String> archiveFlags, Path daemonDataDir) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            cmd.add(SETSID.toString());
        }
        cmd.add(javaExecutable());
        cmd.addAll(JvmFlags.HELPER);
        cmd.addAll(JvmFlags.trimNativeHeap(Runtime.version())); // we start the java we run on
        cmd.addAll(archiveFlags);
        String main = System.getProperty(MAIN_CLASS_PROPERTY, mainClass);
        if (!main.equals(mainClass)) {
            cmd.add("-D" + MAIN_CLASS_PROPERTY + "=" + main);
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(main);
        cmd.add("daemon");
        cmd.add("--data-dir");
        cmd.add(daemonDataDir.toAbsolutePath().toString());
        return cmd;
    }

    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    private static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    /** The package's daemon archive when there is one, else the per-user one ({@link DaemonClassArchive}). */
    DaemonClassArchive.Plan classArchivePlan(String classPath) {
        String packaged = System.getProperty(JvmFlags.PACKAGED_DAEMON_ARCHIVE_PROPERTY);
        if (packaged != null && Files.isRegularFile(Path.of(packaged))) {
            return new DaemonClassArchive.Plan(List.of(JvmFlags.useClassArchive(packaged)), java.util.Optional.empty());
        }
        return new DaemonClassArchive(dataDir.resolve("cache")).plan(classPath, DaemonClassArchive.currentJvm());
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
