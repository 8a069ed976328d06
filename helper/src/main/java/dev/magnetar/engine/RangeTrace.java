package dev.magnetar.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time went before one player read (one HTTP range request) got its first bytes: the pieces it
 * waited for, how far each was when the wait began, and how long each took to verify. One log line per
 * range request, so a slow first frame or seek can be read off the helper's log rather than guessed at.
 * Only the torrent's loop touches it.
 */
final class RangeTrace {

    private final long openedNanos;
    private long position = -1;
    /** Per piece waited for: when the wait began, and how far the piece was then. */
    private final Map<Integer, Wait> waits = new LinkedHashMap<>();

    private static final class Wait {
        final long sinceNanos;
        final String progressAtStart;
        long verifiedNanos = -1;

        Wait(long sinceNanos, String progressAtStart) {
            this.sinceNanos = sinceNanos;
            this.progressAtStart = progressAtStart;
        }
    }

    RangeTrace(long openedNanos) {
        this.openedNanos = openedNanos;
    }

    /** The reader's first read asks for byte {@code position} of the file. */
    void reads(long position) {
        if (this.position < 0) {
            this.position = position;
        }
    }

    /** It has to wait for {@code piece}, which is {@code progress} now ({@link PiecePicker#progress}). */
    void waits(int piece, String progress, long nowNanos) {
        waits.putIfAbsent(piece, new Wait(nowNanos, progress));
    }

    /** {@code piece}, if it waited for it, is verified now. */
    void verified(int piece, long nowNanos) {
        Wait w = waits.get(piece);
        if (w != null && w.verifiedNanos < 0) {
            w.verifiedNanos = nowNanos;
        }
    }

    /** The first bytes go out now: what the log says of this read. */
    String served(long nowNanos) {
        StringBuilder line = new StringBuilder("from byte ").append(position).append(": first bytes ")
                .append(millis(nowNanos - openedNanos)).append(" ms after the request");
        if (waits.isEmpty()) {
            return line.append(", nothing waited for").toString();
        }
        for (Map.Entry<Integer, Wait> e : waits.entrySet()) {
            Wait w = e.getValue();
            line.append("; piece ").append(e.getKey()).append(" (").append(w.progressAtStart).append(" at ")
                    .append(millis(w.sinceNanos - openedNanos)).append(" ms) verified ");
            line.append(w.verifiedNanos < 0 ? "-" : Long.toString(millis(w.verifiedNanos - openedNanos))).append(" ms");
        }
        return line.toString();
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
