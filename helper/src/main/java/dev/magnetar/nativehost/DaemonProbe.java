package dev.magnetar.nativehost;

import dev.magnetar.daemon.ApiToken;
import dev.magnetar.daemon.DaemonState;
import dev.magnetar.daemon.DaemonStateFile;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Looks for this user's running daemon through {@code <data>/daemon.json}: a live pid owned by this
 * user, its token file, and a health check on 127.0.0.1 answered with that token. Tells apart "none
 * runs" from "one runs but cannot be used", with the reason, so that a caller can say what to fix.
 *
 * <p>A daemon writes daemon.json once its API listens, and a crash leaves the file behind; so a pid that
 * is gone, or now another user's, or a port where nothing listens, means none runs (the pid was reused).
 */
public final class DaemonProbe {

    /** What the data folder says about a daemon. */
    public sealed interface Result permits NotRunning, Answering, Unusable {}

    /** No daemon.json, or what it names is no longer our daemon: the process ended or the port is closed. */
    public record NotRunning() implements Result {}

    public record Answering(DaemonEndpoint endpoint) implements Result {}

    /** daemon.json names a live process, but it cannot be used: {@code reason} says why, for a person. */
    public record Unusable(long pid, String reason) implements Result {}

    /** What {@link ApiToken#generate} writes; anything else is not a token and must not go into a header. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,512}");

    private final Path dataDir;
    private final DaemonClient client;

    public DaemonProbe(Path dataDir, DaemonClient client) {
        this.dataDir = dataDir;
        this.client = client;
    }

    public Result probe() {
        Path stateFile = DaemonStateFile.defaultFile(dataDir);
        Optional<DaemonState> read = DaemonStateFile.read(stateFile);
        if (read.isEmpty()) {
            return new NotRunning();
        }
        DaemonState s = read.get();
        Optional<ProcessHandle> process = ProcessHandle.of(s.pid()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return new NotRunning();
        }
        // Our daemon runs as us: a pid now another user's was reused, and our token must not go to that
        // user's process (a bearer token is all the API asks for).
        Optional<String> owner = process.get().info().user();
        Optional<String> us = ProcessHandle.current().info().user();
        if (owner.isPresent() && us.isPresent() && !owner.get().equals(us.get())) {
            return new NotRunning();
        }
        if (s.port() < 1 || s.port() > 0xFFFF || s.tokenFile() == null) {
            return new Unusable(s.pid(), stateFile + " names no port or token file");
        }
        String token;
        try {
            token = ApiToken.read(Path.of(s.tokenFile()));
        } catch (IOException | RuntimeException e) {
            return new Unusable(s.pid(), "cannot read the helper's token file " + s.tokenFile() + ": " + e);
        }
        if (!TOKEN.matcher(token).matches()) {
            return new Unusable(s.pid(), "the helper's token file " + s.tokenFile() + " holds no token");
        }
        DaemonClient.Answer health;
        try {
            health = client.get(s.port(), token, "/health");
        } catch (ConnectException e) {
            return new NotRunning();
        } catch (IOException e) {
            return new Unusable(s.pid(), "the helper (pid " + s.pid() + ") does not answer on 127.0.0.1:" + s.port() + ": " + e);
        }
        if (health.status() == 401) {
            return new Unusable(s.pid(), "the helper on 127.0.0.1:" + s.port() + " refused the token in " + s.tokenFile()
                    + " (401): is " + stateFile + " from another start?");
        }
        if (!health.ok() || !"ok".equals(health.body().path("status").asText())) {
            return new Unusable(s.pid(), "the helper on 127.0.0.1:" + s.port() + " answered its health check with HTTP " + health.status());
        }
        return new Answering(new DaemonEndpoint(s.pid(), s.port(), token, s.version()));
    }
}
