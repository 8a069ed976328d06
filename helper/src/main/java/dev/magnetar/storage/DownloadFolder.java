package dev.magnetar.storage;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a download folder can take the torrent's files, asked before any piece is requested: a
 * folder we cannot write would otherwise cost the whole download, failing only at the first piece.
 * The test is a real write (a temporary file, removed at once), not a permission check, because
 * permissions do not tell about a read-only mount, a full quota, or a root process on either.
 */
public final class DownloadFolder {

    private DownloadFolder() {}

    /** Creates {@code dir} if needed and proves a file can be created in it. Blocks: call it off the event loops. */
    public static void requireWritable(Path dir) throws StorageException {
        Path probe = null;
        try {
            Files.createDirectories(dir);
            probe = Files.createTempFile(dir, ".magnetar-write-check-", ".tmp");
        } catch (IOException e) {
            StorageException cause = StorageErrors.from(e, "creating a file in", dir, dir);
            String why = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.toString();
            StorageException.Reason reason = cause.reason() == StorageException.Reason.DISK_FULL
                    ? StorageException.Reason.DISK_FULL : StorageException.Reason.PERMISSION_DENIED;
            throw new StorageException(reason, "cannot write to the download folder " + dir + " (" + why + ")",
                    reason == StorageException.Reason.DISK_FULL ? "free space on " + dir + " and resume the torrent"
                            : "choose a folder the helper can write to, or give it write access to " + dir, e);
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // an empty hidden file left behind is harmless; the folder is writable, which is the answer
                }
            }
        }
    }
}
