package dev.magnetar.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a whole file that must stay below a size cap: the helper's own state files and a user's .torrent.
 * A file that has grown past its cap is refused rather than loaded, so a damaged or hostile file cannot
 * make the helper allocate without bound. The cap is enforced on what is read, not on a size looked up
 * beforehand, so a file that grows between the two cannot slip past it.
 */
public final class BoundedFiles {

    /** The file holds more than the cap allows; its message says how much it held at least. */
    public static final class FileTooLargeException extends IOException {
        private final long atLeastBytes;

        FileTooLargeException(Path file, long atLeastBytes, long maxBytes) {
            super(file + " holds at least " + atLeastBytes + " bytes, more than the " + maxBytes + " this file may have");
            this.atLeastBytes = atLeastBytes;
        }

        /** How many bytes the file held at least when it was refused. */
        public long atLeastBytes() {
            return atLeastBytes;
        }
    }

    private BoundedFiles() {}

    /**
     * The file's bytes.
     *
     * @throws FileTooLargeException it holds more than {@code maxBytes}
     * @throws java.nio.file.NoSuchFileException there is no such file
     * @throws IOException it cannot be read
     */
    public static byte[] readAll(Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new FileTooLargeException(file, size, maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new FileTooLargeException(file, bytes.length, maxBytes);
            }
            return bytes;
        }
    }
}
