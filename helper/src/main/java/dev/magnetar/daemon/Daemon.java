package dev.magnetar.daemon;

import dev.magnetar.api.ApiServer;
import dev.magnetar.api.ApiServices;
import dev.magnetar.api.NetworkStatus;
import dev.magnetar.api.Settings;
import dev.magnetar.api.SettingsException;
import dev.magnetar.api.SettingsStore;
import dev.magnetar.api.StartupGate;
import dev.magnetar.api.WalletService;
import dev.magnetar.approval.ApprovalException;
import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.speed.SpeedEconomy;
import dev.magnetar.util.DesktopOpener;
import dev.magnetar.util.ProductVersion;
import dev.magnetar.util.StartupTimeline;
import dev.magnetar.util.UserDirectories;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.LedgerStorageException;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.ScryptParams;
import dev.magnetar.wallet.TronNetwork;
import dev.magnetar.wallet.UnknownNetworkException;
import dev.magnetar.wallet.WalletSession;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The helper daemon: one per user (a lock in the data directory), it runs the engine, the wallet (and
 * the embedded devnet when the network is devnet), the approval store and the API, then announces
 * itself in {@code daemon.json}. Stopping (API shutdown, SIGTERM through the shutdown hook, or
 * {@link #close}) closes everything in reverse order; the approval store and ledger are written on
 * every change, so nothing is pending at that point.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    static final Duration WALLET_IDLE_LOCK = Duration.ofMinutes(15);

    /** Opens the engine for this daemon: {@link EngineLauncher} in production, a test double in API tests. */
    @FunctionalInterface
    public interface EngineFactory {
        TorrentControl open(Path dataDir, Settings settings) throws Exception;

        /** Brings the last session's torrents back into the engine once it is set up; a test may hold it back. */
        default void restoreSession(Engine engine) {
            engine.restoreSession();
        }
    }

    /**
     * @param portOverride API port instead of the settings' one; null = use settings
     * @param chainPatience how long torrents wait for the TRON connection to start ({@link ChainStart})
     * @param startupWait   how long a request waits for the engine or the restored session before it is answered 503
     */
    public record Options(Path dataDir, Integer portOverride, EngineFactory engine, ScryptParams scryptForNewWallets,
            Duration chainPatience, Duration startupWait) {
        public Options(Path dataDir, Integer portOverride, EngineFactory engine, ScryptParams scryptForNewWallets) {
            this(dataDir, portOverride, engine, scryptForNewWallets, ChainStart.DEFAULT_PATIENCE);
        }

        public Options(Path dataDir, Integer portOverride, EngineFactory engine, ScryptParams scryptForNewWallets,
                Duration chainPatience) {
            this(dataDir, portOverride, engine, scryptForNewWallets, chainPatience, StartupGate.DEFAULT_WAIT);
        }

        public Options withStartupWait(Duration wait) {
            return new Options(dataDir, portOverride, engine, scryptForNewWallets, chainPatience, wait);
        }

        public static Options of(Path dataDir, Integer portOverride) {
            return new Options(dataDir, portOverride, new EngineLauncher(), ScryptParams.DEFAULT);
        }
    }

    private final Path dataDir;
    private final Deque<AutoCloseable> resources; // closed last-opened first
    private final ApiServer api;
    private final TorrentControl torrents;
    private final StartupGate startup;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Counted down when {@link #start} has returned or failed: a stop can be asked for (API, SIGTERM) before that. */
    private final CountDownLatch startEnded;
    private boolean closed; // guarded by this

    private Daemon(Path dataDir, Deque<AutoCloseable> resources, ApiServer api, TorrentControl torrents, StartupGate startup,
            CountDownLatch startEnded) {
        this.startup = startup;
        this.startEnded = startEnded;
        this.dataDir = dataDir;
        this.resources = resources;
        this.api = api;
        this.torrents = torrents;
    }

    public static Daemon start(Options options) throws DaemonAlreadyRunningException, DaemonStartException {
        ApiServer.prepareInBackground();
        Path dataDir = options.dataDir().toAbsolutePath();
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        DaemonLock lock;
        try {
            lock = DaemonLock.acquire(DaemonLock.defaultFile(dataDir));
        } catch (IOException e) {
            throw new DaemonStartException("cannot create the daemon lock in " + dataDir + ": " + e.getMessage(), e);
        }
        opened.push(lock);
        CountDownLatch startEnded = new CountDownLatch(1);
        StartupGate startup = new StartupGate(options.startupWait());
        try {
            return startLocked(options, dataDir, opened, startup, startEnded);
        } catch (DaemonStartException | RuntimeException e) {
            startup.failed(e.getMessage());
            closeAll(opened);
            throw e;
        } finally {
            startEnded.countDown();
        }
    }

    private static Daemon startLocked(Options options, Path dataDir, Deque<AutoCloseable> opened, StartupGate startup,
            CountDownLatch startEnded) throws DaemonStartException {
        Clock clock = Clock.systemUTC();
        try {
            SettingsStore settings = SettingsStore.open(SettingsStore.defaultFile(dataDir), Settings.defaults(UserDirectories.current().downloads()));
            Settings s = settings.get();
            StartupTimeline.mark(LOG, "settings read");

            // The API's port is bound and announced first, before the ~0.1 s of the server's start and what comes before it
            // (bench/README.md, session 19): a client that finds daemon.json and connects meanwhile waits in the kernel's
            // backlog, and the finished server — its Host, Origin and token checks in place — is what accepts and answers it.
            // A start that fails from here on closes the port (the waiting client's connection with it) and deletes daemon.json.
            // Measured alone (bench/api --startup-only --rt-priority, 8 alternating rounds, load 3-5): API ready 567 vs 581 ms
            // (medians), within the load's spread: the client's own poll and connect now overlap the server's start.
            int port = options.portOverride() != null ? options.portOverride() : s.listenPort();
            ServerSocketChannel listening = ApiServer.listen(port);
            opened.push(listening::close);
            String token = ApiToken.generate(new SecureRandom());
            // Until the daemon's own hook exists (it closes everything), a SIGTERM during the start still takes daemon.json with the process.
            Path stateFile = DaemonStateFile.defaultFile(dataDir);
            Thread startHook = new Thread(() -> deleteQuietly(stateFile), "daemon-start-shutdown");
            Runtime.getRuntime().addShutdownHook(startHook);
            opened.push(() -> forgetShutdownHook(startHook));
            announce(dataDir, opened, token, listening.socket().getLocalPort(), clock);
            StartupTimeline.mark(LOG, "announced");

            // The TRON connection starts only after the API is up, and only when needed (ChainStart).
            TronNetwork configured = TronNetwork.byName(s.network());
            ChainStart chainStart = ChainStart.prepare(configured, s.chainEndpoint(), dataDir, s.devnetPort(), options.chainPatience());
            opened.push(chainStart);
            ScheduledExecutorService walletTimer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("wallet-idle-lock", true));
            opened.push(walletTimer::shutdownNow);
            Keystore keystore = new Keystore(Keystore.defaultFile(dataDir), options.scryptForNewWallets(), new SecureRandom());
            WalletSession session = new WalletSession(keystore, WALLET_IDLE_LOCK, clock, walletTimer, Duration.ofSeconds(30));
            opened.push(session);
            // Closed after the engine (a stack): stopping torrents queue their final receipts and payments.
            SpeedSlot speed = new SpeedSlot();
            opened.push(speed);
            // Speed needs a wallet and the chain, which starts when the first torrent or a wallet route needs it.
            boolean walletExists = keystore.exists();
            PendingEconomy pendingEconomy = new PendingEconomy(chainStart::begin);
            // The engine opens while the API's server starts (EngineOpening); both are set up before the port is announced.
            EngineOpening engineOpening = EngineOpening.begin(() -> {
                TorrentControl opening = options.engine().open(dataDir, s);
                if (opening instanceof Engine engine) {
                    if (walletExists) {
                        engine.setEconomy(pendingEconomy);
                    }
                    // The global limits and seeding goal apply as soon as they are saved; the other settings at the next start.
                    engine.setSeedingGoal(s.seedingGoal());
                    settings.addListener(next -> {
                        engine.setRateLimits(next.downloadBytesPerSecond(), next.uploadBytesPerSecond());
                        engine.setSeedingGoal(next.seedingGoal());
                    });
                }
                StartupTimeline.mark(LOG, "engine open");
                return opening;
            });
            opened.push(() -> closeWhenOpened(engineOpening));
            // String.concat, not `+`, before the API answers: AtomicFiles says why.
            PaymentLedger ledger = PaymentLedger.open(dataDir.resolve("wallet").resolve("ledger-".concat(configured.name()).concat(".json")), clock);
            WalletService wallet = new WalletService(keystore, session, configured.name(), chainStart::client, ledger,
                    SpeedLauncher.paymentThreshold(dataDir), chainStart::faucet);
            ApprovalStore approvals = ApprovalStore.open(ApprovalStore.defaultFile(dataDir), clock);

            // A shutdown asked for through the API before the start has made the daemon is carried out once it has.
            CompletableFuture<Daemon> self = new CompletableFuture<>();
            // The port mapping needs the engine's listening port: set up once the engine is open, below.
            AtomicReference<Supplier<NetworkStatus>> networkStatus = new AtomicReference<>(NetworkStatus::none);
            ApiServices services = new ApiServices(ProductVersion.current().full(), engineOpening, approvals, wallet, settings,
                    () -> self.thenAccept(Daemon::requestShutdown), DesktopOpener.forThisSystem()::open, () -> networkStatus.get().get(),
                    chainStart::state, startup);
            ApiServer api = ApiServer.start(ApiServer.Config.of(port, token, s.extensionIds()), services, listening);
            opened.push(api);
            StartupTimeline.mark(LOG, "API listening");

            // The API answers while the engine still opens and the session comes back: the routes that need
            // either wait for it (StartupGate), so a client never sees a half-started helper as an empty one.
            // A stop asked for from now on (the API's route, SIGTERM) waits for the start to end, then closes
            // everything it opened.
            Daemon daemon = new Daemon(dataDir, opened, api, engineOpening, startup, startEnded);
            Thread hook = new Thread(daemon::close, "daemon-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            opened.push(() -> forgetShutdownHook(hook));
            forgetShutdownHook(startHook);
            // The first thing a stop does, as before the early announcement: no client finds a daemon that is stopping.
            opened.push(() -> DaemonStateFile.delete(stateFile));
            self.complete(daemon);
            // The file for the user to edit, written after the announcement: no client reads it. (Comparing it with the
            // settings built Jackson's serializer for them, ~25 ms of the main thread, until SettingsJson streamed it.)
            settings.saveCurrent();

            TorrentControl torrents = engineOpening.await();
            boolean speedPossible = torrents instanceof Engine && walletExists;
            // Closed before the engine: the router forgets our port while we still hold it.
            if (torrents instanceof Engine engine) {
                PortMappingSwitch portMapping = PortMappingSwitch.forDefaultRoute(engine.listenAddress());
                opened.push(portMapping);
                portMapping.onStatus(engine::portMapping);
                portMapping.set(s.portMapping());
                settings.addListener(next -> portMapping.set(next.portMapping()));
                networkStatus.set(() -> new NetworkStatus(engine.listenAddress().getPort(), portMapping.status()));
            }
            startup.engineOpened();

            // Without a wallet there is no speed economy to wait for: the last session comes back at once.
            if (!speedPossible) {
                if (torrents instanceof Engine engine) {
                    options.engine().restoreSession(engine);
                }
                startup.sessionRestored();
            }
            StartupTimeline.mark(LOG, "ready");
            LOG.info("Magnetar daemon {} ready: API on 127.0.0.1:{}, network {}, data in {}", ProductVersion.current().full(), api.port(),
                    configured.name(), dataDir);
            if (speedPossible) {
                Engine engine = (Engine) torrents;
                BigInteger ask = SettingsStore.askPerGiB(s);
                chainStart.whenEnded(chain -> {
                    Optional<SpeedEconomy> economy = chain.flatMap(c -> SpeedLauncher.attach(engine, ask, c.network(), c.client(),
                            keystore, session, ledger, approvals, dataDir, clock));
                    economy.ifPresent(speed::set);
                    pendingEconomy.settle(economy);
                });
                // Not begun here: the first restored or added torrent begins it (PendingEconomy), or a wallet route.
                daemon.restoreSessionInBackground(engine, options.engine());
            }
            return daemon;
        } catch (DaemonStartException e) {
            throw e;
        } catch (SettingsException | UnknownNetworkException | LedgerStorageException | ApprovalException e) {
            throw new DaemonStartException(e.getMessage(), e);
        } catch (IOException e) {
            throw new DaemonStartException("cannot start the daemon in " + dataDir + ": " + e.getMessage(), e);
        } catch (Exception e) { // the engine factory may fail in any way; report it as a start failure
            throw new DaemonStartException("the BitTorrent engine failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the two files clients find the daemon through: the token, then {@code daemon.json} naming the port
     * (a client that reads the port can read the token). {@code daemon.json} is deleted when the daemon stops or
     * its start fails.
     */
    private static Path announce(Path dataDir, Deque<AutoCloseable> opened, String token, int port, Clock clock) throws IOException {
        Path tokenFile = ApiToken.defaultFile(dataDir);
        ApiToken.write(tokenFile, token);
        Path stateFile = DaemonStateFile.defaultFile(dataDir);
        opened.push(() -> DaemonStateFile.delete(stateFile));
        DaemonStateFile.write(stateFile, new DaemonState(ProcessHandle.current().pid(), port, ProductVersion.current().full(),
                Instant.now(clock).toString(), tokenFile.toString()));
        return stateFile;
    }

    private static void deleteQuietly(Path stateFile) {
        try {
            DaemonStateFile.delete(stateFile);
        } catch (IOException | RuntimeException e) { // the JVM is on its way out; a stale file names a dead pid, which clients skip
            LOG.warn("could not delete {}: {}", stateFile, e.toString());
        }
    }

    /** Closes the engine once it has opened (a start failing meanwhile waits for it); nothing when it failed to open. */
    private static void closeWhenOpened(EngineOpening opening) throws Exception {
        TorrentControl engine;
        try {
            engine = opening.await();
        } catch (Exception e) {
            return; // it did not open: the start reports why
        }
        if (engine instanceof AutoCloseable c) {
            c.close();
        }
    }

    /**
     * Brings back the last session's torrents on a thread of its own: the first of them begins the
     * chain's start and each waits for it to end (their economy is chosen once), which must not hold
     * the daemon's start.
     */
    private void restoreSessionInBackground(Engine engine, EngineFactory factory) {
        Thread t = new Thread(() -> restoreSessionUnlessStopping(engine, factory), "session-restore");
        t.setDaemon(true);
        t.start();
    }

    /** Brings back the torrents of the last session, unless the daemon began stopping meanwhile. */
    private void restoreSessionUnlessStopping(Engine engine, EngineFactory factory) {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            factory.restoreSession(engine);
        } catch (RuntimeException e) { // the engine closing under us; nothing restored is lost from session.json
            LOG.warn("the last session's torrents were not restored: {}", e.getMessage());
        } finally {
            startup.sessionRestored(); // what came back is all there is: the routes stop waiting
        }
    }

    /**
     * The speed economy, attached once the TRON connection is up; holds its place in the closing order
     * until then, and closes an economy that arrives after the daemon began stopping.
     */
    private static final class SpeedSlot implements AutoCloseable {
        private SpeedEconomy economy; // guarded by this
        private boolean closed; // guarded by this

        void set(SpeedEconomy economy) {
            synchronized (this) {
                if (!closed) {
                    this.economy = economy;
                    return;
                }
            }
            economy.close();
        }

        @Override
        public void close() {
            SpeedEconomy e;
            synchronized (this) {
                closed = true;
                e = economy;
            }
            if (e != null) {
                e.close();
            }
        }
    }

    public int port() {
        return api.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** How many torrents the daemon holds now. */
    public int torrentCount() {
        return torrents.list().size();
    }

    /** Stops soon on another thread, so the caller (an API request) can still be answered. */
    public void requestShutdown() {
        Thread t = new Thread(this::close, "daemon-stop");
        t.setDaemon(false);
        t.start();
    }

    /** Blocks until the daemon has stopped. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        awaitStartEnded(); // a stop asked for while the daemon still starts: the start owns what it opened till then
        LOG.info("Magnetar daemon stopping");
        closeAll(resources);
        stopped.countDown();
        LOG.info("Magnetar daemon stopped");
    }

    private void awaitStartEnded() {
        boolean interrupted = false;
        while (true) {
            try {
                startEnded.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A daemon closed by other means (the API, a test) no longer needs its hook; during the JVM's shutdown it cannot be removed. */
    private static void forgetShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what is running this, or the JVM is already on its way out
        }
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) { // keep closing the rest: the lock and state file must go whatever failed
                LOG.warn("error while stopping {}", r, e);
            }
        }
    }
}
