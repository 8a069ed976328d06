package dev.magnetar.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The session's list rows, sorted, built once and handed out again until something a row shows has
 * changed. {@code GET /api/v1/torrents} and every new WebSocket client's snapshot ask for the whole
 * list; building a thousand statuses and sorting them on every request was what capped that route
 * at a few hundred requests a second (bench/README.md). Now a request costs a volatile read, and
 * the list is rebuilt only:
 * <ul>
 *   <li>after an event that changes a row ({@link #affectsRows}: added, removed, a state, the name
 *       and size from the metadata, peers coming and going, a tick's progress), so a client that
 *       saw an event, or changed a torrent and saw the change happen, never reads an older list;</li>
 *   <li>once it is older than {@code maxAgeNanos}, for what changes without an event (a paused
 *       torrent's rates falling to zero, a boost's budget): no staler than the progress events.</li>
 * </ul>
 * A change while the list is being built leaves it out of date, so the next call builds again.
 */
final class TorrentListView {

    private record Built(long version, long builtAtNanos, List<TorrentStatus> rows) {}

    private final Supplier<List<TorrentStatus>> build;
    private final LongSupplier nanoTime;
    private final long maxAgeNanos;
    private final Object building = new Object();
    /** Bumped by every change; a list built at another version is out of date. */
    private final AtomicLong version = new AtomicLong();
    private volatile Built last;

    TorrentListView(Supplier<List<TorrentStatus>> build, LongSupplier nanoTime, long maxAgeNanos) {
        this.build = build;
        this.nanoTime = nanoTime;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** Whether {@code event} can change what a list row shows (a verified piece shows only in the next tick's progress). */
    static boolean affectsRows(EngineEvent event) {
        return event instanceof EngineEvent.TorrentAdded || event instanceof EngineEvent.TorrentRemoved
                || event instanceof EngineEvent.StateChanged || event instanceof EngineEvent.ProgressUpdated
                || event instanceof EngineEvent.MetadataReceived || event instanceof EngineEvent.DownloadCompleted
                || event instanceof EngineEvent.PeerConnected || event instanceof EngineEvent.PeerDisconnected;
    }

    /** Marks the list out of date; call after the change is visible to {@link #build}. */
    void changed() {
        version.incrementAndGet();
    }

    /** The rows: the same list instance as last time while nothing changed, so callers can compare by identity. */
    List<TorrentStatus> rows() {
        Built b = last;
        if (fresh(b)) {
            return b.rows();
        }
        synchronized (building) { // one builder; the others take its result
            b = last;
            if (fresh(b)) {
                return b.rows();
            }
            long v = version.get(); // read before building: a change from here on makes this build stale
            long at = nanoTime.getAsLong();
            List<TorrentStatus> rows = build.get();
            last = new Built(v, at, rows);
            return rows;
        }
    }

    private boolean fresh(Built b) {
        return b != null && b.version() == version.get() && nanoTime.getAsLong() - b.builtAtNanos() < maxAgeNanos;
    }
}
