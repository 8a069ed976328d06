package dev.magnetar.cli;

import dev.magnetar.daemon.EngineLauncher;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.PeerDiscoverySettings;

/**
 * {@code magnetar daemon} as its own process for the tests that kill it: {@link Main} unchanged but for
 * the engine's peer discovery (no DHT, PEX or local discovery, so nothing leaves the machine). Run with
 * {@code MAGNETAR_PEER_BIND=127.0.0.1}.
 */
public final class OfflineDaemonMain {

    private OfflineDaemonMain() {}

    public static void main(String[] args) {
        DaemonCommand.engineFactory = (dataDir, settings) -> Engine.open(EngineLauncher.settingsFor(dataDir, settings).toBuilder()
                .discovery(PeerDiscoverySettings.offline()).build());
        System.exit(Main.newCommandLine().execute(args));
    }
}
