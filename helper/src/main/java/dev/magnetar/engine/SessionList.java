package dev.magnetar.engine;

import dev.magnetar.metainfo.InfoHash;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The torrents the user added, kept in a {@link SessionFile} so a restarted engine brings them back.
 *
 * <p>Changes come from any thread, including torrent event loops (metadata arrived), so the file is
 * written on a thread of its own: an fsync must never stall peer I/O. Each write takes the list as it
 * is when the write runs, and writes are serialised, so the last write always holds the latest list;
 * bursts of changes collapse into one write. {@link #close} writes whatever is still pending.
 */
final class SessionList implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionList.class);

    private final SessionFile file;
    private final SessionFile.Loaded loaded;
    private final Map<String, SessionEntry> entries = new LinkedHashMap<>(); // guarded by this
    private final ExecutorService writer;
    private boolean dirty; // guarded by this
    private boolean closed; // guarded by this

    private SessionList(SessionFile file) {
        this.file = file;
        this.loaded = file.load();
        for (SessionEntry e : loaded.entries()) {
            entries.put(e.infoHash(), e);
        }
        this.writer = Executors.newSingleThreadExecutor(new DefaultThreadFactory("session-list-writer", true));
    }

    /** Reads {@code path} (an unusable file is set aside, see {@link SessionFile}). */
    static SessionList open(Path path) {
        return new SessionList(new SessionFile(path, Clock.systemUTC()));
    }

    /** What the file held at open: the torrents to restore. */
    SessionFile.Loaded loaded() {
        return loaded;
    }

    synchronized List<SessionEntry> entries() {
        return new ArrayList<>(entries.values());
    }

    void put(SessionEntry entry) {
        synchronized (this) {
            entries.put(entry.infoHash(), entry);
        }
        scheduleWrite();
    }

    /** Changes the entry of {@code infoHash} if there is one (a removed torrent is not brought back). */
    void update(InfoHash infoHash, UnaryOperator<SessionEntry> change) {
        boolean changed;
        synchronized (this) {
            SessionEntry before = entries.get(infoHash.hex());
            SessionEntry after = before == null ? null : change.apply(before);
            changed = after != null && !after.equals(before);
            if (changed) {
                entries.put(after.infoHash(), after);
            }
        }
        if (changed) {
            scheduleWrite();
        }
    }

    void remove(InfoHash infoHash) {
        boolean removed;
        synchronized (this) {
            removed = entries.remove(infoHash.hex()) != null;
        }
        if (removed) {
            scheduleWrite();
        }
    }

    private void scheduleWrite() {
        synchronized (this) {
            if (closed) {
                return; // close() has written the final list; later changes are the shutdown's own
            }
            dirty = true;
        }
        try {
            writer.execute(this::writeIfDirty);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // close() raced us: its final write runs after the writer stopped and sees the dirty flag.
        }
    }

    /** Serialised by the lock on {@link #file}: a write in progress finishes before the next snapshot. */
    private void writeIfDirty() {
        synchronized (file) {
            List<SessionEntry> snapshot;
            synchronized (this) {
                if (!dirty) {
                    return;
                }
                dirty = false;
                snapshot = new ArrayList<>(entries.values());
            }
            try {
                file.save(snapshot);
            } catch (IOException e) {
                // Kept in memory; the next change (or close) tries again.
                synchronized (this) {
                    dirty = true;
                }
                log.warn("cannot save the torrent list to {} ({}); it is retried on the next change", file.path(), e.toString());
            }
        }
    }

    /** Writes what is pending and stops the writer thread. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeIfDirty();
    }
}
