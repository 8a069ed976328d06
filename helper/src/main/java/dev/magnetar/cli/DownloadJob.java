package dev.magnetar.cli;

import dev.magnetar.metainfo.MagnetLink;
import dev.magnetar.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A download the user asked for, checked: exactly one of a parsed .torrent ({@code metainfo}, with its
 * file's bytes) and a magnet link, the folder, the peers (resolved) and how to fetch it.
 */
record DownloadJob(Metainfo metainfo, byte[] torrentFile, MagnetLink magnet, Path dir, List<InetSocketAddress> peers,
        boolean sequential, long stallSeconds) {

    /** The info-hash the helper's API knows the torrent by (BEP 3's SHA-1; BEP 52's truncated SHA-256 for v2-only). */
    String infoHashHex() {
        return metainfo != null ? metainfo.info().infoHash().hex() : magnet.infoHash().hex();
    }
}
