package dev.magnetar.daemon;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.EngineUnavailableException;
import dev.magnetar.engine.FileStreaming;
import dev.magnetar.engine.InvalidTorrentInputException;
import dev.magnetar.engine.RateLimits;
import dev.magnetar.engine.SeedingGoal;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.engine.TorrentDetail;
import dev.magnetar.engine.TorrentNotFoundException;
import dev.magnetar.engine.TorrentStateException;
import dev.magnetar.engine.TorrentStatus;
import dev.magnetar.engine.UnusableDownloadFolderException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine while it opens on a thread of its own, so that the API's server starts at the same time
 * instead of after it (each is a few hundred milliseconds of class loading on a cold JVM, and the
 * machine has more than one core). Every call waits for the engine to be open and then goes to it; the
 * daemon is announced as soon as its API listens, so the API's routes first wait, bounded, for the stage
 * of the start they need (the API's {@code StartupGate}) and reach this only after it. Subscriptions
 * never wait: one made before the engine is open begins the moment it opens, before anyone can see it
 * open, so no event of the restored session is missed.
 */
final class EngineOpening implements TorrentControl {

    private static final Logger LOG = LoggerFactory.getLogger(EngineOpening.class);

    /** Opens the engine; whatever it throws fails the daemon's start. */
    @FunctionalInterface
    interface Opener {
        TorrentControl open() throws Exception;
    }

    private final CompletableFuture<TorrentControl> opened = new CompletableFuture<>();
    private final List<DeferredSubscription> waitingSubscriptions = new ArrayList<>(); // guarded by this
    private TorrentControl openEngine; // guarded by this; set once open, before {@link #opened} completes

    private EngineOpening() {}

    /** Begins opening on a new thread and returns at once. */
    static EngineOpening begin(Opener opener) {
        EngineOpening opening = new EngineOpening();
        Thread thread = new Thread(() -> opening.open(opener), "engine-open");
        thread.setDaemon(true);
        thread.start();
        return opening;
    }

    private void open(Opener opener) {
        TorrentControl open;
        try {
            open = opener.open();
        } catch (Throwable t) { // handed to the daemon's start, which reports it
            opened.completeExceptionally(t);
            return;
        }
        List<DeferredSubscription> waiting;
        synchronized (this) {
            openEngine = open;
            waiting = List.copyOf(waitingSubscriptions);
            waitingSubscriptions.clear();
        }
        for (DeferredSubscription s : waiting) {
            try {
                s.begin(open);
            } catch (RuntimeException e) { // one listener that cannot subscribe must not hold the whole start
                LOG.warn("an event subscription made while the engine opened failed to begin", e);
            }
        }
        opened.complete(open);
    }

    /** Waits for the engine: the open one, or what stopped it from opening. */
    TorrentControl await() throws Exception {
        try {
            return opened.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private TorrentControl engine() throws EngineUnavailableException {
        try {
            return opened.join();
        } catch (CompletionException e) {
            throw new EngineUnavailableException("the BitTorrent engine did not start: " + e.getCause().getMessage());
        }
    }

    /** For the calls whose signatures carry no engine exception: the daemon has failed its start by then anyway. */
    private TorrentControl engineOrFail() {
        try {
            return engine();
        } catch (EngineUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public TorrentStatus addMagnet(String uri, AddOptions options)
            throws InvalidTorrentInputException, UnusableDownloadFolderException, EngineUnavailableException {
        return engine().addMagnet(uri, options);
    }

    @Override
    public TorrentStatus addTorrentFile(byte[] torrent, AddOptions options)
            throws InvalidTorrentInputException, UnusableDownloadFolderException, EngineUnavailableException {
        return engine().addTorrentFile(torrent, options);
    }

    @Override
    public List<TorrentStatus> list() {
        return engineOrFail().list();
    }

    @Override
    public Optional<TorrentDetail> detail(String infoHashHex) {
        return engineOrFail().detail(infoHashHex);
    }

    @Override
    public Optional<String> boostRefusal(String infoHashHex, BigInteger capBaseUnits, BigInteger ratePerGiB) {
        return engineOrFail().boostRefusal(infoHashHex, capBaseUnits, ratePerGiB);
    }

    @Override
    public Optional<BigInteger> lowestSellerAsk(String infoHashHex) {
        return engineOrFail().lowestSellerAsk(infoHashHex);
    }

    @Override
    public void pause(String infoHashHex) throws TorrentNotFoundException {
        engineOrFail().pause(infoHashHex);
    }

    @Override
    public void resume(String infoHashHex) throws TorrentNotFoundException {
        engineOrFail().resume(infoHashHex);
    }

    @Override
    public void recheck(String infoHashHex) throws TorrentNotFoundException, TorrentStateException {
        engineOrFail().recheck(infoHashHex);
    }

    @Override
    public void remove(String infoHashHex, boolean deleteData) throws TorrentNotFoundException {
        engineOrFail().remove(infoHashHex, deleteData);
    }

    @Override
    public void setFilePriority(String infoHashHex, int fileIndex, int priority)
            throws TorrentNotFoundException, InvalidTorrentInputException {
        engineOrFail().setFilePriority(infoHashHex, fileIndex, priority);
    }

    @Override
    public void setSequential(String infoHashHex, boolean sequential) throws TorrentNotFoundException {
        engineOrFail().setSequential(infoHashHex, sequential);
    }

    @Override
    public void setRateLimits(String infoHashHex, RateLimits limits) throws TorrentNotFoundException {
        engineOrFail().setRateLimits(infoHashHex, limits);
    }

    @Override
    public void setSeedingGoal(String infoHashHex, SeedingGoal goal) throws TorrentNotFoundException {
        engineOrFail().setSeedingGoal(infoHashHex, goal);
    }

    @Override
    public void startWithChoice(String infoHashHex, String downloadDir, Set<Integer> skipFiles)
            throws TorrentNotFoundException, TorrentStateException, UnusableDownloadFolderException, InvalidTorrentInputException {
        engineOrFail().startWithChoice(infoHashHex, downloadDir, skipFiles);
    }

    @Override
    public Optional<FileStreaming> fileStreaming() {
        return engineOrFail().fileStreaming();
    }

    /** Subscribes now if the engine is open, else the moment it opens (before the daemon's start sees it open); returns at once. */
    @Override
    public AutoCloseable subscribe(Consumer<EngineEvent> listener) {
        TorrentControl open;
        DeferredSubscription deferred;
        synchronized (this) {
            open = openEngine;
            deferred = open == null ? new DeferredSubscription(listener) : null;
            if (deferred != null) {
                waitingSubscriptions.add(deferred);
            }
        }
        return deferred != null ? deferred : open.subscribe(listener);
    }

    /** A subscription made before the engine opened: it begins when the engine opens, or never if closed first. */
    private static final class DeferredSubscription implements AutoCloseable {
        private final Consumer<EngineEvent> listener;
        private AutoCloseable subscribed; // guarded by this
        private boolean closed; // guarded by this

        DeferredSubscription(Consumer<EngineEvent> listener) {
            this.listener = listener;
        }

        synchronized void begin(TorrentControl engine) {
            if (!closed) {
                subscribed = engine.subscribe(listener);
            }
        }

        @Override
        public void close() throws Exception {
            AutoCloseable s;
            synchronized (this) {
                closed = true;
                s = subscribed;
            }
            if (s != null) {
                s.close();
            }
        }
    }
}
