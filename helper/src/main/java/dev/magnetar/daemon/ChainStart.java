package dev.magnetar.daemon;

import com.google.protobuf.ByteString;
import dev.magnetar.api.ChainState;
import dev.magnetar.api.DevnetFaucet;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.devnet.LocalDevnet;
import dev.magnetar.wallet.ChainNotStartedException;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's connection to its TRON network, started only when something needs it and then on a
 * thread of its own: the embedded devnet (when the network is devnet) and the Trident client cost
 * about 0.7 s of CPU and tens of MiB — class loading, gRPC, Bouncy Castle, the devnet's block store —
 * and the engine and the API need none of it. When a wallet exists the first torrent, restored or added,
 * begins it (its speed economy needs the chain: {@link PendingEconomy}); in any case the first wallet
 * route that needs the chain (a balance, the faucet, a fee estimate) begins it and waits for it
 * (bench/README.md, "API ready"). An idle daemon with a wallet and no torrents never starts it.
 *
 * <p>The start is given {@link #DEFAULT_PATIENCE} at most. Torrents restored or added while it runs wait
 * for its end (their economy is chosen once), so a start that hangs — a devnet folder held by a
 * process that never says where it serves, a disk that stalls — must not hold them for ever: past
 * its patience the start counts as failed, torrents go on as plain BitTorrent and the wallet routes
 * say why; a start that still ends later is closed at once, as nobody holds it any more.
 *
 * <p>{@link #close} waits for a begun start to end (within its patience) and closes whatever it
 * opened, the client before the devnet, so a daemon stopping meanwhile leaves no devnet behind.
 */
final class ChainStart implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChainStart.class);

    /**
     * How long torrents wait for the chain. The devnet starts in about a second on an idle machine and
     * a few on a loaded one; a remote node's client opens no connection at start. Well past both, and
     * short enough that a magnet added meanwhile is not left hanging like a dead one.
     */
    static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(30);

    /** What the start gave: the network with the endpoint in use, and its client. */
    record Chain(TronNetwork network, TronChainClient client) {}

    record Started(Chain chain, Optional<LocalDevnet> devnet) {
        void close() {
            chain.client().close();
            devnet.ifPresent(LocalDevnet::close); // seals what was broadcast so nothing is lost
        }
    }

    /** The work of a start, run on its own thread (a seam for the unit test of the patience). */
    interface Starter {
        Started start() throws IOException, InterruptedException;
    }

    private final TronNetwork network;
    private final String endpoint;
    private final Path dataDir;
    private final Duration patience;
    private final Starter starter;
    private final CompletableFuture<Started> started = new CompletableFuture<>();
    private boolean begun; // guarded by this

    ChainStart(TronNetwork network, String endpoint, Path dataDir, Duration patience, Starter starter) {
        this.network = network;
        this.endpoint = endpoint;
        this.dataDir = dataDir;
        this.patience = patience;
        this.starter = starter;
    }

    /**
     * A start, not begun yet, of the connection to {@code network}: at {@code endpoint} when one is set
     * (a devnet another helper serves, a private node); else, for devnet, to the devnet of
     * {@code dataDir/devnet} — started here, preferably on {@code devnetPort}, or the one another
     * process (a wallet command) serves for that folder.
     */
    static ChainStart prepare(TronNetwork network, String endpoint, Path dataDir, int devnetPort, Duration patience) {
        return new ChainStart(network, endpoint, dataDir, patience, () -> start(network, endpoint, dataDir, devnetPort));
    }

    /** Begins the start on its own thread unless it has begun already; returns at once. */
    synchronized void begin() {
        if (begun) {
            return;
        }
        begun = true;
        Thread thread = new Thread(() -> {
            try {
                Started s = starter.start();
                if (!started.complete(s)) { // past its patience, or the daemon stopped meanwhile: nobody holds it
                    LOG.info("the TRON connection started after it was given up; closing it");
                    s.close();
                }
            } catch (Throwable t) { // handed to whoever awaits the start
                started.completeExceptionally(t);
            }
        }, "chain-start");
        thread.setDaemon(true);
        thread.start();
        CompletableFuture.delayedExecutor(patience.toMillis(), TimeUnit.MILLISECONDS).execute(() -> started.completeExceptionally(
                new ChainStartTimeoutException("it did not finish within " + patience.toSeconds()
                        + " s; torrents go on without the speed economy until the helper restarts")));
    }

    /** Where the start is now: not begun, running, done, or failed (past its patience too). */
    synchronized ChainState state() {
        if (!begun) {
            return ChainState.OFF;
        }
        if (!started.isDone()) {
            return ChainState.STARTING;
        }
        return started.isCompletedExceptionally() ? ChainState.UNAVAILABLE : ChainState.READY;
    }

    /**
     * Runs {@code onEnd} on the start's thread once it has ended: with the connection, or empty when it
     * failed (the reason is logged here).
     */
    void whenEnded(Consumer<Optional<Chain>> onEnd) {
        started.whenComplete((s, failure) -> {
            if (failure != null) {
                LOG.warn("{}", failureMessage(failure));
                onEnd.accept(Optional.empty());
            } else {
                onEnd.accept(Optional.of(s.chain()));
            }
        });
    }

    static Started start(TronNetwork network, String endpoint, Path dataDir, int devnetPort)
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

    /** Begins the start if needed and waits for it to end: the connection, or why there is none. */
    Chain await() throws DaemonStartException {
        begin();
        try {
            return started.join().chain();
        } catch (CompletionException e) {
            throw new DaemonStartException(failureMessage(e.getCause()), e.getCause());
        }
    }

    private String failureMessage(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        String where = network.isDevnet() && endpoint == null
                ? "start the embedded devnet in " + dataDir.resolve("devnet") : "connect to " + network.name();
        return "cannot " + where + ": " + c.getMessage();
    }

    /**
     * The client, beginning the start and waiting for it if needed: for API routes, which a client
     * may call as soon as the server listens.
     *
     * @throws ChainNotStartedException if the start failed (the API answers CHAIN_UNAVAILABLE with why)
     */
    TronChainClient client() {
        try {
            return await().client();
        } catch (DaemonStartException e) {
            throw new ChainNotStartedException(e.getMessage(), e.getCause());
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
        synchronized (this) {
            if (!begun) {
                begun = true; // a route asking now gets no new devnet behind the closing daemon's back
                started.completeExceptionally(new IllegalStateException("the daemon is stopping"));
                return;
            }
        }
        Started s;
        try {
            s = started.join();
        } catch (CompletionException e) {
            return; // the start failed and released what it had opened, or ran out of patience and will close what it opens
        }
        s.close();
    }

    /** A start that ran out of patience. */
    static final class ChainStartTimeoutException extends RuntimeException {
        ChainStartTimeoutException(String message) {
            super(message);
        }
    }
}
