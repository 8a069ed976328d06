package dev.magnetar.cli;

import dev.magnetar.daemon.Daemon;
import dev.magnetar.daemon.DaemonAlreadyRunningException;
import dev.magnetar.daemon.DaemonStartException;
import dev.magnetar.daemon.IdleHeapShrinker;
import dev.magnetar.util.DaemonLogFile;
import dev.magnetar.util.DataDirectory;
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
        Path dir = dataDir != null ? dataDir : DataDirectory.resolve();
        // Before the lock: a second daemon that finds the first one running logs nothing, so it
        // never rotates the first one's file. Without a terminal (started by the native host) the
        // file is the only copy.
        DaemonLogFile.install(dir.resolve("logs"), System.console() != null);
        Daemon daemon;
        try {
            Daemon.Options defaults = Daemon.Options.of(dir, port);
            daemon = Daemon.start(new Daemon.Options(dir, port, engineFactory, defaults.scryptForNewWallets()));
        } catch (DaemonAlreadyRunningException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return EXIT_ALREADY_RUNNING;
        } catch (DaemonStartException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
        IdleHeapShrinker.startForThisProcess(daemon::torrentCount);
        spec.commandLine().getOut().println("magnetar daemon listening on 127.0.0.1:" + daemon.port());
        spec.commandLine().getOut().flush();
        daemon.awaitStopped();
        return 0;
    }
}
