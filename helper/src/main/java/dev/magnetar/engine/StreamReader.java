package dev.magnetar.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One open read of a file by a player (one HTTP request of its stream): the file, where it reads now,
 * and when it was opened. Only the torrent's loop touches it.
 */
final class StreamReader {

    final StreamableFile file;
    /** Opening order among the torrent's readers: higher is newer. */
    final long opened;
    long position;
    /** Whether a read of it has been answered: until then its window is {@link ReadAhead#FIRST_WINDOW_BYTES}. */
    boolean served;
    /** Whether bytes of a piece not whole yet (leaf-verified blocks) were served to it: for the log. */
    boolean servedEarly;
        /** Whether a read of it had to wait for a piece: it reads where the download is, not behind it. */
    boolean waited;
    /**
     * Whether the piece its first read waits for has verified: its bytes are being read from disk for the
     * player, and its window grows now rather than once they are out (see {@link TorrentStreams}).
     */
    boolean firstPieceVerified;

    /** Where its first read's time goes, for the log. */
    final RangeTrace trace;

    StreamReader(StreamableFile file, long opened, long openedNanos) {
        this.file = file;
        this.opened = opened;
        this.trace = new RangeTrace(openedNanos);
    }

    /**
     * The readers, most urgent first: those that waited for a piece before those served only from
     * verified pieces, and among each the newest opened. A player opens a new request when it jumps (a
     * seek, an mp4's {@code moov} at the end) and drops the old one only later; the old one still reads
     * whatever arrives meanwhile, and ranking readers by their last read let it pull the time-critical
     * pieces back to where the player no longer is, over and over. A short request for bytes already
     * here (a player re-reading a header) must not lead either: as the newest it took the lead from a
     * seek's reader waiting for its piece, and its window had the peers cancel that piece.
     */
    static List<StreamReader> byUrgency(Collection<StreamReader> readers) {
        List<StreamReader> out = new ArrayList<>(readers);
        out.sort(Comparator.comparing((StreamReader r) -> r.waited).thenComparingLong(r -> r.opened).reversed());
        return out;
    }
}
