package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashExchangeTest {

    private static final byte[] ROOT = filled(32, 7);
    private static final HashRange LAYER = new HashRange(ROOT, 2, 0, 4, 1);

    /** Answers one range with made-up hashes, accepts answers it is told to, records rejects. */
    private static final class Trees implements MerkleHashes {
        boolean truthful = true;
        final List<HashRange> rejected = new ArrayList<>();
        final List<PeerMessage.Hashes> accepted = new ArrayList<>();

        @Override
        public byte[] answer(HashRange range) {
            return range.equals(LAYER) ? filled(range.hashesInReply() * 32, 1) : null;
        }

        @Override
        public boolean accept(PeerConnection from, PeerMessage.Hashes hashes) {
            accepted.add(hashes);
            return truthful;
        }

        @Override
        public void rejected(PeerConnection by, HashRange range) {
            rejected.add(range);
        }

        @Override
        public int requestAllowance() {
            return 2;
        }
    }

    private final Trees trees = new Trees();
    private final HashExchange exchange = new HashExchange(trees, true);

    @Test
    void answersARequestFromTheTreesAndRejectsOneItCannotAnswer() {
        var reply = assertInstanceOf(HashExchange.Outcome.Reply.class, exchange.receive(null, new PeerMessage.HashRequest(LAYER)));
        PeerMessage.Hashes hashes = assertInstanceOf(PeerMessage.Hashes.class, reply.message());
        assertEquals(LAYER, hashes.range());
        HashRange beyond = new HashRange(ROOT, 2, 4, 4, 1);
        reply = assertInstanceOf(HashExchange.Outcome.Reply.class, exchange.receive(null, new PeerMessage.HashRequest(beyond)));
        assertEquals(new PeerMessage.HashReject(beyond), reply.message());
    }

    @Test
    void requestLongerThanBep52s512IsRejectedWithoutAsking() {
        HashRange big = new HashRange(ROOT, 0, 0, 1024, 3);
        var reply = assertInstanceOf(HashExchange.Outcome.Reply.class, exchange.receive(null, new PeerMessage.HashRequest(big)));
        assertEquals(new PeerMessage.HashReject(big), reply.message());
    }

    @Test
    void aFloodOfRequestsDropsThePeer() {
        int allowed = HashExchange.BASE_ALLOWANCE + trees.requestAllowance();
        for (int i = 0; i < allowed; i++) {
            assertInstanceOf(HashExchange.Outcome.Reply.class, exchange.receive(null, new PeerMessage.HashRequest(LAYER)));
        }
        var drop = assertInstanceOf(HashExchange.Outcome.Drop.class, exchange.receive(null, new PeerMessage.HashRequest(LAYER)));
        assertFalse(drop.lied());
        assertTrue(drop.why().contains("flood"), drop.why());
    }

    @Test
    void hashesNobodyAskedForDropThePeerAndReachNoTree() {
        var drop = assertInstanceOf(HashExchange.Outcome.Drop.class,
                exchange.receive(null, new PeerMessage.Hashes(LAYER, filled(LAYER.hashesInReply() * 32, 3))));
        assertTrue(drop.why().contains("did not ask"), drop.why());
        assertTrue(trees.accepted.isEmpty(), "nothing of an unasked answer is used");
    }

    @Test
    void hashesForAnotherRangeThanAskedAreUnasked() {
        exchange.request(LAYER);
        HashRange other = new HashRange(ROOT, 2, 4, 4, 1);
        assertInstanceOf(HashExchange.Outcome.Drop.class,
                exchange.receive(null, new PeerMessage.Hashes(other, filled(other.hashesInReply() * 32, 3))));
        assertTrue(trees.accepted.isEmpty());
    }

    @Test
    void answerToOurRequestGoesToTheTreesOnceAndALieBansThePeer() {
        exchange.request(LAYER);
        PeerMessage.Hashes answer = new PeerMessage.Hashes(LAYER, filled(LAYER.hashesInReply() * 32, 3));
        assertInstanceOf(HashExchange.Outcome.Nothing.class, exchange.receive(null, answer));
        assertEquals(List.of(answer), trees.accepted);
        assertInstanceOf(HashExchange.Outcome.Drop.class, exchange.receive(null, answer), "a second copy was not asked for");

        trees.truthful = false;
        exchange.request(LAYER);
        var drop = assertInstanceOf(HashExchange.Outcome.Drop.class, exchange.receive(null, answer));
        assertTrue(drop.lied());
    }

    @Test
    void rejectOfOurRequestIsPassedOnAndOneNobodyAskedIsIgnored() {
        exchange.request(LAYER);
        assertInstanceOf(HashExchange.Outcome.Nothing.class, exchange.receive(null, new PeerMessage.HashReject(LAYER)));
        assertInstanceOf(HashExchange.Outcome.Nothing.class, exchange.receive(null, new PeerMessage.HashReject(LAYER)));
        assertEquals(List.of(LAYER), trees.rejected);
    }

    @Test
    void atMostTwoOfOurRequestsAreInFlightAndTheUnansweredAreKnown() {
        HashRange second = new HashRange(ROOT, 2, 4, 4, 1);
        exchange.request(LAYER);
        exchange.request(second);
        assertFalse(exchange.canRequest());
        assertEquals(List.of(LAYER, second), exchange.unanswered());
    }

    @Test
    void leafRequestsHaveRoomBeyondTheTwoUpToTheirOwnBound() {
        exchange.request(LAYER);
        exchange.request(new HashRange(ROOT, 2, 4, 4, 1));
        assertFalse(exchange.canRequest(), "no third piece-layer request");
        assertTrue(exchange.canRequestLeaves(), "a seek's leaves are not held behind two unanswered requests");
        for (int i = 2; i < HashExchange.MAX_OUTSTANDING_WITH_LEAVES; i++) {
            exchange.request(new HashRange(ROOT, 0, 64 * i, 64, 1));
        }
        assertFalse(exchange.canRequestLeaves());
        assertThrows(IllegalStateException.class, () -> exchange.request(new HashRange(ROOT, 2, 8, 4, 1)));
        assertEquals(HashExchange.MAX_OUTSTANDING_WITH_LEAVES, exchange.unanswered().size());
    }

    @Test
    void hashMessagesWithoutTheV2BitDropThePeer() {
        HashExchange v1 = new HashExchange(trees, false);
        assertInstanceOf(HashExchange.Outcome.Drop.class, v1.receive(null, new PeerMessage.HashRequest(LAYER)));
        assertFalse(v1.canRequest());
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
