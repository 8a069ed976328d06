package dev.magnetar.engine;

import java.nio.file.Path;

/**
 * One file of a torrent as a stream serves it.
 *
 * @param path     the file's path inside the torrent, '/'-separated (for display and its extension)
 * @param location where it is (or will be) on disk
 * @param complete whether every byte of it is verified
 */
public record StreamableFile(String infoHash, int index, String path, long size, Path location, boolean complete) {

    /** The last component of {@link #path}: what a player shows and an extension is taken from. */
    public String fileName() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
