package dev.magnetar.cli;

import dev.magnetar.daemon.ApiToken;
import dev.magnetar.daemon.Daemon;
import dev.magnetar.daemon.DaemonAlreadyRunningException;
import dev.magnetar.daemon.DaemonStartException;
import dev.magnetar.daemon.IdleHeapShrinker;
import dev.magnetar.nativehost.ClassArchiveTraining;
import dev.magnetar.util.DaemonLogFile;
import dev.magnetar.util.DataDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magnetar daemon}: runs the engine, wallet and API until stopped (SIGTERM, or the API's
 * shutdown route). Exit codes: 0 stopped cleanly, 1 could not start, 3 another daemon already runs for
 * this data directory. Register as a subcommand of {@link Main}.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the helper daemon: BitTorrent engine, wallet and the local API (one per user).")
public final class DaemonCommand implements Callable<Integer> {

    public static final int EXIT_ALREADY_RUNNING = DaemonAlreadyRunningException.EXIT_STATUS;

    @Option(names = "--port", paramLabel = "N", description = "API port on 127.0.0.1 (default: from settings; 0 = any free port).")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Helper data directory (default: per-user).")
    Path dataDir;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Which engine the daemon runs; the lead replaces the default with the real engine's factory. */
    static Daemon.EngineFactory engineFactory = Daemon.Options.of(Path.of("."), null).engine();

    @Override
    public Integer call() throws InterruptedException {
        return run(dataDir, port, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The arguments of a daemon start that needs no parser: {@code daemon [--data-dir DIR] [--port N]}. */
    record PlainArgs(Path dataDir, Integer port) {}

    /**
     * The native host starts every daemon as {@code daemon --data-dir DIR}; read that (and {@code --port N})
     * without picocli, whose ~200 classes are Java 5 class files that no class-data archive can hold, so
     * each start parsed and verified them anew before its API could answer. Anything else — help, a
     * typo, a port that is not a number — is empty here and goes to picocli for its usual answer.
     */
    static java.util.Optional<PlainArgs> plainArgs(String[] args) {
        if (args.length == 0 || !args[0].equals("daemon")) {
            return java.util.Optional.empty();
        }
        Path dir = null;
        Integer port = null;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                return java.util.Optional.empty();
            }
            String value = args[i + 1];
            if (args[i].equals("--data-dir") && dir == null && !value.isEmpty() && !value.startsWith("-")) {
                dir = Path.of(value);
            } else if (args[i].equals("--port") && port == null && value.matches("[0-9]{1,5}") && Integer.parseInt(value) <= 0xFFFF) {
                port = Integer.parseInt(value);
            } else {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(new PlainArgs(dir, port));
    }

    /** The class archive's training run: a start and a client's first requests, then stop and dump the archive of those classes. */
    private static int trainClassArchive(Daemon daemon, PrintWriter err) throws InterruptedException {
        try {
            try (daemon) {
                ClassArchiveTraining.askLikeAClient(daemon.port(), ApiToken.read(ApiToken.defaultFile(daemon.dataDir())));
            }
            ClassArchiveTraining.dumpArchive();
            return 0;
        } catch (IOException e) {
            err.println("error: the class archive's training run failed: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** Runs the daemon until it stops; the exit status ({@link DaemonCommand}'s Javadoc). */
    static int run(Path dataDir, Integer port, PrintWriter out, PrintWriter err) throws InterruptedException {
        Path dir = dataDir != null ? dataDir : DataDirectory.resolve();
        // Before the lock: a second daemon that finds the first one running logs nothing, so it
        // never rotates the first one's file. Without a terminal (started by the native host) the
        // file is the only copy.
        DaemonLogFile.install(dir.resolve("logs"), System.console() != null);
        boolean training = ClassArchiveTraining.isThisProcess();
        if (training && !ClassArchiveTraining.holdLockUntilExit()) {
            return EXIT_ALREADY_RUNNING; // another training run makes the same archive
        }
        Daemon daemon;
        try {
            Daemon.Options defaults = Daemon.Options.of(dir, port);
            daemon = Daemon.start(new Daemon.Options(dir, port, engineFactory, defaults.scryptForNewWallets()));
        } catch (DaemonAlreadyRunningException e) {
            err.println(e.getMessage());
            err.flush();
            return EXIT_ALREADY_RUNNING;
        } catch (DaemonStartException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (training) {
            return trainClassArchive(daemon, err);
        }
        IdleHeapShrinker.startForThisProcess(daemon::torrentCount);
        out.println("magnetar daemon listening on 127.0.0.1:" + daemon.port());
        out.flush();
        daemon.awaitStopped();
        return 0;
    }
}
