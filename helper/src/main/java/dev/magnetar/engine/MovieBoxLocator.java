package dev.magnetar.engine;

import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * Where an MP4's movie box ({@code moov}, its sample tables) is, told from the file's first bytes: a player
 * can show nothing of a non-fragmented MP4 before it has read the whole {@code moov}, and an encoder that
 * writes the media data first (ffmpeg without {@code +faststart}, most cameras) puts it after the
 * {@code mdat} box, at the file's end. Reads only the top-level box headers (ISO/IEC 14496-12 §4.2: a
 * 32-bit size and a four-character type; size 1 means a 64-bit size follows, size 0 means "to the end of
 * the file"), so a file's first few dozen bytes are enough.
 */
final class MovieBoxLocator {

    /**
     * The most bytes after the media data taken for a movie box. Even a long film's sample tables are a few
     * MiB; a larger tail is more likely a second {@code mdat} or a broken size, and making it all
     * time-critical would hold a player back for nothing.
     */
    static final long MAX_TRAILING_BYTES = 32L << 20;

    private static final int FTYP = fourCc("ftyp");
    private static final int MDAT = fourCc("mdat");
    private static final int MOOV = fourCc("moov");
    private static final int MOOF = fourCc("moof");

    private MovieBoxLocator() {}

    /**
     * @param fileStart  the file's first bytes, from its position to its limit (not consumed)
     * @param fileLength the whole file's length
     * @return the offset in the file where the bytes after the media data begin — the movie box and any
     *         boxes beside it — if the file is an ISO base media file whose {@code mdat} comes before its
     *         {@code moov}; empty if it is not, if the {@code moov} comes first, if the file is fragmented,
     *         or if the headers read do not tell
     */
    static OptionalLong movieBoxAfterMediaData(ByteBuffer fileStart, long fileLength) {
        ByteBuffer b = fileStart.slice();
        long at = 0;
        boolean first = true;
        while (at + 8 <= b.limit()) {
            long size = Integer.toUnsignedLong(b.getInt((int) at));
            int type = b.getInt((int) at + 4);
            if (first && type != FTYP) {
                return OptionalLong.empty(); // every ISO base media file opens with its file type box (§4.3)
            }
            first = false;
            int header = 8;
            if (size == 1) {
                if (at + 16 > b.limit()) {
                    return OptionalLong.empty();
                }
                size = b.getLong((int) at + 8);
                header = 16;
            } else if (size == 0) {
                size = fileLength - at; // the last box: nothing after it
            }
            if (size < header || at + size > fileLength) {
                return OptionalLong.empty(); // not a box structure after all
            }
            if (type == MOOV || type == MOOF) {
                return OptionalLong.empty(); // the index is at the front, or the file is fragmented
            }
            if (type == MDAT) {
                long after = at + size;
                long trailing = fileLength - after;
                return trailing > 0 && trailing <= MAX_TRAILING_BYTES ? OptionalLong.of(after) : OptionalLong.empty();
            }
            at += size;
        }
        return OptionalLong.empty();
    }

    private static int fourCc(String type) {
        return (type.charAt(0) << 24) | (type.charAt(1) << 16) | (type.charAt(2) << 8) | type.charAt(3);
    }
}
