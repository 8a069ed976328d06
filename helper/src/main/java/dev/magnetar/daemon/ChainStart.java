package dev.magnetar.daemon;

import dev.magnetar.devnet.Devnet;
import dev.magnetar.devnet.DevnetInUseException;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
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

    /** What the start gave: the network with its endpoint, the embedded devnet's chain id if this daemon runs it, the client. */
    record Chain(TronNetwork network, OptionalLong devnetChainId, TronChainClient client) {}

    private record Started(Chain chain, Optional<Devnet> devnet) {}

    private final TronNetwork network;
    private final Path dataDir;
    private final CompletableFuture<Started> started;

    private ChainStart(TronNetwork network, Path dataDir, CompletableFuture<Started> started) {
        this.network = network;
        this.dataDir = dataDir;
        this.started = started;
    }

    /**
     * Starts connecting to {@code network}; for devnet, first starts the embedded devnet in
     * {@code dataDir/devnet} on {@code devnetPort}, or uses the one another process (a wallet CLI
     * command) serves there.
     */
    static ChainStart begin(TronNetwork network, Path dataDir, int devnetPort) {
        CompletableFuture<Started> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(start(network, dataDir, devnetPort));
            } catch (Throwable t) { // handed to whoever awaits the start
                future.completeExceptionally(t);
            }
        }, "chain-start");
        thread.setDaemon(true);
        thread.start();
        return new ChainStart(network, dataDir, future);
    }

    private static Started start(TronNetwork network, Path dataDir, int devnetPort) throws IOException {
        if (!network.isDevnet()) {
            return clientOnly(network);
        }
        Devnet devnet;
        try {
            devnet = Devnet.start(new Devnet.Config(dataDir.resolve("devnet"), devnetPort, Devnet.DEFAULT_BLOCK_INTERVAL,
                    Devnet.DEFAULT_CONFIRMATIONS, Clock.systemUTC()));
        } catch (DevnetInUseException e) {
            LOG.info("devnet data is in use by another process; connecting to 127.0.0.1:{}", devnetPort);
            return clientOnly(TronNetwork.devnet("127.0.0.1:" + devnetPort));
        }
        try {
            TronNetwork own = TronNetwork.devnet(devnet.endpoint());
            return new Started(new Chain(own, OptionalLong.of(devnet.chainId()), new TronChainClient(own)), Optional.of(devnet));
        } catch (RuntimeException e) {
            closeDevnet(devnet);
            throw e;
        }
    }

    /** A network this daemon only connects to (no devnet of its own, so no chain id of its own). */
    private static Started clientOnly(TronNetwork network) {
        return new Started(new Chain(network, OptionalLong.empty(), new TronChainClient(network)), Optional.empty());
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

    @Override
    public void close() {
        Started s;
        try {
            s = started.join();
        } catch (CompletionException e) {
            return; // the start failed and released what it had opened
        }
        s.chain().client().close();
        s.devnet().ifPresent(ChainStart::closeDevnet);
    }

    private static void closeDevnet(Devnet devnet) {
        if (devnet.chain().pendingCount() > 0) {
            devnet.produceBlock(); // seal what was broadcast so nothing is lost
        }
        devnet.close();
    }
}
