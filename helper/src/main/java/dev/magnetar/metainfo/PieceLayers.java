package dev.magnetar.metainfo;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The BEP 52 hashes of a v2 or hybrid torrent: each file's pieces root and, once known, its piece layer
 * (from the .torrent's "piece layers", or fetched from peers with hash requests). A layer is accepted
 * only after it hashes up to its file's root, so what this holds is always trustworthy; layers are only
 * ever added, never replaced, which is why it can be shared between threads as it is.
 */
public final class PieceLayers {

    private final int pieceLength;
    private final List<FileHashes> files;
    private final AtomicReferenceArray<byte[]> layers;

    public PieceLayers(int pieceLength, List<FileHashes> files) {
        MerkleTree.heightOfPieceLayer(pieceLength); // validates
        this.pieceLength = pieceLength;
        this.files = List.copyOf(files);
        this.layers = new AtomicReferenceArray<>(this.files.size());
    }

    public int pieceLength() {
        return pieceLength;
    }

    /** The non-empty files, in torrent order. */
    public List<FileHashes> files() {
        return files;
    }

    /** The file with pieces root {@code root}, or null. */
    public FileHashes fileWithRoot(byte[] root) {
        for (FileHashes f : files) {
            if (f.hasRoot(root)) {
                return f;
            }
        }
        return null;
    }

    /** The file that torrent-wide piece {@code piece} belongs to, or null (a piece of only padding, or out of range). */
    public FileHashes fileOfPiece(int piece) {
        int low = 0;
        int high = files.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            FileHashes f = files.get(mid);
            if (piece < f.firstPiece()) {
                high = mid - 1;
            } else if (piece >= f.firstPiece() + f.pieceCount()) {
                low = mid + 1;
            } else {
                return f;
            }
        }
        return null;
    }

    /** Whether {@code file}'s piece hashes are known: from its layer, or (one piece) its root. */
    public boolean hasHashesFor(FileHashes file) {
        return !file.hasPieceLayer() || layers.get(files.indexOf(file)) != null;
    }

    /** Whether every file's piece hashes are known, so that any piece can be verified. */
    public boolean isComplete() {
        for (FileHashes f : files) {
            if (!hasHashesFor(f)) {
                return false;
            }
        }
        return true;
    }

    /** The piece layer of {@code file} (concatenated 32-byte hashes), or null while unknown or for a one-piece file. */
    public byte[] layer(FileHashes file) {
        byte[] layer = layers.get(indexOf(file));
        return layer == null ? null : layer.clone();
    }

    /**
     * The hash piece {@code piece} must have: its entry in its file's piece layer, or the file's root when
     * the file is one piece. Null when the piece is padding only or its file's layer is not known yet.
     */
    public byte[] expectedPieceHash(int piece) {
        FileHashes f = fileOfPiece(piece);
        if (f == null) {
            return null;
        }
        if (!f.hasPieceLayer()) {
            return f.piecesRoot();
        }
        byte[] layer = layers.get(files.indexOf(f));
        if (layer == null) {
            return null;
        }
        int i = piece - f.firstPiece();
        return Arrays.copyOfRange(layer, i * MerkleTree.HASH_SIZE, (i + 1) * MerkleTree.HASH_SIZE);
    }

    /**
     * Whether {@code length} bytes of {@code data} from {@code offset} — the file's bytes in piece
     * {@code piece}, padding after the file's end left out — are that piece. BEP 52: the piece's
     * 16 KiB blocks are leaves of a subtree one piece wide, zero hashes past the file's end; a file of one
     * piece is its whole tree, its leaves rounded up to a power of two only. False when the hash is unknown.
     */
    public boolean matches(int piece, byte[] data, int offset, int length) {
        FileHashes f = fileOfPiece(piece);
        byte[] expected = expectedPieceHash(piece);
        if (f == null || expected == null || length != f.bytesInPiece(piece - f.firstPiece(), pieceLength)) {
            return false;
        }
        int leaves = f.hasPieceLayer() ? pieceLength / MerkleTree.BLOCK_SIZE : 1 << f.rootHeight();
        return java.security.MessageDigest.isEqual(MerkleTree.subtreeRoot(data, offset, length, leaves), expected);
    }

    /**
     * Accepts {@code layer} as the piece layer of the file with pieces root {@code root}.
     *
     * @throws InvalidTorrentException when no file larger than a piece has that root, the layer has the
     *     wrong size or does not hash up to the root
     */
    public void addLayer(byte[] root, byte[] layer) throws InvalidTorrentException {
        FileHashes f = fileWithRoot(root);
        if (f == null || !f.hasPieceLayer()) {
            throw new InvalidTorrentException("a piece layer belongs to no file larger than a piece (BEP 52 lists layers only"
                    + " for those); the torrent is damaged");
        }
        if (layer.length % MerkleTree.HASH_SIZE != 0) {
            throw new InvalidTorrentException("the piece layer of " + fileName(f) + " has " + layer.length
                    + " bytes, which are not whole 32-byte SHA-256 hashes; the torrent is damaged");
        }
        if (layer.length / MerkleTree.HASH_SIZE != f.pieceCount()) {
            throw new InvalidTorrentException("the piece layer of " + fileName(f) + " has " + layer.length / MerkleTree.HASH_SIZE
                    + " hashes, but a file of " + f.length() + " bytes in pieces of " + pieceLength + " has " + f.pieceCount()
                    + " pieces; the torrent is damaged");
        }
        if (!f.hasRoot(MerkleTree.rootFromPieceLayer(layer, pieceLength))) {
            throw new InvalidTorrentException("the piece layer of " + fileName(f) + " does not hash to the file's pieces root;"
                    + " the torrent is damaged");
        }
        layers.compareAndSet(indexOf(f), null, layer.clone());
    }

    private int indexOf(FileHashes file) {
        int i = files.indexOf(file);
        if (i < 0) {
            throw new IllegalArgumentException("not a file of this torrent");
        }
        return i;
    }

    private static String fileName(FileHashes f) {
        return "\"" + f.displayPath() + "\"";
    }
}
