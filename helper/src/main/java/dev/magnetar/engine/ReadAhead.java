package dev.magnetar.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Which pieces a file's readers need next, most urgent first: for each reader (most urgent first) the
 * first piece from its position on that is not verified yet — the one it will wait for — then the
 * pieces holding the file's last {@link #END_EDGE_BYTES} and first {@link #EDGE_BYTES}, which a player
 * reads before it can show anything (an mp4's {@code moov} box is often at the end, and Chromium reads
 * it right after the file's first bytes; a Matroska file's cues are at the end too), then each
 * reader's window ahead, which follows the rate the stream is read at. A peer serves requests in the
 * order they were sent, so this order is the order the bytes come in. Pure arithmetic over the file's
 * place in the torrent's byte space (BEP 3 concatenation).
 */
final class ReadAhead {

    /** Bytes at the start of a file fetched as soon as a stream opens. */
    static final long EDGE_BYTES = 1L << 20;
    /**
     * Bytes at its end: a Matroska file's cues, the tail of an mp4's {@code moov}. Small, because they come
     * before the reader's window: at twice a low bitrate a whole MiB there would take many seconds from the
     * next piece a playing reader waits for. A larger {@code moov} is read when the player asks for it,
     * and then it is the reader's first missing piece.
     */
    static final long END_EDGE_BYTES = 64L << 10;
    /** Seconds of playback the window covers at the measured read rate. */
    static final long LOOKAHEAD_SECONDS = 10;
    /** The window before any rate is known, and its floor: a few pieces so a starting player never starves. */
    static final long MIN_WINDOW_BYTES = 4L << 20;
    /** Its ceiling: beyond this time-critical requests would crowd out the rest of the torrent. */
    static final long MAX_WINDOW_BYTES = 64L << 20;
    /**
     * The window of a reader not served yet (a new request: a start, a seek, an mp4's {@code moov}): the
     * player waits for its first bytes, and every piece requested beside them shares the peers' upload
     * with them. It grows to {@link #windowBytes} once the first bytes are out.
     */
    static final long FIRST_WINDOW_BYTES = 1L << 20;

    private ReadAhead() {}

    /** Bytes ahead of a read position that are time-critical when the stream is read at {@code bytesPerSecond}. */
    static long windowBytes(long bytesPerSecond) {
        long wanted = bytesPerSecond > MAX_WINDOW_BYTES / LOOKAHEAD_SECONDS ? MAX_WINDOW_BYTES : bytesPerSecond * LOOKAHEAD_SECONDS;
        return Math.max(MIN_WINDOW_BYTES, Math.min(MAX_WINDOW_BYTES, wanted));
    }

    /**
     * @param fileOffset    where the file starts in the torrent's byte space
     * @param fileLength    its length
     * @param pieceLength   the torrent's piece length
     * @param readPositions offsets in the file, most urgent first
     * @param windowBytes   bytes ahead of each position ({@link #windowBytes})
     * @param verified      whether a piece is verified already
     */
    static List<Integer> deadlines(long fileOffset, long fileLength, int pieceLength, List<Long> readPositions, long windowBytes,
            IntPredicate verified) {
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        if (fileLength <= 0) {
            return List.of();
        }
        for (long position : readPositions) {
            int next = nextMissing(fileOffset, fileLength, pieceLength, position, windowBytes, verified);
            if (next >= 0) {
                out.add(next);
            }
        }
        addPieces(out, fileOffset, pieceLength, Math.max(0, fileLength - END_EDGE_BYTES), fileLength);
        addPieces(out, fileOffset, pieceLength, 0, Math.min(fileLength, EDGE_BYTES));
        for (long position : readPositions) {
            long start = clamp(position, fileLength);
            addPieces(out, fileOffset, pieceLength, start, Math.min(fileLength, start + windowBytes));
        }
        return List.copyOf(out);
    }

    /**
     * The first piece from {@code position} on, within {@code windowBytes}, that is not verified: the one
     * the reader will wait for. Not just the piece at the position: once it is verified the reader reads
     * on into the next one, which must not queue behind the file's ends. -1 if all are verified.
     */
    static int nextMissing(long fileOffset, long fileLength, int pieceLength, long position, long windowBytes, IntPredicate verified) {
        if (fileLength <= 0) {
            return -1;
        }
        long start = clamp(position, fileLength);
        int first = (int) ((fileOffset + start) / pieceLength);
        int last = (int) ((fileOffset + Math.min(fileLength, start + Math.max(1, windowBytes)) - 1) / pieceLength);
        for (int p = first; p <= last; p++) {
            if (!verified.test(p)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * The pieces covering bytes {@code [from, fileLength)} of the file that are not verified, in order: an
     * MP4's movie box after its media data ({@link MovieBoxLocator}), without which a player shows nothing.
     */
    static List<Integer> missingUpToTheEnd(long fileOffset, long fileLength, int pieceLength, long from, IntPredicate verified) {
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        addPieces(out, fileOffset, pieceLength, Math.max(0, from), fileLength);
        out.removeIf(verified::test);
        return List.copyOf(out);
    }

    private static long clamp(long position, long fileLength) {
        return Math.max(0, Math.min(position, fileLength - 1));
    }

    /** The pieces covering bytes {@code [from, to)} of the file, in order. */
    private static void addPieces(LinkedHashSet<Integer> out, long fileOffset, int pieceLength, long from, long to) {
        if (to <= from) {
            return;
        }
        int first = (int) ((fileOffset + from) / pieceLength);
        int last = (int) ((fileOffset + to - 1) / pieceLength);
        for (int p = first; p <= last; p++) {
            out.add(p);
        }
    }
}
