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

    /**
     * Adds a magnet link (BEP 9); adding one that is already there returns its current status. A
     * download folder the helper cannot write to is refused before anything is fetched.
     */
    TorrentStatus addMagnet(String uri, AddOptions options)
            throws InvalidTorrentInputException, UnusableDownloadFolderException, EngineUnavailableException;

    /**
     * Adds a bencoded .torrent file (BEP 3/52). A folder the helper cannot write to is refused, unless
     * it already holds every file at its full size (seeding from read-only media).
     */
    TorrentStatus addTorrentFile(byte[] torrent, AddOptions options)
            throws InvalidTorrentInputException, UnusableDownloadFolderException, EngineUnavailableException;

    List<TorrentStatus> list();

    Optional<TorrentDetail> detail(String infoHashHex);

    /** {@link TorrentEconomy#boostRefusal} of the torrent: why a boost so small could buy nothing now, if it could not. */
    default Optional<String> boostRefusal(String infoHashHex, java.math.BigInteger capBaseUnits, java.math.BigInteger ratePerGiB) {
        return Optional.empty();
    }

    /** {@link TorrentEconomy#lowestSellerAsk} of the torrent: the lowest ask of the sellers connected now, if any. */
    default Optional<java.math.BigInteger> lowestSellerAsk(String infoHashHex) {
        return Optional.empty();
    }

    void pause(String infoHashHex) throws TorrentNotFoundException;

    /** Resumes a paused torrent; one in ERROR opens its files again and rechecks what changed. */
    void resume(String infoHashHex) throws TorrentNotFoundException;

    /**
     * Hashes the torrent's files again and goes on with what they hold (a way out of ERROR too).
     * Refused while the metadata is not known yet: there is nothing to check.
     */
    void recheck(String infoHashHex) throws TorrentNotFoundException, TorrentStateException;

    /** Removes the torrent; with {@code deleteData} also the files it downloaded. */
    void remove(String infoHashHex, boolean deleteData) throws TorrentNotFoundException;

    /** Priority on the {@link FilePriority} scale: 0 (skip) .. 7 (highest), 4 normal. */
    void setFilePriority(String infoHashHex, int fileIndex, int priority) throws TorrentNotFoundException, InvalidTorrentInputException;

    /** Sequential download (for streaming) on or off. */
    void setSequential(String infoHashHex, boolean sequential) throws TorrentNotFoundException;

    /** The torrent's own rate limits, under the global ones (0 = none of its own); kept across restarts. */
    void setRateLimits(String infoHashHex, RateLimits limits) throws TorrentNotFoundException;

    /**
     * The torrent's own seeding goal, kept across restarts; null follows the engine-wide one. A torrent
     * that finished seeding ({@link TorrentState#COMPLETED}) seeds again until the new goal is reached.
     */
    void setSeedingGoal(String infoHashHex, SeedingGoal goal) throws TorrentNotFoundException;

    /**
     * Starts a torrent added with {@link AddOptions#awaitChoice} once its metadata is known: its files go
     * to {@code downloadDir} (absolute; it must exist and be writable), those in {@code skipFiles}
     * (file indexes) are not downloaded. Refused while it does not wait for a choice.
     */
    void startWithChoice(String infoHashHex, String downloadDir, java.util.Set<Integer> skipFiles)
            throws TorrentNotFoundException, TorrentStateException, UnusableDownloadFolderException, InvalidTorrentInputException;

    /** Reading files while they download, for a player; empty where the engine cannot (a test double). */
    default java.util.Optional<FileStreaming> fileStreaming() {
        return java.util.Optional.empty();
    }

    /** Registers a listener for every {@link EngineEvent} of every torrent; closing the handle unsubscribes. */
    AutoCloseable subscribe(Consumer<EngineEvent> listener);
}
