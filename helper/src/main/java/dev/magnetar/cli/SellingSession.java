package dev.magnetar.cli;

import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.daemon.DaemonAlreadyRunningException;
import dev.magnetar.daemon.DaemonLock;
import dev.magnetar.daemon.SpeedLauncher;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.Engine;
import dev.magnetar.speed.SpeedEconomy;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.ScryptParams;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronNetwork;
import dev.magnetar.wallet.WalletSession;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code magnetar seed --ask} runs beside its engine to sell paid upload slots, the way the
 * helper daemon does: the data folder's wallet address in the {@code mg_speed} handshake, payments
 * checked on chain and entered in the wallet's ledger. The wallet stays locked — a seller signs
 * nothing and pays nothing — so no password is asked.
 *
 * <p>The ledger and the approvals file belong to one process per data folder, so the command takes
 * the daemon's lock for as long as it sells: with the helper running it refuses (the helper sells
 * itself, at the ask of its settings), and the helper waits until seeding stops.
 */
final class SellingSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SellingSession.class);

    /** Why selling cannot start, in words that say what to do. */
    static final class SellingUnavailableException extends Exception {
        SellingUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Deque<AutoCloseable> opened; // closed last-opened first
    private final TronAddress address;
    private final TronNetwork network;
    private final long chainId;

    private SellingSession(Deque<AutoCloseable> opened, TronAddress address, TronNetwork network, long chainId) {
        this.opened = opened;
        this.address = address;
        this.network = network;
        this.chainId = chainId;
    }

    /**
     * Starts selling on {@code engine} (before any torrent is added, so each takes the economy).
     *
     * @param networkName null = the data folder's settings
     * @param endpoint    a TRON node to use; null = the settings' one, or the data folder's devnet
     */
    static SellingSession open(Engine engine, BigInteger askPerGiB, Path dataDir, String networkName, String endpoint)
            throws SellingUnavailableException {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            Keystore keystore = new Keystore(Keystore.defaultFile(dataDir), ScryptParams.DEFAULT, new SecureRandom());
            if (!keystore.exists()) {
                throw new SellingUnavailableException("selling needs a wallet to be paid to, and " + dataDir
                        + " has none: create one with `magnetar wallet create`" + (dataDir.equals(defaultDataDir()) ? "" : " --data-dir " + dataDir),
                        null);
            }
            try {
                opened.push(DaemonLock.acquire(DaemonLock.defaultFile(dataDir)));
            } catch (DaemonAlreadyRunningException e) {
                throw new SellingUnavailableException("the Magnetar helper is running with the data folder " + dataDir
                        + ": add the torrent there instead (it sells at the ask set on its options page), or give seed another --data-dir", e);
            }
            TronNetwork network = ChainAccess.network(networkName, dataDir);
            // A devnet nobody serves yet is served from here while seeding, with blocks, so payers' transfers confirm.
            ChainAccess chain = ChainAccess.open(network, endpoint, dataDir, null, Devnet.DEFAULT_BLOCK_INTERVAL);
            opened.push(chain);
            Clock clock = Clock.systemUTC();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("wallet-idle-lock", true));
            opened.push(timer::shutdownNow);
            WalletSession locked = new WalletSession(keystore, Duration.ofMinutes(15), clock, timer, Duration.ofSeconds(30));
            opened.push(locked);
            PaymentLedger ledger = PaymentLedger.open(dataDir.resolve("wallet").resolve("ledger-" + network.name() + ".json"), clock);
            ApprovalStore approvals = ApprovalStore.open(ApprovalStore.defaultFile(dataDir), clock);
            SpeedEconomy economy = SpeedLauncher.start(engine, askPerGiB, chain.client().network(), chain.client(), keystore, locked,
                    ledger, approvals, dataDir, clock);
            opened.push(economy);
            return new SellingSession(opened, keystore.address(), chain.client().network(), chain.client().chainId());
        } catch (SellingUnavailableException e) {
            closeAll(opened);
            throw e;
        } catch (Exception e) { // chain, keystore, ledger, settings: each says what went wrong
            closeAll(opened);
            throw new SellingUnavailableException("cannot sell paid slots: " + e.getMessage(), e);
        }
    }

    private static Path defaultDataDir() {
        return dev.magnetar.util.DataDirectory.resolve();
    }

    TronAddress address() {
        return address;
    }

    TronNetwork network() {
        return network;
    }

    long chainId() {
        return chainId;
    }

    /** Lets queued payment checks finish, then releases the chain and the data folder. Close the engine first. */
    @Override
    public void close() {
        closeAll(opened);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) { // keep closing the rest: the lock must go whatever failed
                LOG.warn("error while stopping {}", r, e);
            }
        }
    }
}
