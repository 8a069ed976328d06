package dev.magnetar.storage;

import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps ranges of the torrent's contiguous byte space (BEP 3: all files concatenated in order, cut
 * into pieces) onto the files that hold them. Pad files (BEP 47) are part of the byte space — they
 * are hashed — so they appear as segments flagged {@code padding}; zero-length files hold no bytes
 * and never appear. Lookups are a binary search over the start offsets of the non-empty files.
 */
public final class PieceLayout {

    private final TorrentInfo info;
    private final List<TorrentFile> files;
    /** Indices (into {@code files}) of the files that hold at least one byte, in torrent order. */
    private final int[] nonEmpty;
    /** {@code starts[k]} = offset of file {@code nonEmpty[k]}; strictly increasing. */
    private final long[] starts;
    private final long totalLength;

    public PieceLayout(TorrentInfo info) {
        this.info = info;
        this.files = info.files();
        long expected = 0;
        int[] idx = new int[files.size()];
        long[] st = new long[files.size()];
        int n = 0;
        for (int i = 0; i < files.size(); i++) {
            TorrentFile f = files.get(i);
            if (f.offset() != expected) {
                throw new IllegalArgumentException("file " + i + " starts at " + f.offset() + ", expected " + expected
                        + ": files must be contiguous");
            }
            expected = f.end();
            if (f.length() > 0) {
                idx[n] = i;
                st[n] = f.offset();
                n++;
            }
        }
        this.nonEmpty = Arrays.copyOf(idx, n);
        this.starts = Arrays.copyOf(st, n);
        this.totalLength = expected;
    }

    public long totalLength() {
        return totalLength;
    }

    public int pieceCount() {
        return info.pieceCount();
    }

    public int pieceSize(int piece) {
        return info.pieceSize(piece);
    }

    /** Where piece {@code piece} starts in the torrent's byte space. */
    public long pieceOffset(int piece) {
        checkPiece(piece);
        return (long) piece * info.pieceLength();
    }

    /**
     * The file segments holding {@code length} bytes at {@code begin} inside piece {@code piece}, in
     * order; their lengths add up to {@code length}.
     *
     * @throws IllegalArgumentException if the range leaves the piece (callers facing peers check first)
     */
    public List<FileSegment> segments(int piece, int begin, int length) {
        int size = pieceSize(piece);
        if (begin < 0 || length < 0 || (long) begin + length > size) {
            throw new IllegalArgumentException("range " + begin + "+" + length + " outside piece " + piece + " of " + size + " bytes");
        }
        return segments(pieceOffset(piece) + begin, length);
    }

    /** The file segments holding {@code length} bytes at {@code torrentOffset}, in order. */
    public List<FileSegment> segments(long torrentOffset, int length) {
        if (torrentOffset < 0 || length < 0 || torrentOffset + length > totalLength) {
            throw new IllegalArgumentException("range " + torrentOffset + "+" + length + " outside torrent of " + totalLength + " bytes");
        }
        List<FileSegment> out = new ArrayList<>(2);
        if (length == 0) {
            return out;
        }
        long pos = torrentOffset;
        long end = torrentOffset + length;
        for (int k = slotOf(pos); pos < end; k++) {
            TorrentFile f = files.get(nonEmpty[k]);
            int run = (int) (Math.min(end, f.end()) - pos);
            out.add(new FileSegment(nonEmpty[k], pos - f.offset(), run, f.padding()));
            pos += run;
        }
        return out;
    }

    /** Pieces that overlap file {@code fileIndex}; empty for a zero-length file. */
    public PieceRange piecesOf(int fileIndex) {
        TorrentFile f = files.get(fileIndex);
        if (f.length() == 0) {
            return new PieceRange(0, 0);
        }
        int first = (int) (f.offset() / info.pieceLength());
        int last = (int) ((f.end() - 1) / info.pieceLength());
        return new PieceRange(first, last + 1);
    }

    /** Indices of the files (pad files included) that hold bytes of piece {@code piece}, in order. */
    public int[] filesOf(int piece) {
        long start = pieceOffset(piece);
        long end = start + pieceSize(piece);
        int first = slotOf(start);
        int k = first;
        while (k < starts.length && starts[k] < end) {
            k++;
        }
        int[] out = new int[k - first];
        for (int j = first; j < k; j++) {
            out[j - first] = nonEmpty[j];
        }
        return out;
    }

    /** Slot in {@code nonEmpty} of the file holding byte {@code pos} (which must exist). */
    private int slotOf(long pos) {
        int k = Arrays.binarySearch(starts, pos);
        return k >= 0 ? k : -k - 2;
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= info.pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + info.pieceCount());
        }
    }
}
