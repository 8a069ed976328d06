package dev.magnetar.engine;

/** The torrent has no file with this index (or it is a BEP 47 pad file); its detail lists the files. */
public final class NoSuchFileInTorrentException extends TorrentControlException {

    public NoSuchFileInTorrentException(String infoHash, int index) {
        super("torrent " + infoHash + " has no file " + index + "; its detail lists the files and their indexes");
    }
}
