package dev.magnetar.cli;

import dev.magnetar.api.Settings;
import dev.magnetar.api.SettingsException;
import dev.magnetar.api.SettingsStore;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.devnet.LocalDevnet;
import dev.magnetar.util.UserDirectories;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import dev.magnetar.wallet.UnknownNetworkException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A chain client for one CLI command, found the way the helper daemon finds it: the data directory's
 * settings name the network, a node of the user's choosing ({@code chainEndpoint}) and the devnet's
 * preferred port. On devnet without such a node, the command uses the devnet of the data directory —
 * the one the running daemon serves (at the endpoint it recorded, whatever port it got), or, when
 * nobody serves it, one started here for the command's own duration that seals anything broadcast
 * into a block before exiting so nothing is lost.
 */
final class ChainAccess implements AutoCloseable {

    private final TronChainClient client;
    private final LocalDevnet devnet;

    private ChainAccess(TronChainClient client, LocalDevnet devnet) {
        this.client = client;
        this.devnet = devnet;
    }

    /** The settings a command without options follows: the data directory's, or the defaults. */
    static Settings settings(Path dataDir) throws SettingsException {
        return SettingsStore.open(SettingsStore.defaultFile(dataDir), Settings.defaults(UserDirectories.current().downloads())).get();
    }

    /** The network a command names, or the one the data directory's settings name. */
    static TronNetwork network(String named, Path dataDir) throws SettingsException, UnknownNetworkException {
        return TronNetwork.byName(named != null ? named : settings(dataDir).network());
    }

    /**
     * @param endpointOverride a node named on the command line; null = the settings' one for this network, if any
     * @param devnetPortOverride where to serve a devnet started here; null = the settings' port
     * @param blockInterval block production of a devnet started here; null = blocks on demand (one-shot commands)
     */
    static ChainAccess open(TronNetwork network, String endpointOverride, Path dataDir, Integer devnetPortOverride, Duration blockInterval)
            throws SettingsException, IOException, InterruptedException {
        Settings settings = settings(dataDir);
        String endpoint = endpointOverride != null ? endpointOverride
                : settings.network().equals(network.name()) ? settings.chainEndpoint() : null;
        if (endpoint != null) {
            return new ChainAccess(new TronChainClient(network.withEndpoint(endpoint)), null);
        }
        if (!network.isDevnet()) {
            return new ChainAccess(new TronChainClient(network), null);
        }
        int port = devnetPortOverride != null ? devnetPortOverride : settings.devnetPort();
        LocalDevnet devnet = LocalDevnet.open(dataDir.resolve("devnet"), port, blockInterval);
        try {
            return new ChainAccess(new TronChainClient(TronNetwork.devnet(devnet.endpoint())), devnet);
        } catch (RuntimeException e) {
            devnet.close();
            throw e;
        }
    }

    TronChainClient client() {
        return client;
    }

    /** The devnet this command serves itself, if any (the faucet needs it in-process). */
    Optional<Devnet> ownDevnet() {
        return devnet == null ? Optional.empty() : devnet.own();
    }

    @Override
    public void close() {
        client.close();
        if (devnet != null) {
            devnet.close();
        }
    }
}
