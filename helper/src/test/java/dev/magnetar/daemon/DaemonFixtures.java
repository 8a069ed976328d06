package dev.magnetar.daemon;

import dev.magnetar.engine.Engine;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.wallet.ScryptParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared set-up of the daemon tests. */
final class DaemonFixtures {

    /** Scrypt cost for wallets the tests create: the keystore's real code path, without seconds of hashing. */
    static final ScryptParams FAST_SCRYPT = new ScryptParams(1 << 4, 8, 1);

    private DaemonFixtures() {}

    /**
     * A settings.json for a daemon that stays put and local: downloads under {@code dir/dl}, no quit
     * with the browser, any free peer port, the embedded devnet on any free port, one extension id.
     */
    static void writeLocalSettings(Path dir) throws IOException {
        writeSettings(dir, "\"devnetPort\":0");
    }

    /** {@link #writeLocalSettings} with {@code fields} (JSON members, comma-separated) instead of the devnet port. */
    static void writeSettings(Path dir, String fields) throws IOException {
        Files.writeString(dir.resolve("settings.json"), "{\"downloadDir\":\"" + dir.resolve("dl") + "\",\"quitWithBrowser\":false,"
                + "\"listenPort\":0,\"network\":\"devnet\",\"extensionIds\":[\"ighcbjpaekabdiphmkfgookimbgnoogf\"]," + fields + "}");
    }

    /** The daemon's real engine, without trackers, DHT or local discovery (nothing leaves the machine). */
    static Daemon.EngineFactory offlineEngine(Engine[] opened) {
        return (dataDir, s) -> opened[0] = Engine.open(EngineLauncher.settingsFor(dataDir, s).toBuilder()
                .discovery(PeerDiscoverySettings.offline()).build());
    }

    static Daemon.Options offlineOptions(Path dir, Engine[] opened) {
        return new Daemon.Options(dir, 0, offlineEngine(opened), FAST_SCRYPT);
    }
}
