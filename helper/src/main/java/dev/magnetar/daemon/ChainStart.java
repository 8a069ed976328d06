package dev.magnetar.daemon;

import com.google.protobuf.ByteString;
import dev.magnetar.api.DevnetFaucet;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.devnet.LocalDevnet;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's connection to its TRON network, started on a thread of its own: the embedded devnet
 * (when the network is devnet) and the Trident client take about 0.7 s of a cold start — class
 * loading, gRPC, Bouncy Castle — and need nothing the engine or the API server need, so the daemon
 * opens those meanwhile (bench/README.md, "API ready").
 *
 * <p>{@link #close} waits for the start to end and closes whatever it opened, the client before the
 * devnet, so a daemon whose start fails elsewhere leaves no devnet behind.
 */
final class ChainStart implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChainStart.class);

    /** What the start gave: the network with the endpoint in use, and its client. */
    record Chain(TronNetwork network, TronChainClient client) {}

    private record Started(Chain chain, Optional<LocalDevnet> devnet) {}

    private final TronNetwork network;
    private final Path dataDir;
    private final CompletableFuture<Started> started;

    private ChainStart(TronNetwork network, Path dataDir, CompletableFuture<Started> started) {
        this.network = network;
        this.dataDir = dataDir;
        this.started = started;
    }

    /**
     * Starts connecting to {@code network}: at {@code endpoint} when one is set (a devnet another
     * helper serves, a private node); else, for devnet, to the devnet of {@code dataDir/devnet} —
     * started here, preferably on {@code devnetPort}, or the one another process (a wallet command)
     * serves for that folder.
     */
    static ChainStart begin(TronNetwork network, String endpoint, Path dataDir, int devnetPort) {
        CompletableFuture<Started> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(start(network, endpoint, dataDir, devnetPort));
            } catch (Throwable t) { // handed to whoever awaits the start
                future.completeExceptionally(t);
            }
        }, "chain-start");
        thread.setDaemon(true);
        thread.start();
        return new ChainStart(network, dataDir, future);
    }

    private static Started start(TronNetwork network, String endpoint, Path dataDir, int devnetPort)
            throws IOException, InterruptedException {
        if (endpoint != null) {
            LOG.info("{} through the node at {}", network.name(), endpoint);
            return clientOnly(network.withEndpoint(endpoint));
        }
        if (!network.isDevnet()) {
            return clientOnly(network);
        }
        LocalDevnet devnet = LocalDevnet.open(dataDir.resolve("devnet"), devnetPort, Devnet.DEFAULT_BLOCK_INTERVAL);
        try {
            TronNetwork local = TronNetwork.devnet(devnet.endpoint());
            return new Started(new Chain(local, new TronChainClient(local)), Optional.of(devnet));
        } catch (RuntimeException e) {
            devnet.close();
            throw e;
        }
    }

    /** A network this daemon only connects to. */
    private static Started clientOnly(TronNetwork network) {
        return new Started(new Chain(network, new TronChainClient(network)), Optional.empty());
    }

    /** Waits for the start to end: the connection, or why there is none. */
    Chain await() throws DaemonStartException {
        try {
            return started.join().chain();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            String where = network.isDevnet() ? "start the embedded devnet in " + dataDir.resolve("devnet") : "connect to " + network.name();
            throw new DaemonStartException("cannot " + where + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * The client, waiting for the start if it has not ended: for API routes that a client may call
     * as soon as the server listens.
     *
     * @throws IllegalStateException if the start failed (the daemon then fails to start as a whole)
     */
    TronChainClient client() {
        try {
            return await().client();
        } catch (DaemonStartException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The devnet's faucet when this daemon serves the devnet itself, waiting for the start like
     * {@link #client}; empty on other networks, at a node of the user's choosing, or when another
     * process serves the devnet folder.
     */
    Optional<DevnetFaucet> faucet() {
        client();
        return started.join().devnet().flatMap(LocalDevnet::own)
                .map(devnet -> (to, sun, btt) -> devnet.faucet(ByteString.copyFrom(to.bytes()), sun, btt));
    }

    @Override
    public void close() {
        Started s;
        try {
            s = started.join();
        } catch (CompletionException e) {
            return; // the start failed and released what it had opened
        }
        s.chain().client().close();
        s.devnet().ifPresent(LocalDevnet::close); // seals what was broadcast so nothing is lost
    }
}
