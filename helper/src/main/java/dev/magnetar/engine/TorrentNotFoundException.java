package dev.magnetar.engine;

/** No torrent with this info-hash is loaded; list the torrents to see what is there. */
public final class TorrentNotFoundException extends TorrentControlException {

    private final String infoHash;

    public TorrentNotFoundException(String infoHash) {
        super("no torrent with info-hash " + infoHash + " (it may have been removed)");
        this.infoHash = infoHash;
    }
}
