package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.FileHashes;
import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.metainfo.PieceLayers;
import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fetching piece layers by hash requests against a seeder's real answers: a file of 550 pieces (two
 * chunks), one of 19 and one of a single piece (no layer), 16 KiB pieces.
 */
class PieceLayerFetchTest {

    private static final int PIECE = 16 * 1024;
    private static final int[] PIECES = {550, 19, 1};

    private final byte[][] layers = new byte[PIECES.length][];
    private final List<FileHashes> files = new ArrayList<>();

    PieceLayerFetchTest() {
        Random random = new Random(52);
        int first = 0;
        for (int i = 0; i < PIECES.length; i++) {
            layers[i] = new byte[PIECES[i] * 32];
            random.nextBytes(layers[i]);
            long length = (long) PIECES[i] * PIECE - 100; // every file ends inside its last piece
            byte[] root = PIECES[i] == 1 ? layers[i] : MerkleTree.rootFromPieceLayer(layers[i], PIECE);
            files.add(new FileHashes(i, "pack/" + i, length, root, first, PIECES[i]));
            first += PIECES[i];
        }
    }

    /** A seeder's hashes: every layer known. */
    private TorrentMerkleHashes seeder() throws Exception {
        PieceLayers full = new PieceLayers(PIECE, files);
        for (int i = 0; i < PIECES.length; i++) {
            if (PIECES[i] > 1) {
                full.addLayer(files.get(i).piecesRoot(), layers[i]);
            }
        }
        return new TorrentMerkleHashes(() -> full, () -> null, () -> { }, new LeafVerifiedBlocks(() -> null, p -> 0, new PieceBufferPool(0)), p -> { });
    }

    /** A peer that records what it was asked and can take two requests. */
    private static final class AskedPeer implements PieceLayerFetch.Peer {
        final List<HashRange> asked = new ArrayList<>();

        @Override
        public boolean canRequestHashes() {
            return asked.size() < 2;
        }

        @Override
        public void requestHashes(HashRange range) {
            asked.add(range);
        }
    }

    @Test
    void fetchesEveryLayerInChunksOfAtMost512WithProofsToTheRoot() throws Exception {
        TorrentMerkleHashes seeder = seeder();
        PieceLayers ours = new PieceLayers(PIECE, files);
        PieceLayerFetch fetch = new PieceLayerFetch(ours);
        assertEquals(3, fetch.chunksMissing(), "550 pieces in two chunks, 19 in one, a one-piece file in none");
        AskedPeer peer = new AskedPeer();
        while (!fetch.isComplete()) {
            fetch.askPeers(List.of(peer));
            List<HashRange> asked = new ArrayList<>(peer.asked);
            peer.asked.clear();
            for (HashRange r : asked) {
                assertTrue(r.length() <= 512 && r.length() >= 2, "BEP 52 lengths: " + r);
                assertTrue(fetch.accept(peer, new PeerMessage.Hashes(r, seeder.answer(r))));
            }
        }
        assertTrue(ours.isComplete());
        assertArrayEquals(layers[0], ours.layer(files.get(0)));
        assertArrayEquals(layers[1], ours.layer(files.get(1)));
    }

    @Test
    void aTamperedHashIsALieNothingOfItIsKeptAndAnotherPeerIsAsked() throws Exception {
        TorrentMerkleHashes seeder = seeder();
        PieceLayers ours = new PieceLayers(PIECE, List.of(files.get(1)));
        PieceLayerFetch fetch = new PieceLayerFetch(ours);
        AskedPeer liar = new AskedPeer();
        AskedPeer honest = new AskedPeer();
        fetch.askPeers(List.of(liar, honest));
        HashRange range = liar.asked.get(0);
        assertTrue(honest.asked.isEmpty(), "one chunk, one peer at a time");
        byte[] answer = seeder.answer(range);
        answer[5 * 32] ^= 1; // one piece hash changed: the run no longer reaches the root
        assertFalse(fetch.accept(liar, new PeerMessage.Hashes(range, answer)));
        assertFalse(ours.hasHashesFor(files.get(1)), "nothing of a lie is kept");
        fetch.askPeers(List.of(liar, honest));
        assertEquals(List.of(range), honest.asked, "the chunk goes to the other peer, not back to the liar");
        assertTrue(fetch.accept(honest, new PeerMessage.Hashes(range, seeder.answer(range))));
        assertTrue(fetch.isComplete());
    }

    @Test
    void aRejectedChunkIsAskedOfSomeoneElseAndAClosedPeersRequestsAreFreed() throws Exception {
        PieceLayerFetch fetch = new PieceLayerFetch(new PieceLayers(PIECE, List.of(files.get(1))));
        AskedPeer first = new AskedPeer();
        AskedPeer second = new AskedPeer();
        fetch.askPeers(List.of(first));
        HashRange range = first.asked.get(0);
        fetch.rejected(first, range);
        fetch.askPeers(List.of(first, second));
        assertEquals(1, first.asked.size(), "not asked again of the peer that rejected it");
        assertEquals(List.of(range), second.asked);
        fetch.peerGone(second);
        AskedPeer third = new AskedPeer();
        fetch.askPeers(List.of(third));
        assertEquals(List.of(range), third.asked);
    }

    @Test
    void answersWhatALayerProvesAndRejectsWhatItCannot() throws Exception {
        TorrentMerkleHashes seeder = seeder();
        FileHashes big = files.get(0);
        int height = MerkleTree.heightOfPieceLayer(PIECE);
        int toRoot = big.rootHeight() - height - 1;
        assertNotNull(seeder.answer(new HashRange(big.piecesRoot(), height, 512, 512, toRoot)));
        assertNull(seeder.answer(new HashRange(big.piecesRoot(), height, 1024, 512, toRoot)), "beyond the file's layer");
        assertNull(seeder.answer(new HashRange(big.piecesRoot(), height, 0, 2, toRoot + 1)), "proof layers up to the root itself");
        assertNull(seeder.answer(new HashRange(new byte[32], height, 0, 2, 0)), "a root that is none of our files'");
        assertNull(seeder.answer(new HashRange(files.get(2).piecesRoot(), 0, 0, 2, 0)), "a one-piece file has no layer");
        assertEquals(2 * 3, seeder.requestAllowance(), "each of the three chunks twice");
    }
}
