package dev.magnetar.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Which hashes of which file's merkle tree a BEP 52 hash request, hashes or hash reject message is
 * about — the 48-byte header the three share: {@code <pieces root 32><base layer 4><index 4><length
 * 4><proof layers 4>}, big-endian.
 *
 * <p>Layers count up from the 16 KiB leaf blocks (layer 0) in the tree padded to a power of two
 * leaves. {@code length} hashes of layer {@code baseLayer} from {@code index} are asked for, plus the
 * uncle hashes of the {@code proofLayers} layers above it that link them to the pieces root. BEP 52:
 * the requested hashes already cover the first {@code log2(length)} of those layers, so a reply carries
 * {@code length + max(0, proofLayers - log2(length) + 1)} hashes ({@link #hashesInReply()}).
 *
 * <p>The shape rules checked here hold whatever the torrent: BEP 52 "index MUST be a multiple of
 * length" and a power-of-two length. BEP 52 also says the length is at least two; libtorrent 2.0
 * asks for 1 when a file's last 512-piece chunk holds a single piece, so 1 is accepted. Whether the
 * range fits the file's tree, and how many hashes we serve at once, is the engine's decision.
 *
 * @param piecesRoot the file's 32-byte "pieces root" (copied in and out)
 * @param baseLayer the layer of the requested hashes (0: leaf blocks)
 * @param index the first requested hash within that layer
 * @param length how many hashes of the base layer
 * @param proofLayers how many layers above the base layer the proof spans
 */
public record HashRange(byte[] piecesRoot, int baseLayer, int index, int length, int proofLayers) {

    /** SHA-256, BEP 52's tree hash. */
    public static final int HASH_LENGTH = 32;
    /** The shared header on the wire. */
    public static final int HEADER_LENGTH = HASH_LENGTH + 4 * 4;
    /**
     * Layers above the leaves in the largest tree: files are below 2^48 bytes (libtorrent's
     * {@code max_file_size}), that is 2^34 blocks of 16 KiB. Deeper base or proof layers name nothing.
     */
    public static final int MAX_TREE_DEPTH = 34;
    /**
     * Largest base-layer length any request may name: libtorrent's own bound (its leaf-hash requests
     * cover one piece, 8192 blocks for 128 MiB pieces). What we serve and ask for is smaller.
     */
    public static final int MAX_LENGTH = 8192;

    public HashRange {
        if (piecesRoot.length != HASH_LENGTH) {
            throw new IllegalArgumentException("a pieces root is 32 bytes, got " + piecesRoot.length);
        }
        piecesRoot = piecesRoot.clone();
        String problem = problem(baseLayer, index, length, proofLayers);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with this shape of range, or null when it is well formed. */
    static String problem(long baseLayer, long index, long length, long proofLayers) {
        if (length < 1 || length > MAX_LENGTH || Long.bitCount(length) != 1) {
            return "hash range length " + length + " is not a power of two from 1 to " + MAX_LENGTH;
        }
        if (index < 0 || index > Integer.MAX_VALUE || index % length != 0) {
            return "hash range index " + index + " is not a multiple of its length " + length;
        }
        if (baseLayer < 0 || baseLayer >= MAX_TREE_DEPTH) {
            return "base layer " + baseLayer + " is beyond any file's tree (at most " + (MAX_TREE_DEPTH - 1) + ")";
        }
        if (proofLayers < 0 || baseLayer + proofLayers >= MAX_TREE_DEPTH) {
            return "proof layers " + proofLayers + " above base layer " + baseLayer + " reach beyond any file's tree";
        }
        return null;
    }

    @Override
    public byte[] piecesRoot() {
        return piecesRoot.clone();
    }

    /** The uncle hashes a reply carries after the requested ones (see the class comment). */
    public int proofHashes() {
        return proofHashes(length, proofLayers);
    }

    static int proofHashes(long length, long proofLayers) {
        int coveredLayers = Long.numberOfTrailingZeros(length); // log2 of a power of two
        return (int) Math.max(0, proofLayers - coveredLayers + 1);
    }

    /** Hashes in a {@code hashes} message answering this range: the requested ones, then the proof. */
    public int hashesInReply() {
        return length + proofHashes();
    }

    /** Whether {@code root} is this range's pieces root, without copying. */
    public boolean isFor(byte[] root) {
        return Arrays.equals(piecesRoot, root);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashRange r && Arrays.equals(piecesRoot, r.piecesRoot) && baseLayer == r.baseLayer
                && index == r.index && length == r.length && proofLayers == r.proofLayers;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * Arrays.hashCode(piecesRoot) + baseLayer) + index) + length) + proofLayers;
    }

    @Override
    public String toString() {
        return "HashRange[root=" + HexFormat.of().formatHex(piecesRoot, 0, 8) + "…, base=" + baseLayer + ", index=" + index
                + ", length=" + length + ", proofLayers=" + proofLayers + "]";
    }
}
