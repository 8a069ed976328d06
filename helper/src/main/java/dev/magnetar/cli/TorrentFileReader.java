package dev.magnetar.cli;

import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.util.BoundedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the .torrent file a user named on the command line, with errors that say what to give instead. */
final class TorrentFileReader {

    /** Larger than any real .torrent; libtorrent's default limit is 100 MB too. */
    static final long MAX_TORRENT_FILE_BYTES = 100L << 20;

    private TorrentFileReader() {}

    static byte[] read(Path file) throws InvalidTorrentException {
        if (Files.isDirectory(file)) {
            throw new InvalidTorrentException(file + " is a folder, not a .torrent file (to make a torrent of it, use"
                    + " \"magnetar create\")");
        }
        try {
            return BoundedFiles.readAll(file, MAX_TORRENT_FILE_BYTES);
        } catch (NoSuchFileException e) {
            throw new InvalidTorrentException(file + " does not exist (give a .torrent file or a magnet: link)");
        } catch (BoundedFiles.FileTooLargeException e) {
            throw new InvalidTorrentException(file + " is " + e.atLeastBytes() + " bytes or more, too large to be a .torrent file");
        } catch (IOException e) {
            throw new InvalidTorrentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
