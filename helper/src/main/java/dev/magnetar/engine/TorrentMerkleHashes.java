package dev.magnetar.engine;

import dev.magnetar.metainfo.FileHashes;
import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.metainfo.PieceLayers;
import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A torrent's {@link MerkleHashes}: answers hash requests from the piece layers it holds (from its
 * .torrent, or fetched), and passes the answers to its own requests on: leaf hashes of time-critical
 * pieces to its {@link LeafVerifiedBlocks}, piece layers to its {@link PieceLayerFetch} while one runs.
 * Torrent loop only.
 */
final class TorrentMerkleHashes implements MerkleHashes {

    private final Supplier<PieceLayers> layers;
    private final Supplier<PieceLayerFetch> fetch;
    private final Runnable fetched;
    private final LeafVerifiedBlocks leafBlocks;
    private final IntConsumer blocksReadable;
    /** Trees built from piece layers, per pieces root, so that a seeder hashes each layer up once. */
    private final Map<FileHashes, MerkleTree> trees = new HashMap<>();

    /**
     * @param layers the torrent's piece layers, or null while its metadata is unknown or it is v1
     * @param fetch the running fetch of missing layers, or null
     * @param fetched called once the fetch has every layer
     * @param leafBlocks the torrent's leaf-verified blocks, whose leaf requests are answered here
     * @param blocksReadable called with a piece when leaves that came made some of its blocks readable
     */
    TorrentMerkleHashes(Supplier<PieceLayers> layers, Supplier<PieceLayerFetch> fetch, Runnable fetched,
            LeafVerifiedBlocks leafBlocks, IntConsumer blocksReadable) {
        this.layers = layers;
        this.fetch = fetch;
        this.fetched = fetched;
        this.leafBlocks = leafBlocks;
        this.blocksReadable = blocksReadable;
    }

    @Override
    public byte[] answer(HashRange range) {
        PieceLayers l = layers.get();
        FileHashes file = l == null ? null : l.fileWithRoot(range.piecesRoot());
        if (file == null || !file.hasPieceLayer() || !l.hasHashesFor(file)) {
            return null; // not our file, or a one-piece file whose only hash is the root the peer has
        }
        MerkleTree tree = trees.computeIfAbsent(file, f -> MerkleTree.ofPieceLayer(l.layer(f), l.pieceLength()));
        // The tree starts at the piece layer: leaf-hash requests get null, that is a reject.
        byte[][] hashes = tree.hashes(range.baseLayer(), range.index(), range.length(), range.proofLayers());
        if (hashes == null || hashes.length != range.hashesInReply()) {
            return null;
        }
        byte[] out = new byte[hashes.length * HashRange.HASH_LENGTH];
        for (int i = 0; i < hashes.length; i++) {
            System.arraycopy(hashes[i], 0, out, i * HashRange.HASH_LENGTH, HashRange.HASH_LENGTH);
        }
        return out;
    }

    @Override
    public boolean accept(PeerConnection from, PeerMessage.Hashes hashes) {
        if (leafBlocks.asked(hashes.range())) {
            Integer readable = leafBlocks.accept(hashes);
            if (readable == null) {
                return false; // leaves that do not hash up to the piece's hash in its layer
            }
            if (readable >= 0) {
                blocksReadable.accept(readable);
            }
            return true;
        }
        PieceLayerFetch f = fetch.get();
        if (f == null) {
            return true; // nothing asked for any more: the hashes are not used
        }
        boolean truthful = f.accept(from, hashes);
        if (f.isComplete()) {
            fetched.run();
        }
        return truthful;
    }

    @Override
    public void rejected(PeerConnection by, HashRange range) {
        if (leafBlocks.asked(range)) {
            leafBlocks.rejected(by, range);
            return;
        }
        PieceLayerFetch f = fetch.get();
        if (f != null) {
            f.rejected(by, range);
        }
    }

    @Override
    public int requestAllowance() {
        PieceLayers l = layers.get();
        return l == null ? 0 : PieceLayerFetch.requestAllowance(l);
    }
}
