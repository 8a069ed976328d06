package dev.magnetar.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One file's BEP 52 merkle tree: SHA-256 over 16 KiB blocks. The leaf layer is padded to a power of two
 * with zero hashes (32 zero bytes), so every parent is the SHA-256 of its two children and a padding
 * subtree hashes to the same value at each height. Heights count up from the leaves (height 0, the
 * block layer) as BEP 52's "base layer" does; the piece layer sits at height log2(piece length / 16 KiB).
 *
 * <p>Built whole from a file's block hashes ({@link #ofBlockHashes}) or from its piece layer
 * ({@link #ofPieceLayer}, which knows nothing below the piece layer), a tree answers a BEP 52 hash
 * request with {@link #hashes}; {@link MerkleProof} checks such an answer against a root. The static
 * helpers hash one piece or one layer without building a tree.
 *
 * <p>Hashing uses the JDK's SHA-256: HotSpot compiles it to the CPU's SHA extensions where present, which
 * a pure-Java provider such as Bouncy Castle cannot match.
 */
public final class MerkleTree {

    /** BEP 52: leaves hash 16 KiB blocks. */
    public static final int BLOCK_SIZE = 16 * 1024;
    public static final int HASH_SIZE = 32;

    /** The lowest height this tree knows (0 for a full tree, the piece layer's height for one built from it). */
    private final int baseHeight;
    /** layers[k] holds the hashes at height baseHeight + k, concatenated; the last holds only the root. */
    private final byte[][] layers;

    private MerkleTree(int baseHeight, byte[][] layers) {
        this.baseHeight = baseHeight;
        this.layers = layers;
    }

    /**
     * The whole tree of a file from the SHA-256 of each of its {@code blockCount} blocks (concatenated),
     * padded with zero leaves to a power of two; {@code minLeaves} (a power of two) makes the tree at
     * least that wide, e.g. one piece's worth of blocks when hashing a piece.
     */
    public static MerkleTree ofBlockHashes(byte[] blockHashes, int minLeaves) {
        requireWholeHashes(blockHashes);
        return build(0, blockHashes, minLeaves);
    }

    /**
     * The part of a file's tree from its piece layer up: {@code pieceLayer} is the concatenated hashes of
     * its pieces (as in the torrent's "piece layers"), padded here with the hash of an all-padding piece.
     */
    public static MerkleTree ofPieceLayer(byte[] pieceLayer, int pieceLength) {
        requireWholeHashes(pieceLayer);
        return build(heightOfPieceLayer(pieceLength), pieceLayer, 1);
    }

    private static MerkleTree build(int baseHeight, byte[] hashes, int minWidth) {
        int count = hashes.length / HASH_SIZE;
        int width = Math.max(ceilPowerOfTwo(Math.max(1, count)), minWidth);
        MessageDigest sha256 = sha256();
        byte[] pad = padHash(baseHeight);
        byte[] level = Arrays.copyOf(hashes, width * HASH_SIZE);
        for (int i = count; i < width; i++) {
            System.arraycopy(pad, 0, level, i * HASH_SIZE, HASH_SIZE);
        }
        int heights = Integer.numberOfTrailingZeros(width) + 1;
        byte[][] layers = new byte[heights][];
        layers[0] = level;
        for (int k = 1; k < heights; k++) {
            byte[] below = layers[k - 1];
            byte[] up = new byte[below.length / 2];
            for (int i = 0; i < up.length / HASH_SIZE; i++) {
                sha256.update(below, 2 * i * HASH_SIZE, 2 * HASH_SIZE);
                digestInto(sha256, up, i * HASH_SIZE);
            }
            layers[k] = up;
        }
        return new MerkleTree(baseHeight, layers);
    }

    /** The file's "pieces root". */
    public byte[] root() {
        return layers[layers.length - 1].clone();
    }

    /** Height of the root above the block layer: log2 of the padded number of leaves. */
    public int rootHeight() {
        return baseHeight + layers.length - 1;
    }

    /** All hashes at {@code height}, padding included, concatenated; null if this tree does not reach that low. */
    public byte[] layer(int height) {
        int k = height - baseHeight;
        return k < 0 || k >= layers.length ? null : layers[k].clone();
    }

    /**
     * The payload of a BEP 52 "hashes" message: {@code length} hashes of the layer at {@code baseLayer}
     * from {@code index} on, then one uncle hash for each layer from the top of that run up to
     * {@code baseLayer + proofLayers}, lowest first (the layers below the run's top are computed by the
     * receiver from the run itself). Null when this tree cannot answer: a range outside the layer, a
     * length that is not a power of two or an index not a multiple of it, or proof layers reaching the
     * root (which the receiver has already).
     */
    public byte[][] hashes(int baseLayer, int index, int length, int proofLayers) {
        int k = baseLayer - baseHeight;
        if (k < 0 || k >= layers.length - 1 || length < 1 || Integer.bitCount(length) != 1 || index < 0 || index % length != 0
                || proofLayers < 0 || baseLayer + proofLayers >= rootHeight()) {
            return null;
        }
        int layerCount = layers[k].length / HASH_SIZE;
        if (index + length > layerCount) {
            return null;
        }
        int runHeight = Integer.numberOfTrailingZeros(length);
        int uncles = Math.max(0, proofLayers - runHeight + 1);
        byte[][] out = new byte[length + uncles][];
        for (int i = 0; i < length; i++) {
            out[i] = Arrays.copyOfRange(layers[k], (index + i) * HASH_SIZE, (index + i + 1) * HASH_SIZE);
        }
        int node = index >> runHeight;
        for (int u = 0; u < uncles; u++) {
            byte[] layer = layers[k + runHeight + u];
            int sibling = node ^ 1;
            out[length + u] = Arrays.copyOfRange(layer, sibling * HASH_SIZE, (sibling + 1) * HASH_SIZE);
            node >>= 1;
        }
        return out;
    }

    /** The height of the piece layer: log2 of the blocks in a piece. */
    public static int heightOfPieceLayer(int pieceLength) {
        if (pieceLength < BLOCK_SIZE || Integer.bitCount(pieceLength) != 1) {
            throw new IllegalArgumentException("a v2 piece length is a power of two of at least 16 KiB, not " + pieceLength);
        }
        return Integer.numberOfTrailingZeros(pieceLength / BLOCK_SIZE);
    }

    /** The hash of a subtree of only padding leaves, {@code height} layers tall (height 0: 32 zero bytes). */
    public static byte[] padHash(int height) {
        MessageDigest sha256 = sha256();
        byte[] pad = new byte[HASH_SIZE];
        for (int h = 0; h < height; h++) {
            sha256.update(pad);
            sha256.update(pad);
            pad = sha256.digest();
        }
        return pad;
    }

    /**
     * The root over one file's piece layer: {@code layer} is the concatenated piece hashes, padded with
     * the hash of an all-padding piece up to a power of two.
     */
    public static byte[] rootFromPieceLayer(byte[] layer, int pieceLength) {
        return ofPieceLayer(layer, pieceLength).root();
    }

    /**
     * The root of the subtree over {@code length} bytes of {@code data} from {@code offset}, cut into 16 KiB
     * blocks (the last may be short) and padded with zero leaves to {@code leaves}, a power of two: with a
     * piece's worth of leaves this is the piece's entry in its file's piece layer; for a file of at most
     * one piece, with leaves = its blocks rounded up to a power of two, it is the file's pieces root.
     */
    public static byte[] subtreeRoot(byte[] data, int offset, int length, int leaves) {
        int blocks = blocksIn(length);
        if (Integer.bitCount(leaves) != 1 || blocks > leaves) {
            throw new IllegalArgumentException(length + " bytes do not fit under " + leaves + " leaves");
        }
        MessageDigest sha256 = sha256();
        byte[] level = new byte[leaves * HASH_SIZE]; // zero leaves past the data, BEP 52
        for (int b = 0; b < blocks; b++) {
            int start = b * BLOCK_SIZE;
            sha256.update(data, offset + start, Math.min(BLOCK_SIZE, length - start));
            digestInto(sha256, level, b * HASH_SIZE);
        }
        for (int width = leaves / 2; width >= 1; width /= 2) {
            for (int i = 0; i < width; i++) {
                sha256.update(level, 2 * i * HASH_SIZE, 2 * HASH_SIZE);
                digestInto(sha256, level, i * HASH_SIZE);
            }
        }
        return Arrays.copyOf(level, HASH_SIZE);
    }

    /** The number of 16 KiB blocks (the last possibly short) in {@code length} bytes. */
    public static int blocksIn(long length) {
        return (int) ((length + BLOCK_SIZE - 1) / BLOCK_SIZE);
    }

    /** The smallest power of two at least {@code n} (n ≥ 1). */
    public static int ceilPowerOfTwo(int n) {
        int p = Integer.highestOneBit(n);
        return p == n ? p : p << 1;
    }

    private static void requireWholeHashes(byte[] hashes) {
        if (hashes.length % HASH_SIZE != 0) {
            throw new IllegalArgumentException("hashes are " + HASH_SIZE + " bytes each, got " + hashes.length + " bytes");
        }
    }

    private static void digestInto(MessageDigest sha256, byte[] out, int offset) {
        try {
            sha256.digest(out, offset, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 writes 32 bytes", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
