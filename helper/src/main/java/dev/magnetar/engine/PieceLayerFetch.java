package dev.magnetar.engine;

import dev.magnetar.metainfo.FileHashes;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.MerkleProof;
import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.metainfo.PieceLayers;
import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fetches the piece layers a v2 torrent's metadata lacks (BEP 9 metadata has no "piece layers") from
 * peers, with BEP 52 hash requests, as libtorrent does for a magnet: per file larger than one piece,
 * chunks of at most 512 piece hashes, each asked with the proof up to the file's pieces root and
 * checked against it ({@link MerkleProof}) before anything of it is kept; a file's layer goes into
 * {@link PieceLayers} once all its chunks are in. Until then no piece of the torrent can be verified,
 * so nothing is downloaded.
 *
 * <p>One chunk is asked of one peer at a time; a peer that rejects a chunk is not asked for it again, a
 * peer whose answer misses the root is reported as a liar (the caller bans it) and the chunk goes to
 * someone else. Runs on the torrent's loop.
 */
final class PieceLayerFetch {

    /** BEP 52: "clients should not request more than 512 hashes at a time". */
    static final int CHUNK = 512;

    /** A peer that can be asked for hashes. */
    interface Peer {
        /** Whether a hash request may go to this peer now (v2 negotiated, room for one more). */
        boolean canRequestHashes();

        /**
         * Whether a request for a time-critical piece's leaf hashes may go to this peer now ({@link
         * LeafVerifiedBlocks}): those have room of their own, so that a seek's are not held behind the old
         * position's still unanswered.
         */
        default boolean canRequestLeaves() {
            return canRequestHashes();
        }

        void requestHashes(HashRange range);
    }

    /** One request's worth of a file's piece layer. */
    private record Chunk(FileHashes file, int number, HashRange range) {
        /** Piece hashes of the file in this chunk (the rest of the run is padding). */
        int pieces() {
            return Math.min(CHUNK, file.pieceCount() - range.index());
        }
    }

    private final PieceLayers layers;
    private final int pieceHeight;
    private final Map<HashRange, Chunk> wanted = new LinkedHashMap<>();
    private final Map<HashRange, Peer> asked = new HashMap<>();
    private final Map<HashRange, Set<Peer>> refusedBy = new HashMap<>();
    private final Map<FileHashes, byte[][]> received = new IdentityHashMap<>();

    PieceLayerFetch(PieceLayers layers) {
        this.layers = layers;
        this.pieceHeight = MerkleTree.heightOfPieceLayer(layers.pieceLength());
        for (FileHashes f : layers.files()) {
            if (layers.hasHashesFor(f)) {
                continue;
            }
            int chunks = (f.pieceCount() + CHUNK - 1) / CHUNK;
            received.put(f, new byte[chunks][]);
            for (int c = 0; c < chunks; c++) {
                HashRange range = rangeOf(f, c);
                wanted.put(range, new Chunk(f, c, range));
            }
        }
    }

    /**
     * The range of chunk {@code c} of {@code f}: from the piece layer, a power-of-two run (at least 2, as
     * BEP 52 asks, padding hashes past the file's last piece included) and every proof layer below the
     * root, so that the answer can be checked against the pieces root alone.
     */
    private HashRange rangeOf(FileHashes f, int c) {
        int index = c * CHUNK;
        int length = Math.max(2, Math.min(CHUNK, MerkleTree.ceilPowerOfTwo(f.pieceCount() - index)));
        int proofLayers = f.rootHeight() - pieceHeight - 1;
        return new HashRange(f.piecesRoot(), pieceHeight, index, length, proofLayers);
    }

    /** Whether every layer is known (then the torrent can be verified piece by piece). */
    boolean isComplete() {
        return wanted.isEmpty();
    }

    /** Chunks not yet received, for status and tests. */
    int chunksMissing() {
        return wanted.size();
    }

    /** Requests what is not asked of anyone yet from the peers that can take a hash request now. */
    void askPeers(Collection<? extends Peer> peers) {
        for (Chunk chunk : wanted.values()) {
            if (asked.containsKey(chunk.range())) {
                continue;
            }
            Set<Peer> refused = refusedBy.getOrDefault(chunk.range(), Set.of());
            for (Peer p : peers) {
                if (!refused.contains(p) && p.canRequestHashes()) {
                    asked.put(chunk.range(), p);
                    p.requestHashes(chunk.range());
                    break;
                }
            }
        }
    }

    /**
     * Hashes {@code from} sent for a range we asked it for: kept when they hash up to the file's root,
     * false when they do not (the peer lied; the chunk is asked of someone else).
     */
    boolean accept(Peer from, PeerMessage.Hashes hashes) {
        HashRange range = hashes.range();
        Chunk chunk = wanted.get(range);
        if (chunk == null || asked.get(range) != from) {
            return true; // an answer we no longer wait for: nothing of it is used, and nothing is wrong with it
        }
        asked.remove(range);
        byte[] all = hashes.hashes();
        int runBytes = range.length() * HashRange.HASH_LENGTH;
        byte[] run = Arrays.copyOf(all, runBytes);
        byte[] uncles = Arrays.copyOfRange(all, runBytes, all.length);
        if (!MerkleProof.verify(range.piecesRoot(), chunk.file().rootHeight(), range.baseLayer(), range.index(), run, uncles)) {
            refusedBy.computeIfAbsent(range, r -> new HashSet<>()).add(from);
            return false;
        }
        received.get(chunk.file())[chunk.number()] = Arrays.copyOf(run, chunk.pieces() * HashRange.HASH_LENGTH);
        wanted.remove(range);
        return completeFile(chunk.file());
    }

    /** Hands a file's layer to {@link PieceLayers} once every chunk of it is in. */
    private boolean completeFile(FileHashes file) {
        byte[][] chunks = received.get(file);
        List<byte[]> parts = new ArrayList<>(chunks.length);
        for (byte[] c : chunks) {
            if (c == null) {
                return true;
            }
            parts.add(c);
        }
        byte[] layer = new byte[file.pieceCount() * HashRange.HASH_LENGTH];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, layer, at, part.length);
            at += part.length;
        }
        try {
            layers.addLayer(file.piecesRoot(), layer);
        } catch (InvalidTorrentException e) {
            // Every chunk passed its proof, so the layer reaches the root; this would be our own error.
            throw new IllegalStateException("a piece layer whose chunks were each proven failed its root check", e);
        }
        return true;
    }

    /** {@code by} will not send {@code range}: ask another peer. */
    void rejected(Peer by, HashRange range) {
        if (asked.get(range) == by) {
            asked.remove(range);
        }
        if (wanted.containsKey(range)) {
            refusedBy.computeIfAbsent(range, r -> new HashSet<>()).add(by);
        }
    }

    /** A closed connection's requests go back to be asked of others. */
    void peerGone(Peer peer) {
        asked.values().removeIf(p -> p == peer);
        for (Set<Peer> refused : refusedBy.values()) {
            refused.remove(peer);
        }
    }

    /**
     * How many hash requests a peer might fairly send us for this torrent's layers: each chunk twice.
     * Static: a seeder answers from the same counts.
     */
    static int requestAllowance(PieceLayers layers) {
        int chunks = 0;
        for (FileHashes f : layers.files()) {
            if (f.hasPieceLayer()) {
                chunks += (f.pieceCount() + CHUNK - 1) / CHUNK;
            }
        }
        return 2 * chunks;
    }
}
