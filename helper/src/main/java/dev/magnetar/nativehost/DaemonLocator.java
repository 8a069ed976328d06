package dev.magnetar.nativehost;

import dev.magnetar.daemon.DaemonAlreadyRunningException;
import dev.magnetar.util.DaemonLogFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the user's running daemon through {@code <data>/daemon.json} (live pid, token file, health
 * answered with the token) or starts one and waits, bounded, until it answers. Two hosts that race to
 * start one both launch a daemon; the daemon lock lets only one live, and both then find the winner.
 */
final class DaemonLocator {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonLocator.class);
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How often a host that started the daemon looks for its announcement. The daemon is ready ~0.5 s after
     * it is spawned and the first hello waits for it; at 50 ms the host found it 25 ms late on average (up to
     * 50) — a tenth of the whole start. A look while daemon.json is still missing is one failed open of a
     * file, so the ~50 looks of a start cost little. {@code bench/api --first-hello} under {@code chrt}, load
     * 14-24: the hello's reply 82 ms (median) after daemon.json appeared, against 107 ms at 50 ms
     * (bench/README.md, "Start-up, session 18").
     */
    private static final long POLL_MILLIS = 10;

    private final Path dataDir;
    private final DaemonClient client;
    private final DaemonLauncher launcher;
    private final Duration startTimeout;

    DaemonLocator(Path dataDir, DaemonClient client, DaemonLauncher launcher, Duration startTimeout) {
        this.dataDir = dataDir;
        this.client = client;
        this.launcher = launcher;
        this.startTimeout = startTimeout;
    }

    DaemonEndpoint findOrStart() throws DaemonUnavailableException, InterruptedException {
        Optional<DaemonEndpoint> running = find();
        if (running.isPresent()) {
            return running.get();
        }
        Process started;
        try {
            started = launcher.launch();
        } catch (IOException e) {
            throw new DaemonUnavailableException("cannot start the Magnetar daemon: " + e.getMessage(), e);
        }
        LOG.info("started daemon process {}", started.pid());
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            running = find();
            if (running.isPresent()) {
                return running.get();
            }
            // A daemon that lost the start race to another host's exits with DaemonAlreadyRunningException's
            // status, and the winner appears in daemon.json; any other exit is a failed start: say why at once.
            if (!started.isAlive() && started.exitValue() != DaemonAlreadyRunningException.EXIT_STATUS) {
                throw new DaemonUnavailableException("the Magnetar daemon stopped while starting: "
                        + DaemonStartError.lastError(launcher.consoleFile()).orElse("exit status " + started.exitValue())
                        + " (more in " + DaemonLogFile.file(launcher.logsDir()) + ")", null);
            }
            // Polling a file another process writes; the start timeout bounds it.
            Thread.sleep(POLL_MILLIS);
        }
        throw new DaemonUnavailableException("the Magnetar daemon did not come up within " + startTimeout.toSeconds()
                + " s; see " + DaemonLogFile.file(launcher.logsDir()) + " and " + launcher.consoleFile(), null);
    }

    /** The daemon named in daemon.json, if it is alive, ours, and answers its health check with our token. */
    Optional<DaemonEndpoint> find() {
        DaemonProbe.Result r = new DaemonProbe(dataDir, client).probe();
        if (r instanceof DaemonProbe.Answering a) {
            return Optional.of(a.endpoint());
        }
        if (r instanceof DaemonProbe.Unusable u) {
            LOG.debug("daemon {} not usable (yet): {}", u.pid(), u.reason());
        }
        return Optional.empty();
    }
}
