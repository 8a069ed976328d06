package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.storage.Bitfield;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.RateMeter;
import dev.magnetar.wire.RequestQueueSizer;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request pipeline at the record level: a real picker, a recording transport, a hand-driven clock. */
class BlockRequesterTest {

    private static final int BLOCK = 16 * 1024;
    /** Forty pieces of four blocks. */
    private static final PieceGeometry GEOMETRY = new PieceGeometry(40L * 4 * BLOCK, 4 * BLOCK, BLOCK);
    private static final long TIMEOUT = 60_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(1_000);
    private PiecePicker<String> picker;
    private RequestQueueSizer sizer;
    private RecordingPeerLink link;
    private BlockRequester<String> requester;

    @BeforeEach
    void seedThatUnchokesUs() {
        picker = new PiecePicker<>(GEOMETRY, new Bitfield(GEOMETRY.pieceCount()), new Random(7));
        picker.peerHasAll("seed");
        sizer = new RequestQueueSizer(new RateMeter(nanos::get), nanos::get);
        link = new RecordingPeerLink();
        requester = new BlockRequester<>("seed", picker, sizer, link, nanos::get);
    }

    private List<PeerMessage.Request> sent() {
        return link.written(PeerMessage.Request.class);
    }

    private static BlockRequest blockOf(PeerMessage.Request r) {
        return new BlockRequest(r.piece(), r.begin(), r.length());
    }

    @Test
    void fillsTheQueueToTheSizersDepthInOneFlushAndRecordsEachRequestOnlyInThePicker() {
        int depth = sizer.queueDepth();
        requester.fill(Set.of(), false);
        assertEquals(depth, sent().size());
        assertEquals(1, link.flushes, "one batch, one flush");
        assertEquals(depth, picker.outstandingCount("seed"));
        assertEquals(depth, requester.outstanding());
        assertEquals(sent().stream().map(BlockRequesterTest::blockOf).toList(),
                List.copyOf(picker.outstanding("seed")), "the picker holds them, in the order sent");

        requester.fill(Set.of(), false);
        assertEquals(depth, sent().size(), "a full queue asks for nothing more");
    }

    @Test
    void aBlockWeAskedForIsMeteredOnceAndItsRepeatCountsAgainstThePeer() {
        requester.fill(Set.of(), false);
        BlockRequest first = blockOf(sent().get(0));

        assertTrue(requester.wasRequested(first));
        assertEquals(BlockArrival.Status.ACCEPTED, requester.received(first).status());
        assertFalse(picker.isOutstanding("seed", first));

        assertFalse(requester.wasRequested(first), "a second copy was never asked for (speed-extension.md P3)");
        assertEquals(1, requester.unrequestedBlocks());
    }

    @Test
    void blocksNeverAskedForCutThePeerOffPastTheAllowance() {
        for (int i = 0; i < UnrequestedBlocks.ALLOWANCE; i++) {
            assertFalse(requester.wasRequested(GEOMETRY.block(39, i % 4)));
            assertFalse(requester.overAllowance(), "within the allowance after " + (i + 1));
        }
        assertFalse(requester.wasRequested(GEOMETRY.block(38, 0)));
        assertTrue(requester.overAllowance(), "speed-extension.md P4");
    }

    @Test
    void requestsThatWaitedTheTimeoutGoBackToThePickerAndMayStillArriveOnce() {
        requester.fill(Set.of(), false);
        List<BlockRequest> asked = sent().stream().map(BlockRequesterTest::blockOf).toList();

        assertFalse(requester.expire(nanos.get() + TIMEOUT - 1, TIMEOUT), "not yet");
        assertEquals(asked.size(), requester.outstanding());

        assertTrue(requester.expire(nanos.get() + TIMEOUT, TIMEOUT));
        assertEquals(0, requester.outstanding());
        picker.peerHasAll("other");
        Set<Integer> theirPieces = Set.copyOf(asked.stream().map(BlockRequest::piece).toList());
        assertEquals(asked, picker.pick("other", asked.size(), theirPieces, true, nanos.get()),
                "the timed-out blocks are free for another peer");

        BlockRequest late = asked.get(0);
        assertTrue(requester.wasRequested(late), "BEP 3: a late block we asked for is still ours once");
        assertFalse(requester.wasRequested(late));
    }

    @Test
    void onlyTheRequestsOlderThanTheTimeoutExpire() {
        requester.fill(Set.of(), false);
        int first = sent().size();
        BlockRequest firstBlock = blockOf(sent().get(0));
        requester.received(firstBlock);
        requester.blockHandled();
        nanos.addAndGet(TIMEOUT / 2);
        requester.fill(Set.of(), false);
        int later = sent().size() - first;
        assertTrue(later > 0, "the received block left room");

        assertTrue(requester.expire(nanos.get() + TIMEOUT / 2, TIMEOUT));
        assertEquals(later, requester.outstanding(), "the newer requests still wait");
    }

    @Test
    void aBep3ChokeGivesEveryRequestBackButABlockAlreadyOnTheWayIsStillTakenOnce() {
        requester.fill(Set.of(), false);
        BlockRequest inFlight = blockOf(sent().get(1));

        requester.peerChoked();

        assertEquals(0, requester.outstanding());
        assertTrue(requester.wasRequested(inFlight));
        assertFalse(requester.wasRequested(inFlight));
    }

    @Test
    void aRejectedBlockGoesBackAndIsNotExpectedAnyMore() {
        requester.fill(Set.of(), false);
        BlockRequest rejected = blockOf(sent().get(0));

        requester.rejected(rejected);

        assertFalse(picker.isOutstanding("seed", rejected));
        assertEquals(sent().size() - 1, requester.outstanding());
        assertFalse(requester.wasRequested(rejected), "BEP 6: a rejected block will not come");
    }

    @Test
    void aCancelIsSentOnTheWireAndTheBlockMayStillArriveOnce() {
        requester.fill(Set.of(), false);
        BlockRequest b = blockOf(sent().get(0));
        // Taken back the way an endgame duplicate or a verified piece is: by the picker, before the cancel.
        requester.received(b);
        requester.cancel(b);

        assertEquals(List.of(new PeerMessage.Cancel(b.piece(), b.offset(), b.length())),
                link.written(PeerMessage.Cancel.class));
    }

    /**
     * A seek at a BEP 6 peer that behaves like libtorrent: a cancel of a request still queued there is
     * answered with a reject, one already read from disk with the block. Asking for a cancelled block again
     * before that answer let the reject take back the new request; the block then came twice and counted
     * against the peer's allowance of unrequested blocks, which cut off the stream's only seeder.
     */
    @Test
    void aSeekCancelsTheQueueAndTheFastPeersAnswersNeitherLoseNorRepeatABlock() {
        requester.fill(Set.of(), false);
        List<BlockRequest> queued = sent().stream().map(BlockRequesterTest::blockOf).toList();
        int urgent = 39;
        picker.setDeadlines(List.of(urgent));

        requester.cancelOutside(Set.of(urgent), true);
        assertEquals(queued.stream().map(b -> new PeerMessage.Cancel(b.piece(), b.offset(), b.length())).toList(),
                link.written(PeerMessage.Cancel.class), "a cancel for every queued block, in the queue's order");
        assertEquals(1, link.cancelBatches, "written as one buffer, not one trip down the pipeline per cancel");
        assertEquals(0, requester.outstanding(), "the queue has room for the new position");
        requester.fill(Set.of(), false);
        List<BlockRequest> asked = sent().stream().skip(queued.size()).map(BlockRequesterTest::blockOf).toList();
        assertEquals(urgent, asked.get(0).piece(), "the piece the reader waits for heads the queue");
        assertTrue(asked.stream().noneMatch(queued::contains), "no cancelled block is asked for again before its answer");

        BlockRequest onItsWay = queued.get(0);
        assertTrue(requester.wasRequested(onItsWay), "already read from disk: the block answers the cancel");
        assertEquals(BlockArrival.Status.ACCEPTED, requester.received(onItsWay).status());
        for (BlockRequest b : queued.subList(1, queued.size())) {
            requester.rejected(b); // the rest were still queued: rejected
        }
        assertEquals(0, picker.cancelsUnanswered("seed"));
        assertEquals(asked.size(), requester.outstanding(), "the new position's requests are untouched by the rejects");
        assertTrue(asked.stream().allMatch(b -> picker.isOutstanding("seed", b)));
        assertEquals(0, requester.unrequestedBlocks());
    }

    @Test
    void whileChokedOnlyAllowedFastPiecesAreAskedFor() {
        requester.fill(Set.of(), true);
        assertEquals(List.of(), sent(), "BEP 6: nothing while choked without allowed-fast pieces");

        requester.fill(Set.of(17), true);

        assertFalse(sent().isEmpty());
        assertTrue(sent().stream().allMatch(r -> r.piece() == 17), "only the allowed-fast piece: " + sent());
    }

    @Test
    void aRefillIsWorthItOnlyOnceAQuarterOfTheQueueIsUsedUp() {
        requester.fill(Set.of(), false);
        int depth = sent().size();
        List<BlockRequest> asked = sent().stream().map(BlockRequesterTest::blockOf).toList();
        boolean room = false;
        int handled = 0;
        while (!room) {
            BlockRequest b = asked.get(handled++);
            requester.wasRequested(b);
            requester.received(b);
            room = requester.blockHandled();
        }
        assertTrue(requester.outstanding() <= sizer.queueDepth() * 3 / 4);
        assertTrue(handled >= 1 && handled <= depth);
    }
}
