package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.storage.Bitfield;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Time-critical pieces in the picker: the pieces a stream's reader needs next. */
class PiecePickerDeadlineTest {

    private static final int BLOCK = 16 * 1024;
    /** Twenty pieces of two blocks. */
    private static final PieceGeometry TWENTY = new PieceGeometry(20L * 2 * BLOCK, 2 * BLOCK, BLOCK);

    private static PiecePicker<String> picker(long seed) {
        PiecePicker<String> p = new PiecePicker<>(TWENTY, new Bitfield(TWENTY.pieceCount()), new Random(seed));
        p.setRandomStartPieces(0);
        return p;
    }

    private static List<Integer> piecesInOrder(List<BlockRequest> blocks) {
        return blocks.stream().map(BlockRequest::piece).distinct().toList();
    }

    private static List<BlockRequest> pick(PiecePicker<String> p, String peer, int max) {
        return p.pick(peer, max, Set.of(), false, 0);
    }

    @Test
    void deadlinePiecesAreRequestedFirstInTheirOrderAndTheRestOnceTheirBlocksAreIn() {
        for (long seed = 0; seed < 20; seed++) {
            PiecePicker<String> p = picker(seed);
            p.peerHasAll("seed");
            p.setDeadlines(List.of(16, 17, 3));
            List<BlockRequest> picked = pick(p, "seed", 10);
            assertEquals(List.of(16, 17, 3), piecesInOrder(picked), "seed " + seed);
            assertEquals(6, picked.size(), "nothing else queued behind the time-critical blocks (seed " + seed + ")");
            picked.forEach(b -> p.blockReceived("seed", b));
            List<BlockRequest> rest = pick(p, "seed", 4);
            assertEquals(4, rest.size(), "seed " + seed);
            assertTrue(rest.stream().noneMatch(b -> Set.of(16, 17, 3).contains(b.piece())), "seed " + seed + ": " + rest);
        }
    }

    /** Six pieces of eight blocks. */
    private static final PieceGeometry SIX = new PieceGeometry(6L * 8 * BLOCK, 8 * BLOCK, BLOCK);

    @Test
    void aPieceNeededFromAMidBlockHasOnlyTheBlocksFromThatOneTimeCritical() {
        PiecePicker<String> p = new PiecePicker<>(SIX, new Bitfield(SIX.pieceCount()), new Random(3));
        p.setRandomStartPieces(0);
        p.peerHasAll("seed");
        p.setDeadlines(List.of(2, 3), java.util.Map.of(2, 5)); // a seek into piece 2's sixth block
        assertTrue(p.urgentDeadlineUnrequested());
        List<BlockRequest> first = pick(p, "seed", 7);
        assertEquals(List.of("2:5", "2:6", "2:7", "3:0", "3:1", "3:2", "3:3"), names(first), "from the reader's block, then the next piece");
        assertFalse(p.urgentDeadlineUnrequested(), "what the reader needs of piece 2 is asked for; its head can wait");
        List<BlockRequest> second = pick(p, "seed", 20);
        assertEquals(List.of("3:4", "3:5", "3:6", "3:7"), names(second),
                "nothing queued behind the time-critical blocks, piece 2's head neither: the reader's window grows there next");
        p.setDeadlines(List.of(2, 3, 4), java.util.Map.of(2, 5));
        assertEquals(List.of(4), piecesInOrder(pick(p, "seed", 20)), "the grown window comes ahead of piece 2's head");
        for (BlockRequest b : List.copyOf(p.outstanding("seed"))) {
            p.blockReceived("seed", b);
        }
        assertEquals(List.of("2:0", "2:1", "2:2", "2:3", "2:4"), names(pick(p, "seed", 5)),
                "the head, once the time-critical blocks are in, before another piece is begun");
        assertEquals(3, p.blocksReceived(2), "piece 2's blocks from the reader's on are in");
    }

    private static List<String> names(List<BlockRequest> blocks) {
        return blocks.stream().map(b -> b.piece() + ":" + b.offset() / BLOCK).toList();
    }

    @Test
    void withoutAFirstNeededBlockATimeCriticalPieceIsAskedForFromItsStart() {
        PiecePicker<String> p = new PiecePicker<>(SIX, new Bitfield(SIX.pieceCount()), new Random(3));
        p.setRandomStartPieces(0);
        p.peerHasAll("seed");
        p.setDeadlines(List.of(2, 3), java.util.Map.of(4, 5)); // a piece that is not time-critical is ignored
        List<String> order = pick(p, "seed", 10).stream().map(b -> b.piece() + ":" + b.offset() / BLOCK).toList();
        assertEquals(List.of("2:0", "2:1", "2:2", "2:3", "2:4", "2:5", "2:6", "2:7", "3:0", "3:1"), order);
    }

    @Test
    void aPeerHoldingTimeCriticalRequestsIsAskedForNothingElseBehindThemSoAGrowingWindowComesNext() {
        PiecePicker<String> p = picker(15);
        p.peerHasAll("seed");
        p.setDeadlines(List.of(9));
        assertEquals(List.of(9), piecesInOrder(pick(p, "seed", 8)), "the seek's piece, and no other piece to be read ahead of the window");
        assertEquals(List.of(), pick(p, "seed", 8), "its queue has room, but piece 9 is still on its way");
        p.setDeadlines(List.of(9, 10, 11)); // the reader's first bytes are out: its window grows
        assertEquals(List.of(10, 11), piecesInOrder(pick(p, "seed", 8)), "right behind piece 9 in the peer's queue");
    }

    @Test
    void aPeerWithoutTheTimeCriticalPiecesStillGetsTheRestWhileAnotherFetchesThem() {
        PiecePicker<String> p = picker(16);
        p.peerHasAll("fast");
        Bitfield lacksFour = new Bitfield(TWENTY.pieceCount());
        for (int i = 0; i < 20; i++) {
            if (i != 4) {
                lacksFour.set(i);
            }
        }
        p.peerBitfield("other", lacksFour);
        p.setDeadlines(List.of(4));
        assertEquals(List.of(4), piecesInOrder(pick(p, "fast", 2)));
        assertEquals(6, pick(p, "other", 6).size(), "the rest downloads beside the stream");
    }

    @Test
    void aSeekReplacesTheDeadlinesSoStaleOnesAreNoLongerFirst() {
        PiecePicker<String> p = picker(7);
        p.peerHasAll("seed");
        p.setDeadlines(List.of(0, 1, 2, 3));
        assertEquals(List.of(0), piecesInOrder(pick(p, "seed", 2)), "reading from the start");
        p.setDeadlines(List.of(15, 16));
        assertEquals(List.of(15, 16), p.deadlines());
        List<BlockRequest> afterSeek = pick(p, "seed", 4);
        assertEquals(List.of(15, 16), piecesInOrder(afterSeek), "the new read position first, the old window dropped");
    }

    @Test
    void theMostUrgentPieceGetsDuplicateRequestsAtOnceLikeEndgame() {
        PiecePicker<String> p = picker(1);
        p.peerHasAll("slow");
        p.peerHasAll("fast");
        p.setDeadlines(List.of(5, 6));
        List<BlockRequest> slow = pick(p, "slow", 2);
        assertEquals(List.of(5), piecesInOrder(slow), "piece 5 is outstanding at the slow peer only");
        assertFalse(p.isEndgame(), "far from the end of the torrent");
        List<BlockRequest> fast = pick(p, "fast", 4);
        assertEquals(List.of(6, 5), piecesInOrder(fast), "free blocks of the next deadline, then piece 5's blocks again");
        assertTrue(fast.containsAll(slow), "the reader waits on piece 5: both peers are asked for it");
        List<PeerBlock<String>> cancels = new java.util.ArrayList<>();
        slow.forEach(b -> cancels.addAll(p.blockReceived("fast", b).cancels()));
        assertEquals(slow, cancels.stream().map(PeerBlock::block).toList(), "the first copy wins; the slow peer's are cancelled");
        assertTrue(p.outstanding("slow").isEmpty());
    }

    @Test
    void noMoreThanTheEndgameLimitOfPeersAskForOneUrgentBlock() {
        PiecePicker<String> p = picker(2);
        for (String peer : List.of("a", "b", "c")) {
            p.peerHasAll(peer);
        }
        p.setDeadlines(List.of(9));
        assertEquals(2, pick(p, "a", 2).size());
        assertEquals(2, pick(p, "b", 2).stream().filter(b -> b.piece() == 9).count());
        assertTrue(pick(p, "c", 2).stream().noneMatch(b -> b.piece() == 9), "two peers per block at most");
    }

    @Test
    void deadlinePiecesStartEvenAtTheCapOfPiecesInProgress() {
        PiecePicker<String> p = picker(3);
        p.setMaxPiecesInProgress(2);
        p.peerHasAll("seed");
        assertEquals(2, piecesInOrder(pick(p, "seed", 4)).size());
        assertEquals(List.of(), pick(p, "seed", 4), "at the cap");
        p.setDeadlines(List.of(19));
        assertEquals(List.of(19), piecesInOrder(pick(p, "seed", 4)), "a reader waits for piece 19");
    }

    @Test
    void slowPeersAreNotAskedForDeadlinePiecesButStillForTheRest() {
        PiecePicker<String> p = picker(4);
        p.peerHasAll("slow");
        p.setDeadlinePeers(peer -> !peer.equals("slow"));
        p.setDeadlines(List.of(12));
        List<BlockRequest> slow = pick(p, "slow", 4);
        assertEquals(4, slow.size());
        assertTrue(slow.stream().noneMatch(b -> b.piece() == 12), "piece 12 waits for a fast peer: " + slow);
    }

    @Test
    void verifiedPiecesAndPiecesThePeerLacksAreSkipped() {
        PiecePicker<String> p = picker(5);
        Bitfield has = new Bitfield(TWENTY.pieceCount());
        for (int i = 0; i < 20; i++) {
            if (i != 8) {
                has.set(i);
            }
        }
        p.peerBitfield("partial", has);
        p.pieceVerified(7);
        p.setDeadlines(List.of(7, 8, 9));
        assertEquals(List.of(9), piecesInOrder(pick(p, "partial", 2)));
    }

    @Test
    void aSeekCancelsQueuedRequestsOutsideTheNewPositionsPiecesEvenTimeCriticalOnesOfTheOldPosition() {
        PiecePicker<String> p = picker(8);
        p.peerHasAll("seed");
        p.setDeadlines(List.of(2, 3, 4, 5));
        List<BlockRequest> queued = pick(p, "seed", 8);
        assertEquals(List.of(2, 3, 4, 5), piecesInOrder(queued), "the old position's window");
        // The player jumped to piece 18; the old request still waits on piece 2, so 2 stays time-critical.
        p.setDeadlines(List.of(18, 19, 2, 3, 4, 5));
        assertTrue(p.urgentDeadlineUnrequested(), "piece 18 is asked of no one yet");
        List<BlockRequest> cancelled = p.cancelOutside("seed", Set.of(18, 19), true);
        assertEquals(queued, cancelled, "the caller sends a BEP 3 cancel for each");
        assertEquals(0, p.outstandingCount("seed"), "the queue has room for the new position at once");
        List<BlockRequest> next = pick(p, "seed", 8);
        assertEquals(List.of(18, 19), piecesInOrder(next).subList(0, 2), "the new position heads the queue");
        assertTrue(next.stream().noneMatch(queued::contains), "a block whose cancel is unanswered is not asked of that peer again");
        assertFalse(p.urgentDeadlineUnrequested());
        assertTrue(p.cancelOutside("seed", Set.of(18, 19), true).stream().noneMatch(queued::contains), "nothing is cancelled twice");
    }

    @Test
    void aRejectAnswersTheCancelAndOnlyThenIsTheBlockAskedForAgain() {
        PiecePicker<String> p = picker(10);
        p.peerHasAll("seed");
        p.setDeadlines(List.of(2));
        List<BlockRequest> queued = pick(p, "seed", 2);
        p.setDeadlines(List.of(18, 2));
        p.cancelOutside("seed", Set.of(18), true);
        BlockRequest stale = queued.get(0);
        assertTrue(p.isOutstanding("seed", stale), "until the peer answers, the block is still its to send");
        assertEquals(List.of(18), piecesInOrder(pick(p, "seed", 2)));

        assertTrue(p.requestRejected("seed", stale), "BEP 6: the answer to the cancel");
        assertEquals(1, p.cancelsUnanswered("seed"), "the other cancel is still unanswered");
        assertFalse(p.isOutstanding("seed", stale));
        assertEquals(stale, pick(p, "seed", 1).get(0), "asked again, after the new position's blocks, and only once");
        assertTrue(p.isOutstanding("seed", stale));
    }

    @Test
    void aCancelledBlockThatArrivesAnywayIsTakenOnceAndNotAskedForAgain() {
        PiecePicker<String> p = picker(11);
        p.peerHasAll("seed");
        p.setDeadlines(List.of(2));
        List<BlockRequest> queued = pick(p, "seed", 2);
        p.setDeadlines(List.of(18, 2));
        p.cancelOutside("seed", Set.of(18), true);
        BlockRequest late = queued.get(0);

        assertEquals(BlockArrival.Status.ACCEPTED, p.blockReceived("seed", late).status(), "it was on its way: taken");
        assertEquals(1, p.cancelsUnanswered("seed"));
        List<BlockRequest> next = pick(p, "seed", 8);
        assertFalse(next.contains(late), "received: never asked for again");
        assertFalse(next.contains(queued.get(1)), "still awaiting its answer");
        assertEquals(BlockArrival.Status.DUPLICATE, p.blockReceived("seed", late).status());
    }

    @Test
    void withoutTheFastExtensionACancelledBlockGoesBackAtOnceForNothingAnswersTheCancel() {
        PiecePicker<String> p = picker(12);
        p.peerHasAll("seed");
        List<BlockRequest> queued = pick(p, "seed", 2);
        p.setDeadlines(List.of(18));
        assertEquals(queued, p.cancelOutside("seed", Set.of(18), false));
        assertEquals(0, p.cancelsUnanswered("seed"));
        assertFalse(p.isOutstanding("seed", queued.get(0)));
        assertEquals(0, p.outstandingCount("seed"));
    }

    @Test
    void unansweredCancelsAreForgottenWithTheirPeer() {
        PiecePicker<String> p = picker(13);
        p.peerHasAll("seed");
        pick(p, "seed", 4);
        p.setDeadlines(List.of(18));
        p.cancelOutside("seed", Set.of(18), true);
        assertEquals(4, p.cancelsUnanswered("seed"));
        p.peerDisconnected("seed");
        assertEquals(0, p.cancelsUnanswered("seed"));
        assertEquals(0, p.outstandingCount("seed"));
    }

    @Test
    void aWindowThatGrowsIsUnrequestedUntilPickedAndRequestsForTheRestQueuedBeforeItAreCancelled() {
        PiecePicker<String> p = picker(14);
        p.peerHasAll("seed");
        p.setDeadlines(List.of(2));
        List<BlockRequest> queued = pick(p, "seed", 8);
        assertFalse(p.deadlineUnrequested());
        // The reader's first bytes are out: its window grows to pieces 3 and 4, behind six blocks of the rest.
        p.setDeadlines(List.of(2, 3, 4));
        assertFalse(p.urgentDeadlineUnrequested(), "piece 2, the one the reader waits for, is asked for");
        assertTrue(p.deadlineUnrequested());
        List<BlockRequest> cancelled = p.cancelOutside("seed", Set.copyOf(p.deadlines()), true);
        assertEquals(queued.stream().filter(b -> b.piece() != 2).toList(), cancelled, "only the rest of the torrent");
        assertEquals(List.of(3, 4), piecesInOrder(pick(p, "seed", 4)), "the window comes next in the queue");
        assertFalse(p.deadlineUnrequested());
    }

    @Test
    void nothingIsCancelledAtAPeerTooSlowForDeadlines() {
        PiecePicker<String> p = picker(9);
        p.peerHasAll("slow");
        pick(p, "slow", 4);
        p.setDeadlinePeers(peer -> false);
        p.setDeadlines(List.of(19));
        assertEquals(List.of(), p.cancelOutside("slow", Set.of(19), true), "it would not be asked for piece 19 anyway");
        assertEquals(4, p.outstandingCount("slow"));
    }

    @Test
    void aDeadlineOutsideTheTorrentIsRefused() {
        PiecePicker<String> p = picker(6);
        assertThrows(IndexOutOfBoundsException.class, () -> p.setDeadlines(List.of(3, 20)));
        assertEquals(List.of(), p.deadlines(), "nothing changed");
    }
}
