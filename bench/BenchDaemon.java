package dev.magnetar.bench;

import dev.magnetar.daemon.Daemon;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.FileStatus;
import dev.magnetar.engine.InvalidTorrentInputException;
import dev.magnetar.engine.RateLimits;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.engine.TorrentDetail;
import dev.magnetar.engine.TorrentNotFoundException;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.engine.TorrentStatus;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Benchmark-only launcher (bench/api's fallback while the real engine is not wired into the daemon):
 * the real {@link Daemon} — API, security, wallet, approvals, daemon.json — with an in-memory
 * {@link TorrentControl} that parses each uploaded .torrent with the real {@link MetainfoParser} and
 * keeps a status row for it, so {@code GET /api/v1/torrents} serialises what the engine would return.
 * Never shipped: run from source with the jar on the class path:
 * {@code java -cp helper/target/magnetar.jar bench/BenchDaemon.java --port 0 --data-dir DIR [--churn MODE]}.
 *
 * <p>{@code --churn} says how often the rows change, since the API reuses the list's JSON while it is
 * unchanged: {@code 1hz} (default) — every row's byte counters move once a second, as an engine with
 * all torrents active reports progress; {@code every-request} — every {@code list()} returns changed
 * rows, the worst case, where each request is serialised afresh; {@code none} — paused torrents.
 */
public final class BenchDaemon {

    private BenchDaemon() {}

    public static void main(String[] args) throws Exception {
        Integer port = null;
        Path dataDir = null;
        String churn = "1hz";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.valueOf(args[++i]);
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--churn" -> churn = args[++i];
                default -> throw new IllegalArgumentException("usage: BenchDaemon [--port N] --data-dir DIR [--churn 1hz|every-request|none] (got "
                        + args[i] + ")");
            }
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        InMemoryTorrents torrents = new InMemoryTorrents(churn.equals("every-request"), dataDir.resolve("downloads").toAbsolutePath());
        if (churn.equals("1hz")) {
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(torrents::progress, 1, 1, TimeUnit.SECONDS);
        } else if (!churn.equals("every-request") && !churn.equals("none")) {
            throw new IllegalArgumentException("--churn must be 1hz, every-request or none");
        }
        Daemon.Options defaults = Daemon.Options.of(dataDir, port);
        Daemon daemon = Daemon.start(new Daemon.Options(dataDir, port, (dir, settings) -> torrents, defaults.scryptForNewWallets()));
        System.out.println("bench daemon (in-memory torrents, churn " + churn + ") listening on 127.0.0.1:" + daemon.port());
        System.out.flush();
        daemon.awaitStopped();
        System.exit(0);
    }

    /** Status rows for parsed .torrent files; nothing is downloaded. Thread-safe by its monitor. */
    static final class InMemoryTorrents implements TorrentControl {

        private final Map<String, TorrentStatus> torrents = new LinkedHashMap<>();
        private final Map<String, Metainfo> metainfo = new LinkedHashMap<>();
        private final List<Consumer<EngineEvent>> listeners = new CopyOnWriteArrayList<>();
        private final boolean changeOnEveryList;
        private final Path saveFolder;

        InMemoryTorrents(boolean changeOnEveryList, Path saveFolder) {
            this.changeOnEveryList = changeOnEveryList;
            this.saveFolder = saveFolder;
        }

        /** Every row's download counter moves on, as an engine's progress report would. */
        synchronized void progress() {
            torrents.replaceAll((hash, s) -> new TorrentStatus(s.infoHash(), s.name(), s.state(), s.totalBytes(), s.verifiedBytes(),
                    s.downloadedBytes() + 16384, s.uploadedBytes(), s.downloadRateBytesPerSecond(), s.uploadRateBytesPerSecond(),
                    s.peers(), s.seeds(), s.etaSeconds(), s.error(), s.boost()));
        }

        @Override
        public TorrentStatus addMagnet(String uri, AddOptions options) throws InvalidTorrentInputException {
            throw new InvalidTorrentInputException("the benchmark launcher takes .torrent files only");
        }

        @Override
        public TorrentStatus addTorrentFile(byte[] torrent, AddOptions options) throws InvalidTorrentInputException {
            Metainfo m;
            try {
                m = MetainfoParser.parse(torrent);
            } catch (InvalidTorrentException e) {
                throw new InvalidTorrentInputException(e.getMessage(), e);
            }
            String hash = m.info().infoHash().hex();
            TorrentStatus s;
            synchronized (this) {
                if (torrents.containsKey(hash)) {
                    return torrents.get(hash);
                }
                s = new TorrentStatus(hash, m.info().name(), options.paused() ? TorrentState.PAUSED : TorrentState.DOWNLOADING,
                        m.info().totalLength(), 0, 0, 0, 0, 0, 0, 0, null, null, null);
                torrents.put(hash, s);
                metainfo.put(hash, m);
            }
            listeners.forEach(l -> l.accept(new EngineEvent.TorrentAdded(m.info().infoHash(), s)));
            return s;
        }

        @Override
        public synchronized List<TorrentStatus> list() {
            if (changeOnEveryList) {
                progress();
            }
            return new ArrayList<>(torrents.values());
        }

        @Override
        public synchronized Optional<TorrentDetail> detail(String infoHashHex) {
            TorrentStatus s = torrents.get(infoHashHex);
            if (s == null) {
                return Optional.empty();
            }
            List<FileStatus> files = new ArrayList<>();
            List<TorrentFile> data = metainfo.get(infoHashHex).info().dataFiles();
            for (int i = 0; i < data.size(); i++) {
                files.add(new FileStatus(i, data.get(i).displayPath(), data.get(i).length(), 0, 4));
            }
            return Optional.of(new TorrentDetail(s, files, List.of(), List.of(), RateLimits.NONE, saveFolder.toString()));
        }

        @Override
        public synchronized void pause(String infoHashHex) throws TorrentNotFoundException {
            require(infoHashHex);
        }

        @Override
        public synchronized void resume(String infoHashHex) throws TorrentNotFoundException {
            require(infoHashHex);
        }

        @Override
        public synchronized void recheck(String infoHashHex) throws TorrentNotFoundException {
            require(infoHashHex);
        }

        @Override
        public void remove(String infoHashHex, boolean deleteData) throws TorrentNotFoundException {
            synchronized (this) {
                require(infoHashHex);
                torrents.remove(infoHashHex);
                metainfo.remove(infoHashHex);
            }
            listeners.forEach(l -> l.accept(new EngineEvent.TorrentRemoved(InfoHash.fromHex(infoHashHex), false)));
        }

        @Override
        public synchronized void setFilePriority(String infoHashHex, int fileIndex, int priority) throws TorrentNotFoundException {
            require(infoHashHex);
        }

        @Override
        public synchronized void setRateLimits(String infoHashHex, RateLimits limits) throws TorrentNotFoundException {
            require(infoHashHex);
        }

        @Override
        public synchronized void setSequential(String infoHashHex, boolean sequential) throws TorrentNotFoundException {
            require(infoHashHex);
        }

        @Override
        public AutoCloseable subscribe(Consumer<EngineEvent> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        private void require(String infoHashHex) throws TorrentNotFoundException {
            if (!torrents.containsKey(infoHashHex)) {
                throw new TorrentNotFoundException(infoHashHex);
            }
        }
    }
}
