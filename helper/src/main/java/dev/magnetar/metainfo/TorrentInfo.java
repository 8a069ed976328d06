package dev.magnetar.metainfo;

import java.util.Arrays;
import java.util.List;

/**
 * What a torrent's info dictionary says: name, piece layout, file layout, and the info-hash of its
 * exact original bytes. Built by the metainfo parser (from a .torrent or from metadata fetched
 * via BEP 9) or by hand in tests.
 *
 * @param name sanitised display/root name
 * @param pieceLength bytes per piece (the last piece may be shorter)
 * @param pieceHashes concatenated 20-byte SHA-1 hashes, one per piece (none for a v2-only torrent)
 * @param files every file including pad files, in torrent order; a v2-only torrent gets pad files here
 *     too, between its files, because BEP 52 starts each file on a piece boundary
 * @param infoHash SHA-1 of {@code infoBytes}
 * @param infoBytes the bencoded info dictionary exactly as it was received (served to peers via BEP 9)
 * @param isPrivate BEP 27: no DHT, PEX or LSD for this torrent
 * @param metaVersion which layouts the info dictionary carries (v1, v2 or both, BEP 52)
 * @param v2InfoHash the full 32-byte SHA-256 of {@code infoBytes} for v2 and hybrid torrents, else null
 * @param pieceLayers the BEP 52 per-file roots and piece layers of a v2 or hybrid torrent, else null
 */
public record TorrentInfo(
        String name,
        int pieceLength,
        byte[] pieceHashes,
        List<TorrentFile> files,
        InfoHash infoHash,
        byte[] infoBytes,
        boolean isPrivate,
        MetaVersion metaVersion,
        byte[] v2InfoHash,
        PieceLayers pieceLayers) {

    public TorrentInfo {
        files = List.copyOf(files);
        if (pieceLength <= 0) {
            throw new IllegalArgumentException("piece length must be positive");
        }
        if (pieceHashes.length % 20 != 0) {
            throw new IllegalArgumentException("piece hashes are 20 bytes each");
        }
        if (metaVersion.hasV2() != (v2InfoHash != null) || (v2InfoHash != null && v2InfoHash.length != 32)) {
            throw new IllegalArgumentException("a v2 or hybrid torrent has a 32-byte v2 info-hash, a v1 one none");
        }
        if (metaVersion.hasV2() != (pieceLayers != null)) {
            throw new IllegalArgumentException("a v2 or hybrid torrent has piece layers, a v1 one none");
        }
        if (metaVersion == MetaVersion.V2) {
            // BEP 52 v2-only: hashes live per file in "piece layers", there is no v1 "pieces" string.
            if (pieceHashes.length != 0) {
                throw new IllegalArgumentException("a v2-only torrent has no v1 piece hashes");
            }
        } else {
            checkPieceCount(files, pieceLength, pieceHashes);
        }
    }

    private static void checkPieceCount(List<TorrentFile> files, int pieceLength, byte[] pieceHashes) {
        long total = files.stream().mapToLong(TorrentFile::length).sum();
        long expectedPieces = (total + pieceLength - 1) / pieceLength;
        if (expectedPieces != pieceHashes.length / 20) {
            throw new IllegalArgumentException("torrent of " + total + " bytes in pieces of " + pieceLength
                    + " needs " + expectedPieces + " piece hashes, has " + pieceHashes.length / 20);
        }
    }

    /** A v1 torrent (the form every existing caller builds). */
    public TorrentInfo(String name, int pieceLength, byte[] pieceHashes, List<TorrentFile> files,
            InfoHash infoHash, byte[] infoBytes, boolean isPrivate) {
        this(name, pieceLength, pieceHashes, files, infoHash, infoBytes, isPrivate, MetaVersion.V1, null, null);
    }

    /**
     * Whether this engine can download it from this metadata: v1 and hybrid torrents yes, v2-only ones once
     * every file's piece hashes are known (BEP 52 "piece layers": in the .torrent, or fetched from peers).
     */
    public boolean isDownloadable() {
        return metaVersion.hasV1() || pieceLayers.isComplete();
    }

    /**
     * For the engine to call before it starts a download from this metadata alone: a v2-only torrent
     * without its piece layers fails here with a message the user can act on, instead of failing
     * somewhere deep in the piece logic (a btmh magnet's download fetches the layers before it gets here).
     */
    public TorrentInfo requireDownloadable() throws UnsupportedTorrentException {
        if (!isDownloadable()) {
            throw new UnsupportedTorrentException("\"" + name + "\" is a BitTorrent v2-only torrent (BEP 52) without the piece"
                    + " layers of its larger files, which only peers of its v2 swarm send. Add it by its v2 magnet link"
                    + " (xt=urn:btmh:1220…), whose download fetches them from peers, or by a .torrent file that carries them.");
        }
        return this;
    }

    /** Pieces in this torrent's layout (for v2-only torrents too, whose files the pad files align). */
    public long layoutPieceCount() {
        return pieceCount();
    }

    public long totalLength() {
        return files.isEmpty() ? 0 : files.get(files.size() - 1).end();
    }

    public int pieceCount() {
        if (metaVersion == MetaVersion.V2) {
            return (int) ((totalLength() + pieceLength - 1) / pieceLength);
        }
        return pieceHashes.length / 20;
    }

    /** Length of piece {@code index}: {@code pieceLength} except possibly the last. */
    public int pieceSize(int index) {
        if (index < 0 || index >= pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount());
        }
        long start = (long) index * pieceLength;
        return (int) Math.min(pieceLength, totalLength() - start);
    }

    /** The expected SHA-1 of piece {@code index} (v1 and hybrid torrents). */
    public byte[] pieceHash(int index) {
        return Arrays.copyOfRange(pieceHashes, index * 20, index * 20 + 20);
    }

    /** Files that hold actual data (pad files excluded). */
    public List<TorrentFile> dataFiles() {
        return files.stream().filter(f -> !f.padding()).toList();
    }
}
