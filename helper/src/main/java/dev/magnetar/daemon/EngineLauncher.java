package dev.magnetar.daemon;

import dev.magnetar.api.Settings;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineException;
import dev.magnetar.engine.EngineSettings;
import java.nio.file.Path;

/**
 * Starts the real BitTorrent engine for the daemon, from the user's settings: downloads go to the
 * settings' download folder, resume data to {@code <data>/resume}, and the list of torrents to
 * bring back after a restart to {@code <data>/session.json}.
 *
 * <p>Peers listen on every interface, IPv4 and IPv6, by default (incoming connections are how a seeder is found).
 * {@value #BIND_ENV} narrows that — the test suite sets it to 127.0.0.1 so that nothing a test starts
 * is reachable from outside the machine.
 */
public final class EngineLauncher implements Daemon.EngineFactory {

    public static final String BIND_ENV = "MAGNETAR_PEER_BIND";

    /** The daemon's torrent list ({@link EngineSettings#sessionFile}). */
    public static Path sessionFile(Path dataDir) {
        return dataDir.resolve("session.json");
    }

    @Override
    public Engine open(Path dataDir, Settings settings) throws EngineException {
        return Engine.open(settingsFor(dataDir, settings)); // the daemon restores the session once speed is attached
    }

    /** The daemon's engine settings (tests start the engine from these with discovery offline). */
    public static EngineSettings settingsFor(Path dataDir, Settings settings) {
        String bind = System.getenv().getOrDefault(BIND_ENV, "::");
        return EngineSettings.builder(Path.of(settings.downloadDir()), dataDir.resolve("resume"))
                .listen(bind, 0)
                .rateLimits(settings.downloadBytesPerSecond(), settings.uploadBytesPerSecond())
                .utp(settings.utp())
                // The daemon is the long-lived client: its torrents come back after a restart.
                .sessionFile(sessionFile(dataDir))
                .build();
    }
}
