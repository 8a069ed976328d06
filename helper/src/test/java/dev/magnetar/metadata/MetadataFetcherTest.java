package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.MutableClock;
import dev.magnetar.wire.ExtensionHandshake;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fetcher against fake peers that answer like seeders, liars, rejecters or the silent. The test
 * plays the network: {@link #pump} delivers each peer's requests and feeds back its answers until
 * nothing more is sent.
 */
class MetadataFetcherTest {

    /** About 40 000 bytes: three pieces, the last one short. */
    private static final byte[] METADATA = MetadataFixtures.infoDictionary(40_000, 1);
    private static final int LOCAL_ID = 3; // the id our side gave ut_metadata; the fakes use it for replies

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final Map<FakeExtensionPeer, Behaviour> behaviours = new LinkedHashMap<>();
    private final Map<FakeExtensionPeer, Integer> requestsSeen = new HashMap<>();

    enum Behaviour { HONEST, CORRUPT, REJECT, SILENT }

    private MetadataFetcher fetcher(MetadataFetcher.Options options) {
        return new MetadataFetcher(MetadataFixtures.infoHashOf(METADATA), clock, options);
    }

    private FakeExtensionPeer connect(MetadataFetcher f, int port, Behaviour behaviour, long claimedSize) {
        FakeExtensionPeer peer = new FakeExtensionPeer("127.0.0.1", port).offering("ut_metadata", 7);
        behaviours.put(peer, behaviour);
        ExtensionHandshake.Builder hs = ExtensionHandshake.builder().message("ut_metadata", 7);
        if (claimedSize >= 0) {
            hs.metadataSize(claimedSize);
        }
        f.peerHandshake(peer, hs.build());
        return peer;
    }

    /** Delivers requests and answers until the network is quiet. */
    private void pump(MetadataFetcher f) throws Exception {
        boolean any = true;
        while (any) {
            any = false;
            for (Map.Entry<FakeExtensionPeer, Behaviour> e : behaviours.entrySet()) {
                FakeExtensionPeer peer = e.getKey();
                for (FakeExtensionPeer.Sent sent : peer.takeSent()) {
                    any = true;
                    assertEquals(7, sent.remoteId(), "sent under the id the peer chose");
                    UtMetadataMessage.Request request = (UtMetadataMessage.Request) UtMetadataCodec.decode(sent.payload());
                    requestsSeen.merge(peer, 1, Integer::sum);
                    answer(f, peer, e.getValue(), request.piece());
                }
            }
        }
    }

    private void answer(MetadataFetcher f, FakeExtensionPeer peer, Behaviour behaviour, int piece) {
        int from = piece * UtMetadataMessage.PIECE_LENGTH;
        byte[] data = Arrays.copyOfRange(METADATA, from, from + UtMetadataMessage.pieceLength(METADATA.length, piece));
        switch (behaviour) {
            case HONEST -> f.receive(peer, new UtMetadataMessage.Data(piece, METADATA.length, data));
            case CORRUPT -> {
                data[data.length / 2] ^= 1;
                f.receive(peer, new UtMetadataMessage.Data(piece, METADATA.length, data));
            }
            case REJECT -> f.receive(peer, new UtMetadataMessage.Reject(piece));
            case SILENT -> { }
        }
    }

    private int requests(FakeExtensionPeer peer) {
        return requestsSeen.getOrDefault(peer, 0);
    }

    @Test
    void fetchesAcrossThreePeers() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer a = connect(f, 1001, Behaviour.HONEST, METADATA.length);
        FakeExtensionPeer b = connect(f, 1002, Behaviour.HONEST, METADATA.length);
        FakeExtensionPeer c = connect(f, 1003, Behaviour.HONEST, METADATA.length);
        // Two requests in flight at the first peer, the third piece at the second; nothing for the third.
        assertEquals(new MetadataFetchState(3, 2, 0, 3, METADATA.length, 0, false), f.state());
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null));
        assertEquals(3, UtMetadataMessage.pieceCount(METADATA.length));
        assertEquals(2, requests(a));
        assertEquals(1, requests(b));
        assertEquals(0, requests(c));
        assertEquals(new MetadataFetchState(3, 2, 3, 3, METADATA.length, 0, true), f.state());
    }

    @Test
    void spreadsALargerTorrentOverEveryPeer() throws Exception {
        byte[] metadata = MetadataFixtures.infoDictionary(6 * UtMetadataMessage.PIECE_LENGTH - 100, 2);
        MetadataFetcher f = new MetadataFetcher(MetadataFixtures.infoHashOf(metadata), clock, MetadataFetcher.Options.defaults());
        List<FakeExtensionPeer> peers = List.of(new FakeExtensionPeer("127.0.0.1", 1001).offering("ut_metadata", 7),
                new FakeExtensionPeer("127.0.0.1", 1002).offering("ut_metadata", 7),
                new FakeExtensionPeer("127.0.0.1", 1003).offering("ut_metadata", 7));
        for (FakeExtensionPeer p : peers) {
            f.peerHandshake(p, ExtensionHandshake.builder().message("ut_metadata", 7).metadataSize(metadata.length).build());
        }
        for (FakeExtensionPeer p : peers) {
            List<UtMetadataMessage> requests = p.takeMetadataMessages();
            assertEquals(2, requests.size(), "six pieces, two per peer: " + p);
            for (UtMetadataMessage r : requests) {
                int from = r.piece() * UtMetadataMessage.PIECE_LENGTH;
                f.receive(p, new UtMetadataMessage.Data(r.piece(), metadata.length,
                        Arrays.copyOfRange(metadata, from, from + UtMetadataMessage.pieceLength(metadata.length, r.piece()))));
            }
        }
        assertArrayEquals(metadata, f.result().getNow(null));
        assertEquals(3, f.state().peersAsked());
    }

    @Test
    void corruptDataFailsTheHashAndIsRefetchedFromOthers() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer liar = connect(f, 1001, Behaviour.CORRUPT, METADATA.length);
        FakeExtensionPeer b = connect(f, 1002, Behaviour.HONEST, METADATA.length);
        FakeExtensionPeer c = connect(f, 1003, Behaviour.HONEST, METADATA.length);
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null), "verified metadata despite the liar");
        assertTrue(f.state().hashFailures() >= 1);
        assertEquals(1, liar.misbehaviour.size(), "the liar is named: " + liar.misbehaviour);
        assertTrue(b.misbehaviour.isEmpty() && c.misbehaviour.isEmpty(), "honest peers are cleared");
    }

    @Test
    void aLiarAloneIsBannedAndTheFetchWaitsForAnHonestPeer() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer liar = connect(f, 1001, Behaviour.CORRUPT, METADATA.length);
        pump(f);
        assertFalse(f.result().isDone());
        assertEquals(1, f.state().hashFailures());
        assertEquals(1, liar.misbehaviour.size());
        int asked = requests(liar);
        connect(f, 1002, Behaviour.HONEST, METADATA.length);
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null));
        assertEquals(asked, requests(liar), "a banned peer is not asked again");
    }

    @Test
    void rejectedPiecesGoToOtherPeers() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer rejecter = connect(f, 1001, Behaviour.REJECT, METADATA.length);
        connect(f, 1002, Behaviour.HONEST, METADATA.length);
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null));
        assertTrue(requests(rejecter) >= 1, "the rejecter was asked first");
        assertTrue(rejecter.misbehaviour.isEmpty(), "rejecting is allowed by BEP 9");
    }

    @Test
    void aRejecterIsAskedAgainOnlyAfterItsBackoff() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer rejecter = connect(f, 1001, Behaviour.REJECT, METADATA.length);
        pump(f);
        int asked = requests(rejecter);
        assertEquals(3, asked, "each piece once (two in flight, the third after the first reject)");
        f.tick();
        pump(f);
        assertEquals(asked, requests(rejecter));
        clock.advance(MetadataFetcher.Options.defaults().rejectBackoff());
        behaviours.put(rejecter, Behaviour.HONEST); // e.g. it has the metadata now
        f.tick();
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null));
    }

    @Test
    void aSilentPeerTimesOutAndOthersTakeOver() throws Exception {
        MetadataFetcher.Options options = MetadataFetcher.Options.defaults().withHedgeSlowRequests(false);
        MetadataFetcher f = fetcher(options);
        FakeExtensionPeer silent = connect(f, 1001, Behaviour.SILENT, METADATA.length);
        FakeExtensionPeer honest = connect(f, 1002, Behaviour.HONEST, METADATA.length);
        pump(f);
        assertFalse(f.result().isDone(), "the silent peer holds a piece");
        int silentAsked = requests(silent);
        assertTrue(silentAsked >= 1);
        clock.advance(options.requestTimeout().minusMillis(1));
        f.tick();
        pump(f);
        assertFalse(f.result().isDone(), "not before the timeout");
        clock.advance(Duration.ofMillis(1));
        f.tick();
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null));
        assertEquals(silentAsked, requests(silent), "a timed-out peer rests");
        assertEquals(3, requests(honest), "the honest peer sent its own piece, then the silent peer's two");
    }

    @Test
    void idlePeersHedgeAPieceStuckAtASlowPeer() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer slow = connect(f, 1001, Behaviour.SILENT, METADATA.length);
        connect(f, 1002, Behaviour.HONEST, METADATA.length);
        pump(f);
        assertFalse(f.result().isDone(), "the slow peer holds two pieces");
        clock.advance(MetadataFetcher.Options.defaults().hedgeAfter());
        f.tick();
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null), "done without waiting for the timeout");
        assertTrue(MetadataFetcher.Options.defaults().hedgeAfter().compareTo(MetadataFetcher.Options.defaults().requestTimeout()) < 0);
        assertTrue(slow.misbehaviour.isEmpty());
    }

    @Test
    void oversizeMetadataClaimsAreRefused() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer bragger = connect(f, 1001, Behaviour.HONEST, UtMetadataCodec.DEFAULT_MAX_METADATA_SIZE + 1L);
        pump(f);
        assertEquals(0, requests(bragger));
        assertEquals(-1, f.state().metadataSize(), "nothing allocated for the claim");
        connect(f, 1002, Behaviour.HONEST, METADATA.length);
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null));
        assertEquals(0, requests(bragger));
    }

    @Test
    void theMajoritySizeWinsAndDissentersAreNotAsked() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer odd = connect(f, 1001, Behaviour.HONEST, 99_999);
        connect(f, 1002, Behaviour.HONEST, METADATA.length);
        connect(f, 1003, Behaviour.HONEST, METADATA.length);
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null));
        assertEquals(new MetadataFetchState(3, 3, 3, 3, METADATA.length, 0, true).metadataSize(), f.state().metadataSize());
        // The first claim (99 999) started an attempt before the majority arrived; its request was abandoned.
        assertTrue(requests(odd) <= 2);
    }

    @Test
    void aPeerWithoutASizeClaimServesTheKnownSize() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer quiet = connect(f, 1001, Behaviour.HONEST, -1);
        pump(f);
        assertEquals(0, requests(quiet), "size unknown: nothing to ask yet");
        connect(f, 1002, Behaviour.SILENT, METADATA.length);
        pump(f);
        clock.advance(MetadataFetcher.Options.defaults().hedgeAfter());
        f.tick();
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null), "all from the peer that made no claim");
        assertEquals(3, requests(quiet));
    }

    @Test
    void aPeerThatLeavesHandsItsPiecesToOthers() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults().withHedgeSlowRequests(false));
        FakeExtensionPeer leaver = connect(f, 1001, Behaviour.SILENT, METADATA.length);
        connect(f, 1002, Behaviour.HONEST, METADATA.length);
        pump(f);
        assertFalse(f.result().isDone());
        f.peerGone(leaver);
        pump(f);
        assertArrayEquals(METADATA, f.result().getNow(null));
    }

    @Test
    void unsolicitedDataIsIgnored() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer pushy = connect(f, 1001, Behaviour.SILENT, METADATA.length);
        pushy.takeSent();
        byte[] junk = new byte[UtMetadataMessage.PIECE_LENGTH];
        f.receive(pushy, new UtMetadataMessage.Data(2, METADATA.length, Arrays.copyOf(junk, METADATA.length - 32768)));
        assertEquals(0, f.state().piecesReceived(), "piece 2 was never asked of it");
    }

    @Test
    void aPeerSendingAnotherTotalSizeIsBanned() throws Exception {
        MetadataFetcher f = fetcher(MetadataFetcher.Options.defaults());
        FakeExtensionPeer peer = connect(f, 1001, Behaviour.SILENT, METADATA.length);
        List<UtMetadataMessage> sent = peer.takeMetadataMessages();
        int piece = sent.get(0).piece();
        f.receive(peer, new UtMetadataMessage.Data(0, 100, new byte[100]));
        assertEquals(piece == 0 ? 1 : 0, peer.misbehaviour.size());
        assertEquals(0, f.state().piecesReceived());
    }

    @Test
    void aHybridsMetadataIsRefusedUnderItsTruncatedSha256() throws Exception {
        // BEP 52: a hybrid torrent is known by its SHA-1 (it joins the v1 swarm), as a .torrent of it is;
        // only a v2-only dictionary goes by its truncated SHA-256.
        byte[] hybrid = MetadataFixtures.hybridInfoDictionary(5);
        MetadataFetcher f = new MetadataFetcher(MetadataFixtures.truncatedSha256Of(hybrid), clock, MetadataFetcher.Options.defaults());
        FakeExtensionPeer peer = new FakeExtensionPeer("127.0.0.1", 1001).offering("ut_metadata", 7);
        f.peerHandshake(peer, ExtensionHandshake.builder().message("ut_metadata", 7).metadataSize(hybrid.length).build());
        for (UtMetadataMessage r : peer.takeMetadataMessages()) {
            f.receive(peer, new UtMetadataMessage.Data(r.piece(), hybrid.length, hybrid));
        }
        assertFalse(f.result().isDone(), "metadata that is not the torrent's was taken");
        assertEquals(1, f.state().hashFailures());
    }

    @Test
    void aHybridsMetadataIsTakenUnderItsBtmhAloneAndUnderBothHashes() throws Exception {
        byte[] hybrid = MetadataFixtures.hybridInfoDictionary(5);
        byte[] sha256 = MetadataFixtures.sha256Of(hybrid);
        for (var wireHash : List.of(MetadataFixtures.truncatedSha256Of(hybrid), MetadataFixtures.infoHashOf(hybrid))) {
            MetadataFetcher f = new MetadataFetcher(wireHash, sha256, clock, MetadataFetcher.Options.defaults());
            FakeExtensionPeer peer = new FakeExtensionPeer("127.0.0.1", 1001).offering("ut_metadata", 7);
            f.peerHandshake(peer, ExtensionHandshake.builder().message("ut_metadata", 7).metadataSize(hybrid.length).build());
            for (UtMetadataMessage r : peer.takeMetadataMessages()) {
                f.receive(peer, new UtMetadataMessage.Data(r.piece(), hybrid.length, hybrid));
            }
            assertTrue(f.result().isDone(), "the metadata matches the btmh of " + wireHash);
            assertArrayEquals(hybrid, f.result().join());
        }
    }

    @Test
    void metadataThatMissesTheBtmhIsALieAndItsSenderIsBanned() throws Exception {
        byte[] truth = MetadataFixtures.hybridInfoDictionary(5);
        byte[] lie = MetadataFixtures.hybridInfoDictionary(6);
        assertEquals(truth.length, lie.length);
        // The link names the lie's SHA-1 but the truth's SHA-256: a peer serving the lie matches one hash only.
        MetadataFetcher f = new MetadataFetcher(MetadataFixtures.infoHashOf(lie), MetadataFixtures.sha256Of(truth), clock,
                MetadataFetcher.Options.defaults());
        FakeExtensionPeer liar = new FakeExtensionPeer("127.0.0.1", 1001).offering("ut_metadata", 7);
        f.peerHandshake(liar, ExtensionHandshake.builder().message("ut_metadata", 7).metadataSize(lie.length).build());
        for (UtMetadataMessage r : liar.takeMetadataMessages()) {
            f.receive(liar, new UtMetadataMessage.Data(r.piece(), lie.length, lie));
        }
        assertFalse(f.result().isDone(), "metadata that misses the v2 hash was taken");
        assertEquals(1, f.state().hashFailures());
        assertEquals(1, liar.misbehaviour.size(), "the only source of the bad metadata is banned");
    }
}
