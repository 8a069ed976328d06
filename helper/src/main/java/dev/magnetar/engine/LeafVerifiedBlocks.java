package dev.magnetar.engine;

import dev.magnetar.metainfo.FileHashes;
import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.metainfo.PieceLayers;
import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * Blocks of a v2 or hybrid torrent's time-critical pieces that a player may read before their piece is
 * whole: for each such piece its BEP 52 leaf hashes are asked of a peer ahead of the piece's blocks, checked
 * against the file's pieces root, and each block that matches its leaf is readable at once ({@link
 * LeafVerifiedPiece}); the leaves come with their proof up to the file's pieces root. A capped seeder sends a 1 MiB piece over two or three of its quota ticks, and a
 * player mostly needs only a part of it (bench/stream: an MP4 needs the first 128 KiB and a 627 KB movie
 * box spread over three pieces). A piece still counts as had only once it verifies whole; a v1 torrent,
 * or a file of one piece, has nothing here. Torrent loop only.
 */
final class LeafVerifiedBlocks {

    /** The most piece bytes kept here at once (always at least one piece): a player's next few pieces. */
    static final long MAX_BYTES = 8L << 20;
    /** The most pieces tracked at once, whatever their size: one leaf request each per peer. */
    static final int MAX_PIECES = 8;

    private final Supplier<PieceLayers> layers;
    private final IntUnaryOperator pieceSize;
    private final PieceBufferPool buffers;
    /** The tracked pieces, oldest first. */
    private final Map<Integer, LeafVerifiedPiece> pieces = new LinkedHashMap<>();
    /** Our leaf requests in flight, and which piece each is for. */
    private final Map<HashRange, Integer> asked = new HashMap<>();
    /**
     * Peers that rejected a leaf request: not asked again. A peer holding only piece layers (as we do) rejects
     * them all, and counts each request against its flood allowance (see {@link HashExchange}).
     */
    private final Set<PieceLayerFetch.Peer> refused = Collections.newSetFromMap(new WeakHashMap<>());

    /**
     * @param layers the torrent's piece layers, or null (v1, or not known yet)
     * @param pieceSize a piece's size in bytes (the last one may be short)
     * @param buffers the engine's spare piece arrays: a tracked piece's copy is taken from them and given
     *     back when the piece is forgotten. A fresh 1 MiB array is pretenured into the daemon's old
     *     generation (util.JvmFlags), and a seek's new pieces then paid for a full collection between its
     *     deadlines and its requests to the peers (bench/stream, session 20: 85 ms at load 10).
     */
    LeafVerifiedBlocks(Supplier<PieceLayers> layers, IntUnaryOperator pieceSize, PieceBufferPool buffers) {
        this.layers = layers;
        this.pieceSize = pieceSize;
        this.buffers = buffers;
    }

    /**
     * The time-critical pieces changed ({@code deadlines}, most urgent first): the first of them that fit
     * {@link #MAX_BYTES} are tracked from now on; pieces that are no longer among them are forgotten.
     */
    void track(List<Integer> deadlines) {
        PieceLayers l = layers.get();
        if (l == null || deadlines.isEmpty()) {
            return;
        }
        if (l.pieceLength() <= MerkleTree.BLOCK_SIZE) {
            return; // a piece of one block is its own leaf: nothing to read before it is whole
        }
        int room = (int) Math.min(MAX_PIECES, Math.max(1, MAX_BYTES / l.pieceLength()));
        Set<Integer> keep = new HashSet<>();
        for (int piece : deadlines) {
            if (keep.size() == room) {
                break;
            }
            if (fileWithLeaves(l, piece) != null) {
                keep.add(piece);
                pieces.computeIfAbsent(piece, p -> new LeafVerifiedPiece(buffers.take(pieceSize.applyAsInt(p))));
            }
        }
        for (Iterator<Map.Entry<Integer, LeafVerifiedPiece>> it = pieces.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, LeafVerifiedPiece> e = it.next();
            if (!keep.contains(e.getKey())) {
                it.remove();
                buffers.give(e.getValue().release());
            }
        }
    }

    /**
     * The file of {@code piece} if it is larger than one piece (its pieces have leaves of their own), or null.
     * Its piece layer need not be known: the leaves come with their proof up to the file's pieces root.
     */
    private static FileHashes fileWithLeaves(PieceLayers l, int piece) {
        FileHashes f = l.fileOfPiece(piece);
        return f != null && f.hasPieceLayer() ? f : null;
    }

    /** Asks {@code peer} for the leaves of tracked pieces nobody was asked for yet (before it gets their blocks). */
    void ask(PieceLayerFetch.Peer peer) {
        if (pieces.isEmpty() || refused.contains(peer)) {
            return;
        }
        PieceLayers l = layers.get();
        for (Map.Entry<Integer, LeafVerifiedPiece> e : pieces.entrySet()) {
            int piece = e.getKey();
            if (e.getValue().hasLeaves() || asked.containsValue(piece)) {
                continue;
            }
            if (!peer.canRequestLeaves()) {
                return;
            }
            FileHashes f = fileWithLeaves(l, piece);
            HashRange range = BlockLeaves.request(f.piecesRoot(), f.rootHeight(), piece - f.firstPiece(), l.pieceLength());
            asked.put(range, piece);
            peer.requestHashes(range);
        }
    }

    /**
     * Whether every one of {@code piece}'s {@code received} blocks is kept here, so that a reader can have each
     * block once it matches its leaf: not so for a piece tracked again after blocks came while it was not.
     */
    boolean holdsEveryArrivedBlock(int piece, int received) {
        LeafVerifiedPiece p = pieces.get(piece);
        return p != null && p.arrivedBlocks() == received;
    }

    /** Whether {@code range} is one of our leaf requests (else the hashes are for someone else). */
    boolean asked(HashRange range) {
        return asked.containsKey(range);
    }

    /**
     * The answer to a leaf request of ours.
     *
     * @return null when the hashes are not the piece's (the peer lied: the caller bans it); else the piece
     *     if blocks of it became readable, or -1
     */
    Integer accept(PeerMessage.Hashes hashes) {
        Integer piece = asked.remove(hashes.range());
        PieceLayers l = layers.get();
        if (piece == null || l == null) {
            return -1;
        }
        FileHashes f = fileWithLeaves(l, piece);
        BlockLeaves leaves = f == null ? null : BlockLeaves.check(hashes.range(), hashes.hashes(), f.rootHeight());
        if (leaves == null) {
            return null;
        }
        LeafVerifiedPiece p = pieces.get(piece);
        return p != null && !p.hasLeaves() && p.leavesArrived(leaves) ? piece : -1;
    }

    /** The peer will not answer our request for {@code range} (a reject, or it left): someone else may. */
    void rejected(PieceLayerFetch.Peer by, HashRange range) {
        if (asked.remove(range) != null) {
            refused.add(by);
        }
    }

    /**
     * A block arrived for {@code piece} (its bytes are {@code block}'s remaining ones, left as they were).
     *
     * @return whether it became readable
     */
    boolean blockArrived(int piece, int offset, ByteBuffer block) {
        LeafVerifiedPiece p = pieces.get(piece);
        return p != null && p.put(offset, block);
    }

    /**
     * Up to {@code maxLength} leaf-verified bytes of {@code piece} from {@code begin}, or null when the
     * block at {@code begin} is not readable yet.
     */
    ByteBuffer read(int piece, int begin, int maxLength) {
        LeafVerifiedPiece p = pieces.get(piece);
        int readable = p == null ? 0 : Math.min(maxLength, p.readableFrom(begin));
        return readable <= 0 ? null : p.copy(begin, readable);
    }

    /** The piece verified whole, or its data is gone with the storage: nothing of it is kept here. */
    void forget(int piece) {
        LeafVerifiedPiece p = pieces.remove(piece);
        if (p != null) {
            buffers.give(p.release());
        }
    }

    /** Peers and progress are dropped (a recheck, an error, the torrent closing). */
    void clear() {
        for (LeafVerifiedPiece p : pieces.values()) {
            buffers.give(p.release());
        }
        pieces.clear();
        asked.clear();
        refused.clear();
    }

    /** The tracked pieces, in the order they were first tracked. */
    List<Integer> tracked() {
        return new ArrayList<>(pieces.keySet());
    }
}
