package dev.magnetar.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A reader of one file of a torrent (see {@link FileStreaming}): each read moves its read position,
 * which decides the pieces the engine fetches first. Close it when the reader is gone. Thread-safe.
 */
public final class FileStream implements AutoCloseable {

    /** The most one read returns: a storage block (whole blocks keep the disk reads large). */
    public static final int MAX_READ_BYTES = 128 * 1024;

    private final TorrentStreams owner;
    private final long id;
    private final StreamableFile file;

    FileStream(TorrentStreams owner, long id, StreamableFile file) {
        this.owner = owner;
        this.id = id;
        this.file = file;
    }

    public StreamableFile file() {
        return file;
    }

    /**
     * Up to {@code maxBytes} (at most {@link #MAX_READ_BYTES}, never past the end of a piece) of the
     * file from {@code position}, once the piece holding them is verified: the buffer is ready to read.
     * Fails with {@link TorrentNotFoundException} if the torrent is removed meanwhile; the caller
     * bounds the wait (a piece may never come).
     */
    public CompletableFuture<ByteBuffer> read(long position, int maxBytes) {
        if (position < 0 || position >= file.size()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "position " + position + " is outside the file (" + file.size() + " bytes)"));
        }
        if (maxBytes <= 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("read of " + maxBytes + " bytes"));
        }
        return owner.read(id, file, position, Math.min(maxBytes, MAX_READ_BYTES));
    }

    @Override
    public void close() {
        owner.closeReader(id);
    }
}
