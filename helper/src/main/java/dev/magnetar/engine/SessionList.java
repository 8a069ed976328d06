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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The torrents the user added, kept in a {@link SessionFile} so a restarted engine brings them back.
 *
 * <p>Each change is appended to the file's {@link SessionJournal} rather than rewriting the whole list:
 * adding a thousand torrents one by one then writes a thousand short lines, not a thousand growing
 * copies of the list. The whole list is written again (and the journal emptied) once the journal holds
 * about as many lines as the list has entries, so the work per change stays constant on average.
 *
 * <p>Changes come from any thread, including torrent event loops (metadata arrived), so the file is
 * written on a thread of its own: an fsync must never stall peer I/O. Changes that arrive while a write
 * is underway go out together in the next one (one append, one fdatasync). A caller that acknowledges a
 * change to the user (the API's add and remove) waits for {@link #written}: once it completes, a
 * {@code kill -9} or a power cut no longer loses the change. {@link #close} writes the whole list and
 * removes the journal.
 */
final class SessionList implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionList.class);
    /** The journal is folded into the file after at least this many lines, however short the list. */
    static final int MIN_LINES_BEFORE_REWRITE = 256;

    private final SessionFile file;
    private final SessionJournal journal;
    private final SessionFile.Loaded loaded;
    private final Map<String, SessionEntry> entries = new LinkedHashMap<>(); // guarded by this
    private final ExecutorService writer;
    private List<SessionJournal.Change> queued = new ArrayList<>(); // guarded by this
    /** Completes once {@link #queued} is written. */
    private CompletableFuture<Void> queuedWritten = new CompletableFuture<>(); // guarded by this
    /** Completes once the batch being written now is; null when none is. */
    private CompletableFuture<Void> inFlight; // guarded by this
    private boolean writeScheduled; // guarded by this
    /** Whether the file lags behind the list (the journal holds lines, or a write failed). */
    private boolean fileBehind; // only on the writer thread, and in close after it stopped
    private boolean closed; // guarded by this

    private SessionList(SessionFile file, SessionJournal journal) {
        this.file = file;
        this.journal = journal;
        SessionFile.Loaded snapshot = file.load();
        for (SessionEntry e : snapshot.entries()) {
            entries.put(e.infoHash(), e);
        }
        SessionJournal.Read changes = journal.read();
        for (SessionJournal.Change c : changes.changes()) {
            apply(c);
        }
        List<String> problems = new ArrayList<>(snapshot.problems());
        problems.addAll(changes.problems());
        this.loaded = new SessionFile.Loaded(List.copyOf(entries.values()), List.copyOf(problems), snapshot.setAsideTo());
        this.writer = Executors.newSingleThreadExecutor(new DefaultThreadFactory("session-list-writer", true));
        if (changes.lines() > 0 || !changes.problems().isEmpty()) {
            fileBehind = true;
            writer.execute(this::rewrite); // what the last run journaled goes into the file
        }
    }

    /** Reads {@code path} and its journal (an unusable file is set aside, see {@link SessionFile}). */
    static SessionList open(Path path) {
        return new SessionList(new SessionFile(path, Clock.systemUTC()), new SessionJournal(SessionJournal.beside(path), Clock.systemUTC()));
    }

    /** What the file and its journal held at open: the torrents to restore. */
    SessionFile.Loaded loaded() {
        return loaded;
    }

    synchronized List<SessionEntry> entries() {
        return new ArrayList<>(entries.values());
    }

    void put(SessionEntry entry) {
        change(new SessionJournal.Put(entry));
    }

    /** Changes the entry of {@code infoHash} if there is one (a removed torrent is not brought back). */
    void update(InfoHash infoHash, UnaryOperator<SessionEntry> change) {
        synchronized (this) {
            SessionEntry before = entries.get(infoHash.hex());
            SessionEntry after = before == null ? null : change.apply(before);
            if (after != null && !after.equals(before)) {
                change(new SessionJournal.Put(after));
            }
        }
    }

    void remove(InfoHash infoHash) {
        synchronized (this) {
            if (entries.containsKey(infoHash.hex())) {
                change(new SessionJournal.Remove(infoHash.hex()));
            }
        }
    }

    /**
     * Completes once every change made before this call is on disk (fdatasync'd), or exceptionally if
     * writing it failed (it is kept and tried again with the next change).
     */
    synchronized CompletableFuture<Void> written() {
        if (!queued.isEmpty()) {
            return queuedWritten;
        }
        return inFlight != null ? inFlight : CompletableFuture.completedFuture(null);
    }

    private synchronized void apply(SessionJournal.Change c) {
        if (c instanceof SessionJournal.Put p) {
            entries.put(p.infoHash(), p.entry());
        } else {
            entries.remove(c.infoHash());
        }
    }

    private synchronized void change(SessionJournal.Change c) {
        apply(c);
        if (closed) {
            return; // close() writes the list as it is; later changes are the shutdown's own
        }
        queued.add(c);
        if (!writeScheduled) {
            writeScheduled = true;
            try {
                writer.execute(this::writeQueued);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // close() raced us: its final write takes the list as it is.
            }
        }
    }

    /** On the writer thread: appends what is queued, and folds the journal into the file when it is long. */
    private void writeQueued() {
        List<SessionJournal.Change> batch;
        CompletableFuture<Void> done;
        synchronized (this) {
            writeScheduled = false;
            if (queued.isEmpty()) {
                return;
            }
            batch = queued;
            done = queuedWritten;
            queued = new ArrayList<>();
            queuedWritten = new CompletableFuture<>();
            inFlight = done;
        }
        try {
            journal.append(batch);
            fileBehind = true;
            int size;
            synchronized (this) {
                size = entries.size();
            }
            if (journal.lines() >= Math.max(MIN_LINES_BEFORE_REWRITE, size)) {
                rewrite();
            }
            done.complete(null);
        } catch (IOException e) {
            synchronized (this) {
                queued.addAll(0, batch); // kept in memory; the next change (or close) tries again
            }
            log.warn("cannot save the torrent list to {} ({}); it is retried on the next change", journal.path(), e.toString());
            done.completeExceptionally(e);
        } finally {
            synchronized (this) {
                if (inFlight == done) {
                    inFlight = null;
                }
            }
        }
    }

    /**
     * Writes the whole list, then empties the journal. The list may already hold changes still queued
     * for the journal; appending them afterwards is harmless, replaying is idempotent.
     */
    private void rewrite() {
        List<SessionEntry> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(entries.values());
        }
        try {
            file.save(snapshot);
            journal.clear();
            fileBehind = false;
        } catch (IOException e) {
            // The journal still holds every change: nothing is lost, the file is written again later.
            log.warn("cannot rewrite the torrent list {} ({}); its journal keeps the changes", file.path(), e.toString());
        }
    }

    /** Writes the whole list, removes the journal and stops the writer thread. */
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
        List<SessionJournal.Change> pending;
        CompletableFuture<Void> pendingWritten;
        synchronized (this) {
            pending = queued;
            pendingWritten = queuedWritten;
            queued = new ArrayList<>();
        }
        if (!pending.isEmpty() || fileBehind) {
            List<SessionEntry> snapshot;
            synchronized (this) {
                snapshot = new ArrayList<>(entries.values());
            }
            try {
                file.save(snapshot);
                fileBehind = false;
            } catch (IOException e) {
                log.warn("cannot save the torrent list to {} at shutdown ({}); the changes since it was last written"
                        + " are kept in its journal where they could be written", file.path(), e.toString());
                try {
                    journal.append(pending);
                    fileBehind = true;
                } catch (IOException again) {
                    log.warn("cannot write the journal {} either ({}); the latest changes to the torrent list are lost",
                            journal.path(), again.toString());
                    pendingWritten.completeExceptionally(again);
                }
            }
        }
        pendingWritten.complete(null);
        try {
            if (fileBehind) {
                journal.close(); // its lines are the only record of the latest changes
            } else {
                journal.delete(); // empty: the file holds everything
            }
        } catch (IOException e) {
            log.debug("closing {}: {}", journal.path(), e.toString());
        }
    }
}
