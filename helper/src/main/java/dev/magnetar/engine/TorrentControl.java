package dev.magnetar.engine;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the helper's API and native host need from the BitTorrent engine: add, list, inspect and steer
 * torrents, and a stream of typed events. Torrents are named by their hex info-hash (v1: 40 hex digits,
 * v2: 64), lower case. Implementations must be thread-safe; {@link #subscribe} listeners are called on
 * the engine's own threads and must not block (the API enqueues and returns).
 */
public interface TorrentControl {

    /** Adds a magnet link (BEP 9); adding one that is already there returns its current status. */
    TorrentStatus addMagnet(String uri, AddOptions options) throws InvalidTorrentInputException, EngineUnavailableException;

    /** Adds a bencoded .torrent file (BEP 3/52). */
    TorrentStatus addTorrentFile(byte[] torrent, AddOptions options) throws InvalidTorrentInputException, EngineUnavailableException;

    List<TorrentStatus> list();

    Optional<TorrentDetail> detail(String infoHashHex);

    void pause(String infoHashHex) throws TorrentNotFoundException;

    void resume(String infoHashHex) throws TorrentNotFoundException;

    /** Removes the torrent; with {@code deleteData} also the files it downloaded. */
    void remove(String infoHashHex, boolean deleteData) throws TorrentNotFoundException;

    /** Priority 0 (skip) .. 7 (highest), libtorrent's scale; 4 is normal. */
    void setFilePriority(String infoHashHex, int fileIndex, int priority) throws TorrentNotFoundException, InvalidTorrentInputException;

    /** Sequential download (for streaming) on or off. */
    void setSequential(String infoHashHex, boolean sequential) throws TorrentNotFoundException;

    /** The torrent's own rate limits, under the global ones (0 = none of its own); kept across restarts. */
    void setRateLimits(String infoHashHex, RateLimits limits) throws TorrentNotFoundException;

    /** Registers a listener for every {@link TorrentEvent}; closing the handle unsubscribes. */
    AutoCloseable subscribe(Consumer<TorrentEvent> listener);
}
