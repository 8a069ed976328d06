package dev.magnetar.engine;

/**
 * Reading one file of a torrent while it downloads, for a player: bytes come only from verified
 * pieces, and a read of a missing piece waits for it while the engine makes the pieces ahead of the
 * reader time-critical ({@link PiecePicker#setDeadlines}). Thread-safe.
 */
public interface FileStreaming {

    StreamableFile streamableFile(String infoHashHex, int fileIndex)
            throws TorrentNotFoundException, NoSuchFileInTorrentException, MetadataNotKnownException;

    /**
     * Opens a reader; close it when done (its read position stops steering the picker). A file the user
     * chose to skip is wanted again: the user asked to play it.
     */
    FileStream openStream(String infoHashHex, int fileIndex)
            throws TorrentNotFoundException, NoSuchFileInTorrentException, MetadataNotKnownException;

    /**
     * A player is about to read this file (the user pressed Play before the download started): its first and
     * last pieces, which every player reads before it shows anything, become time-critical now, so the first
     * requests to the first peers ask for them rather than for pieces a reader's arrival would then cancel.
     */
    void prepareStream(String infoHashHex, int fileIndex)
            throws TorrentNotFoundException, NoSuchFileInTorrentException, MetadataNotKnownException;

    StreamProgress streamProgress(String infoHashHex, int fileIndex)
            throws TorrentNotFoundException, NoSuchFileInTorrentException, MetadataNotKnownException;
}
