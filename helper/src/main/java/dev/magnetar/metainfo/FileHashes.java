package dev.magnetar.metainfo;

/**
 * Where one non-empty file of a v2 or hybrid torrent sits among the torrent's pieces, and its BEP 52
 * "pieces root". BEP 52 starts every file on a piece boundary, so a file owns whole pieces: from
 * {@code firstPiece}, {@code pieceCount} of them, the last one possibly short.
 *
 * @param fileIndex the file's index in {@link TorrentInfo#files()}
 * @param displayPath the file's path joined with '/', for messages
 * @param length bytes in the file (more than zero)
 * @param piecesRoot the 32-byte root of the file's merkle tree
 * @param firstPiece the torrent-wide index of the file's first piece
 * @param pieceCount pieces the file spans
 */
public record FileHashes(int fileIndex, String displayPath, long length, byte[] piecesRoot, int firstPiece, int pieceCount) {

    public FileHashes {
        if (length <= 0 || piecesRoot.length != MerkleTree.HASH_SIZE || firstPiece < 0 || pieceCount < 1) {
            throw new IllegalArgumentException("a v2 file has data, a 32-byte root and at least one piece");
        }
        piecesRoot = piecesRoot.clone();
    }

    @Override
    public byte[] piecesRoot() {
        return piecesRoot.clone();
    }

    /**
     * BEP 52: only a file larger than one piece has an entry in "piece layers"; for a smaller one, the
     * piece's hash is the root itself.
     */
    public boolean hasPieceLayer() {
        return pieceCount > 1;
    }

    /** Whether this file's root is {@code root}. */
    public boolean hasRoot(byte[] root) {
        return java.util.Arrays.equals(piecesRoot, root);
    }

    /** Whether torrent-wide piece {@code piece} belongs to this file. */
    public boolean containsPiece(int piece) {
        return piece >= firstPiece && piece < firstPiece + pieceCount;
    }

    /** Bytes of this file in its {@code pieceInFile}-th piece: the piece length, except in the last. */
    public int bytesInPiece(int pieceInFile, int pieceLength) {
        return (int) Math.min(pieceLength, length - (long) pieceInFile * pieceLength);
    }

    /** Height of this file's tree root above the block layer: log2 of its blocks rounded up to a power of two. */
    public int rootHeight() {
        return Integer.numberOfTrailingZeros(MerkleTree.ceilPowerOfTwo(MerkleTree.blocksIn(length)));
    }
}
