package dev.magnetar.engine;

/** A magnet's metadata (BEP 9) has not arrived yet, so its files are unknown; try again once it has. */
public final class MetadataNotKnownException extends TorrentControlException {

    public MetadataNotKnownException(String infoHash) {
        super("the files of torrent " + infoHash + " are not known yet: its metadata is still being fetched from peers");
    }
}
