package dev.magnetar.storage;

import dev.magnetar.metainfo.FileHashes;
import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.PieceLayers;
import dev.magnetar.metainfo.TorrentInfo;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a whole piece's bytes are that piece, by the torrent's own hashes:
 * <ul>
 * <li>v1: the SHA-1 of the piece (BEP 3);
 * <li>v2-only: the SHA-256 merkle root of the file's 16 KiB blocks in the piece, zero leaves past the
 *     file's end, against the file's piece layer or (a file of one piece) its pieces root (BEP 52); the
 *     pad bytes after a file's end belong to no file's tree and must be zeros;
 * <li>hybrid: both, when the v2 hash is known — like libtorrent, a piece that passes one and fails the
 *     other is refused: the torrent's two halves describe different data.
 * </ul>
 */
final class PieceVerifier {

    private static final Logger log = LoggerFactory.getLogger(PieceVerifier.class);

    /** Which hashes a piece was checked against. */
    enum Kind {
        SHA1,
        MERKLE,
        SHA1_AND_MERKLE
    }

    private final TorrentInfo info;
    private final PieceLayers layers;

    PieceVerifier(TorrentInfo info) {
        this.info = info;
        this.layers = info.pieceLayers();
    }

    /** The hashes a verified piece of this torrent has passed. */
    Kind kind() {
        return switch (info.metaVersion()) {
            case V1 -> Kind.SHA1;
            case V2 -> Kind.MERKLE;
            case HYBRID -> Kind.SHA1_AND_MERKLE;
        };
    }

    boolean matches(int index, byte[] data) {
        if (info.metaVersion() == MetaVersion.V1) {
            return sha1Matches(index, data);
        }
        if (info.metaVersion() == MetaVersion.V2) {
            return merkleMatches(index, data);
        }
        boolean v1 = sha1Matches(index, data);
        if (layers.expectedPieceHash(index) == null && layers.fileOfPiece(index) != null) {
            return v1; // the v2 layer is not known (yet): the v1 hash alone decides, as before
        }
        boolean v2 = layers.fileOfPiece(index) == null ? isZero(data, 0) : merkleMatches(index, data);
        if (v1 != v2) {
            log.warn("Piece {} of {} passes its {} hash but not its {} hash: the torrent's v1 and v2 hashes describe"
                    + " different data", index, info.infoHash(), v1 ? "v1" : "v2", v1 ? "v2" : "v1");
            return false;
        }
        return v1;
    }

    private boolean sha1Matches(int index, byte[] data) {
        return MessageDigest.isEqual(Sha1.of(data), info.pieceHash(index));
    }

    private boolean merkleMatches(int index, byte[] data) {
        FileHashes f = layers.fileOfPiece(index);
        if (f == null) {
            return isZero(data, 0); // a piece of padding only (BEP 47 zeros)
        }
        int fileBytes = f.bytesInPiece(index - f.firstPiece(), info.pieceLength());
        return layers.matches(index, data, 0, fileBytes) && isZero(data, fileBytes);
    }

    private static boolean isZero(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
