package dev.magnetar.api;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.FileStatus;
import dev.magnetar.engine.InvalidTorrentInputException;
import dev.magnetar.engine.PeerStatus;
import dev.magnetar.engine.RateLimits;
import dev.magnetar.engine.SeedingGoal;
import dev.magnetar.engine.SeedingStatus;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.engine.TorrentDetail;
import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.TorrentNotFoundException;
import dev.magnetar.engine.TorrentStateException;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.engine.TorrentStatus;
import dev.magnetar.engine.TrackerStatus;
import dev.magnetar.engine.UnusableDownloadFolderException;
import dev.magnetar.metainfo.InfoHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test double of the engine (only for API tests): torrents live in a map, a magnet's info-hash is taken
 * from its xt, and {@link #progress} moves a torrent forward the way the engine would, publishing events.
 */
final class InMemoryTorrentControl implements TorrentControl {

    private static final Pattern BTIH = Pattern.compile("xt=urn:btih:([0-9a-fA-F]{40})");
    static final long SIZE = 1 << 20;
    static final String SAVE_FOLDER = "/tmp/magnetar-in-memory-downloads";

    private final Map<String, TorrentStatus> torrents = new LinkedHashMap<>();
    private final Map<String, Integer> priorities = new LinkedHashMap<>();
    private final Map<String, RateLimits> limits = new LinkedHashMap<>();
    private final Map<String, SeedingGoal> seedingGoals = new LinkedHashMap<>();
    private final List<Consumer<EngineEvent>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public synchronized TorrentStatus addMagnet(String uri, AddOptions options) throws InvalidTorrentInputException {
        Matcher m = BTIH.matcher(uri);
        if (!m.find()) {
            throw new InvalidTorrentInputException("the magnet link has no v1 info-hash (xt=urn:btih:<40 hex digits>)");
        }
        String hash = m.group(1).toLowerCase(Locale.ROOT);
        if (torrents.containsKey(hash)) {
            return torrents.get(hash);
        }
        TorrentStatus s = status(hash, "magnet " + hash.substring(0, 8), options.paused() ? TorrentState.PAUSED : TorrentState.DOWNLOADING, 0);
        torrents.put(hash, s);
        publish(new EngineEvent.TorrentAdded(InfoHash.fromHex(hash), s));
        return s;
    }

    @Override
    public synchronized TorrentStatus addTorrentFile(byte[] torrent, AddOptions options) throws InvalidTorrentInputException {
        if (torrent.length == 0 || torrent[0] != 'd') {
            throw new InvalidTorrentInputException("not a .torrent file: it must be a bencoded dictionary");
        }
        String hash = String.format("%040x", new java.math.BigInteger(1, java.util.Arrays.copyOf(torrent, 20)));
        TorrentStatus s = status(hash, "file torrent", TorrentState.DOWNLOADING, 0);
        torrents.put(hash, s);
        publish(new EngineEvent.TorrentAdded(InfoHash.fromHex(hash), s));
        return s;
    }

    @Override
    public synchronized List<TorrentStatus> list() {
        return new ArrayList<>(torrents.values());
    }

    @Override
    public synchronized Optional<TorrentDetail> detail(String infoHashHex) {
        TorrentStatus s = torrents.get(infoHashHex);
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new TorrentDetail(s, List.of(new FileStatus(0, "data.bin", SIZE, s.verifiedBytes(), priorities.getOrDefault(infoHashHex, 4))),
                List.of(new PeerStatus("127.0.0.1:6881", "libtorrent/2.0.8", 1000, 0, 1.0, "D")),
                List.of(new TrackerStatus("http://127.0.0.1:6969/announce", "working", null, 1, 1800L)),
                limits.getOrDefault(infoHashHex, RateLimits.NONE), SAVE_FOLDER,
                new SeedingStatus(seedingGoals.get(infoHashHex), seedingGoals.getOrDefault(infoHashHex, SeedingGoal.NONE), 0, 0, null)));
    }

    @Override
    public synchronized void pause(String h) throws TorrentNotFoundException {
        changeState(h, TorrentState.PAUSED);
    }

    @Override
    public synchronized void resume(String h) throws TorrentNotFoundException {
        changeState(h, TorrentState.DOWNLOADING);
    }

    /** Like the engine: nothing to check before the metadata (a magnet added paused stands for that here). */
    @Override
    public synchronized void recheck(String h) throws TorrentNotFoundException, TorrentStateException {
        if (require(h).state() == TorrentState.PAUSED) {
            throw new TorrentStateException("no metadata yet: there is nothing to check until it arrives");
        }
        changeState(h, TorrentState.CHECKING);
    }

    @Override
    public synchronized void remove(String h, boolean deleteData) throws TorrentNotFoundException {
        require(h);
        torrents.remove(h);
        publish(new EngineEvent.TorrentRemoved(InfoHash.fromHex(h), deleteData));
    }

    @Override
    public synchronized void setFilePriority(String h, int fileIndex, int priority) throws TorrentNotFoundException, InvalidTorrentInputException {
        require(h);
        if (fileIndex != 0) {
            throw new InvalidTorrentInputException("this torrent has 1 file; index " + fileIndex + " does not exist");
        }
        priorities.put(h, priority);
    }

    /** Like the engine: only a torrent waiting for a choice (here: PAUSED) starts; the folder must exist. */
    @Override
    public synchronized void startWithChoice(String h, String downloadDir, java.util.Set<Integer> skipFiles)
            throws TorrentNotFoundException, TorrentStateException, UnusableDownloadFolderException, InvalidTorrentInputException {
        if (require(h).state() != TorrentState.PAUSED) {
            throw new TorrentStateException("not waiting for a choice of files");
        }
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(downloadDir))) {
            throw new UnusableDownloadFolderException("the folder " + downloadDir + " does not exist", null);
        }
        if (skipFiles.stream().anyMatch(f -> f > 0)) {
            throw new InvalidTorrentInputException("no file " + skipFiles + " in this torrent");
        }
        changeState(h, TorrentState.DOWNLOADING);
    }

    @Override
    public synchronized void setSeedingGoal(String h, SeedingGoal goal) throws TorrentNotFoundException {
        require(h);
        if (goal == null) {
            seedingGoals.remove(h);
        } else {
            seedingGoals.put(h, goal);
        }
    }

    @Override
    public synchronized void setRateLimits(String h, RateLimits l) throws TorrentNotFoundException {
        require(h);
        limits.put(h, l);
    }

    @Override
    public synchronized void setSequential(String h, boolean sequential) throws TorrentNotFoundException {
        require(h);
    }

    @Override
    public AutoCloseable subscribe(Consumer<EngineEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Moves a torrent to {@code verifiedBytes}; at SIZE it becomes SEEDING. */
    synchronized TorrentStatus progress(String h, long verifiedBytes) throws TorrentNotFoundException {
        TorrentStatus old = require(h);
        TorrentState state = verifiedBytes >= SIZE ? TorrentState.SEEDING : old.state();
        TorrentStatus next = status(h, old.name(), state, verifiedBytes);
        torrents.put(h, next);
        publish(state != old.state() ? new EngineEvent.StateChanged(InfoHash.fromHex(h), old.state(), next)
                : new EngineEvent.ProgressUpdated(InfoHash.fromHex(h), next));
        return next;
    }

    /** Publishes progress with an oversized name (for slow-client tests), without storing it. */
    void publishLarge(String h, int nameBytes) {
        publish(new EngineEvent.ProgressUpdated(InfoHash.fromHex(h), status(h, "x".repeat(nameBytes), TorrentState.DOWNLOADING, 0)));
    }

    private void changeState(String h, TorrentState state) throws TorrentNotFoundException {
        TorrentStatus old = require(h);
        TorrentStatus next = status(h, old.name(), state, old.verifiedBytes());
        torrents.put(h, next);
        if (state != old.state()) {
            publish(new EngineEvent.StateChanged(InfoHash.fromHex(h), old.state(), next));
        }
    }

    private TorrentStatus require(String h) throws TorrentNotFoundException {
        TorrentStatus s = torrents.get(h);
        if (s == null) {
            throw new TorrentNotFoundException(h);
        }
        return s;
    }

    private void publish(EngineEvent e) {
        for (Consumer<EngineEvent> l : listeners) {
            l.accept(e);
        }
    }

    private static TorrentStatus status(String hash, String name, TorrentState state, long verified) {
        boolean done = verified >= SIZE;
        return new TorrentStatus(hash, name, state, SIZE, verified, verified, 0, done ? 0 : 4096, 0, 1, 1,
                done ? null : (SIZE - verified) / 4096, null, null);
    }
}
