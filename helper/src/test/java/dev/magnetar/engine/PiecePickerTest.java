package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.storage.Bitfield;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PiecePickerTest {

    private static final int BLOCK = 16 * 1024;
    /** Ten pieces of two 16 KiB blocks, the last piece one short block. */
    private static final PieceGeometry TEN_PIECES = new PieceGeometry(9L * 2 * BLOCK + 1000, 2 * BLOCK, BLOCK);

    private static PiecePicker<String> picker(PieceGeometry g, long seed) {
        PiecePicker<String> p = new PiecePicker<>(g, new Bitfield(g.pieceCount()), new Random(seed));
        p.setRandomStartPieces(0);
        return p;
    }

    private static Bitfield pieces(int count, int... set) {
        Bitfield b = new Bitfield(count);
        for (int i : set) {
            b.set(i);
        }
        return b;
    }

    private static Set<Integer> piecesOf(List<BlockRequest> blocks) {
        return blocks.stream().map(BlockRequest::piece).collect(Collectors.toSet());
    }

    private static List<BlockRequest> pick(PiecePicker<String> p, String peer, int max) {
        return p.pick(peer, max, Set.of(), false, 0);
    }

    @Test
    void layoutSplitsPiecesIntoBlocksWithAShortLastPieceAndBlock() {
        assertEquals(10, TEN_PIECES.pieceCount());
        assertEquals(2, TEN_PIECES.blockCount(0));
        assertEquals(1, TEN_PIECES.blockCount(9));
        assertEquals(new BlockRequest(9, 0, 1000), TEN_PIECES.block(9, 0));
        assertEquals(new BlockRequest(3, BLOCK, BLOCK), TEN_PIECES.block(3, 1));
        assertTrue(TEN_PIECES.isValidBlock(new BlockRequest(9, 0, 1000)));
        assertFalse(TEN_PIECES.isValidBlock(new BlockRequest(9, 0, BLOCK)));
        assertFalse(TEN_PIECES.isValidBlock(new BlockRequest(0, 100, BLOCK)));
        assertFalse(TEN_PIECES.isValidBlock(new BlockRequest(10, 0, BLOCK)));
    }

    @Test
    void startsNoPieceBeyondTheCapUntilOneIsDone() {
        PiecePicker<String> p = picker(TEN_PIECES, 3);
        p.setMaxPiecesInProgress(2);
        p.peerHasAll("seed");
        List<BlockRequest> first = pick(p, "seed", 20);
        assertEquals(2, piecesOf(first).size(), "every free block of two pieces, no third piece");
        assertEquals(piecesOf(first).stream().mapToInt(TEN_PIECES::blockCount).sum(), first.size());
        assertEquals(List.of(), pick(p, "seed", 20), "at the cap with nothing free: wait");
        assertTrue(p.freeBlocks() > 0, "not endgame: unstarted pieces still count as free");

        first.forEach(b -> p.blockReceived("seed", b));
        int done = first.get(0).piece();
        p.pieceVerified(done);
        Set<Integer> next = piecesOf(pick(p, "seed", 20));
        assertEquals(1, next.size(), "one piece done, one new piece: " + next);
        assertFalse(next.contains(done));
        assertEquals(2, p.piecesInProgress());
    }

    @Test
    void unrequestedBlocksStartNoPieceBeyondTheCap() {
        PiecePicker<String> p = picker(TEN_PIECES, 4);
        p.setMaxPiecesInProgress(2);
        p.peerHasAll("hostile");
        assertEquals(BlockArrival.Status.ACCEPTED, p.blockReceived("hostile", TEN_PIECES.block(0, 0)).status());
        assertEquals(BlockArrival.Status.ACCEPTED, p.blockReceived("hostile", TEN_PIECES.block(1, 0)).status());
        for (int piece = 2; piece < 10; piece++) {
            assertEquals(BlockArrival.Status.UNWANTED, p.blockReceived("hostile", TEN_PIECES.block(piece, 0)).status(),
                    "piece " + piece);
        }
        assertEquals(2, p.piecesInProgress());
        assertEquals(BlockArrival.Status.ACCEPTED, p.blockReceived("hostile", TEN_PIECES.block(1, 1)).status(),
                "blocks of pieces in progress still count");
    }

    @Test
    void tellsItsLimitHowManyPiecesAreInProgressAsTheyStartAndEnd() {
        PiecePicker<String> p = picker(TEN_PIECES, 5);
        List<Integer> told = new java.util.ArrayList<>();
        p.setInProgressLimit(new InProgressLimit() {
            @Override
            public boolean mayStartAnother(int inProgress) {
                return inProgress < 3;
            }

            @Override
            public void inProgressChanged(int inProgress) {
                told.add(inProgress);
            }
        });
        assertEquals(List.of(0), told, "told the count when set");
        p.peerHasAll("seed");
        List<BlockRequest> first = pick(p, "seed", 20);
        assertEquals(3, piecesOf(first).size(), "the limit decides: three pieces");
        assertEquals(List.of(0, 1, 2, 3), told);

        first.forEach(b -> p.blockReceived("seed", b));
        p.pieceVerified(first.get(0).piece());
        p.pieceFailed(first.get(first.size() - 1).piece());
        assertEquals(List.of(0, 1, 2, 3, 2, 1), told, "a verified and a failed piece both end");
        assertEquals(1, p.piecesInProgress());
    }

    @Test
    void capOfPiecesInProgressMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> picker(TEN_PIECES, 1).setMaxPiecesInProgress(0));
    }

    @Test
    void picksTheRarestPieceFirst() {
        PiecePicker<String> p = picker(TEN_PIECES, 1);
        p.peerHasAll("seed");
        p.peerBitfield("b", pieces(10, 0, 1, 2, 3, 4, 5, 6, 7, 8));
        p.peerBitfield("c", pieces(10, 0, 1, 2, 3, 4, 5, 6, 7));
        assertEquals(1, p.availability(9));
        assertEquals(2, p.availability(8));

        assertEquals(List.of(TEN_PIECES.block(9, 0)), pick(p, "seed", 1));
        assertEquals(Set.of(8), piecesOf(pick(p, "seed", 2)));
    }

    @Test
    void breaksRarityTiesAtRandomButReproduciblyWithTheSameSeed() {
        Set<Integer> firstPieces = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            PiecePicker<String> one = picker(TEN_PIECES, seed);
            PiecePicker<String> two = picker(TEN_PIECES, seed);
            one.peerHasAll("a");
            two.peerHasAll("a");
            List<BlockRequest> picked = pick(one, "a", 6);
            assertEquals(picked, pick(two, "a", 6), "same seed, same choices");
            firstPieces.add(picked.get(0).piece());
        }
        assertTrue(firstPieces.size() > 3, "equally rare pieces are not taken in index order: " + firstPieces);
    }

    @Test
    void finishesAPartialPieceBeforeStartingARarerOne() {
        PiecePicker<String> p = picker(TEN_PIECES, 2);
        p.peerHasAll("a");
        p.peerBitfield("b", pieces(10, 0, 5));
        List<BlockRequest> first = pick(p, "b", 1);
        int partial = first.get(0).piece();
        p.peerHasPiece("c", partial);
        p.peerHasPiece("c", 7);
        assertEquals(2, p.availability(7), "7 is rarer than the partial piece");

        assertEquals(List.of(TEN_PIECES.block(partial, 1)), pick(p, "c", 1));
        assertEquals(Set.of(7), piecesOf(pick(p, "c", 1)), "then the rarest new one");
    }

    @Test
    void prefersAPartialPieceThePeerAlreadyContributedTo() {
        PieceGeometry g = new PieceGeometry(2L * 4 * BLOCK, 4 * BLOCK, BLOCK);
        PiecePicker<String> p = picker(g, 3);
        p.peerBitfield("a", pieces(2, 0));
        p.peerBitfield("b", pieces(2, 1));
        p.blockReceived("a", pick(p, "a", 1).get(0));
        p.blockReceived("b", pick(p, "b", 1).get(0));
        p.peerHasPiece("a", 1);
        p.peerHasPiece("b", 0);

        // both pieces are partial with three free blocks; each peer continues its own
        assertEquals(Set.of(0), piecesOf(pick(p, "a", 1)));
        assertEquals(Set.of(1), piecesOf(pick(p, "b", 1)));
    }

    @Test
    void prefersThePartialPieceClosestToCompletionAmongStrangers() {
        PieceGeometry g = new PieceGeometry(2L * 4 * BLOCK, 4 * BLOCK, BLOCK);
        PiecePicker<String> p = picker(g, 4);
        p.peerBitfield("x", pieces(2, 0));
        p.peerBitfield("y", pieces(2, 1));
        p.peerHasAll("z");
        pick(p, "x", 1).forEach(b -> p.blockReceived("x", b));
        pick(p, "y", 3).forEach(b -> p.blockReceived("y", b));

        assertEquals(List.of(g.block(1, 3)), pick(p, "z", 1), "piece 1 has one block left, piece 0 three");
    }

    @Test
    void higherPriorityFirstAndPriorityZeroNeverPicked() {
        PiecePicker<String> p = picker(TEN_PIECES, 5);
        p.setPiecePriorities(new int[] {0, 0, 0, 1, 4, 4, 7, 4, 0, 0});
        p.peerHasAll("a");
        // the rarest piece (availability 1 for every piece here) does not beat priority
        assertEquals(Set.of(6), piecesOf(pick(p, "a", 2)));
        Set<Integer> all = piecesOf(pick(p, "a", 100));
        assertEquals(Set.of(3, 4, 5, 7), all);
        assertEquals(5, p.wantedPieces());
        assertFalse(p.isInteresting("nobody"));
        p.peerBitfield("only-unwanted", pieces(10, 0, 1, 8));
        assertFalse(p.isInteresting("only-unwanted"));
        assertEquals(List.of(), pick(p, "only-unwanted", 10));
    }

    @Test
    void lowerPriorityIsPickedOnlyAfterHigherIsExhausted() {
        PiecePicker<String> p = picker(TEN_PIECES, 6);
        p.setPiecePriorities(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 5});
        p.peerHasAll("a");
        List<BlockRequest> picked = pick(p, "a", 3);
        assertEquals(9, picked.get(0).piece(), "priority 5 first even though it is not rarer");
        assertTrue(picked.get(1).piece() != 9);
    }

    @Test
    void whenChokedOnlyAllowedFastPiecesArePicked() {
        PiecePicker<String> p = picker(TEN_PIECES, 7);
        p.peerHasAll("a");
        assertEquals(List.of(), p.pick("a", 10, Set.of(), true, 0));
        List<BlockRequest> fast = p.pick("a", 10, Set.of(2, 5, 99, -1), true, 0);
        assertEquals(Set.of(2, 5), piecesOf(fast));
        assertEquals(4, fast.size());
    }

    @Test
    void startsWithRandomPiecesThenSwitchesToRarestFirst() {
        Set<Integer> firstPicks = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            PiecePicker<String> p = new PiecePicker<>(TEN_PIECES, new Bitfield(10), new Random(seed));
            p.peerHasAll("seed");
            p.peerBitfield("b", pieces(10, 0, 1, 2, 3, 4, 5, 6, 7, 8));
            firstPicks.add(pick(p, "seed", 1).get(0).piece());
        }
        assertTrue(firstPicks.size() > 1, "random start ignores rarity: " + firstPicks);

        PiecePicker<String> p = new PiecePicker<>(TEN_PIECES, pieces(10, 0, 1, 2, 3), new Random(1));
        p.peerHasAll("seed");
        p.peerBitfield("b", pieces(10, 0, 1, 2, 3, 4, 5, 6, 7, 8));
        assertEquals(9, pick(p, "seed", 1).get(0).piece(), "with 4 pieces verified, rarest first");
    }

    @Test
    void sequentialModePicksLowestIndexFirst() {
        PiecePicker<String> p = picker(TEN_PIECES, 8);
        p.setSequential(true);
        p.peerHasAll("a");
        p.peerBitfield("b", pieces(10, 0, 1, 2));
        assertEquals(List.of(TEN_PIECES.block(0, 0), TEN_PIECES.block(0, 1), TEN_PIECES.block(1, 0)),
                pick(p, "a", 3));
        assertEquals(List.of(TEN_PIECES.block(1, 1), TEN_PIECES.block(2, 0)), pick(p, "b", 2));
    }

    @Test
    void noBlockIsRequestedTwiceBeforeEndgame() {
        PiecePicker<String> p = picker(TEN_PIECES, 9);
        p.peerBitfield("a", pieces(10, 0));
        p.peerBitfield("b", pieces(10, 0, 1));
        assertEquals(2, pick(p, "a", 10).size());
        assertFalse(p.isEndgame(), "piece 1..9 are still free");
        assertEquals(Set.of(1), piecesOf(pick(p, "b", 10)), "b gets piece 1, not a duplicate of piece 0");
    }

    @Test
    void endgameDuplicatesOutstandingBlocksAndCancelsThemOnArrival() {
        PieceGeometry g = new PieceGeometry(2L * BLOCK, 2 * BLOCK, BLOCK);
        PiecePicker<String> p = picker(g, 10);
        p.peerHasAll("a");
        p.peerHasAll("b");
        p.peerHasAll("c");
        List<BlockRequest> fromA = pick(p, "a", 10);
        assertEquals(2, fromA.size());
        assertTrue(p.isEndgame());

        assertEquals(fromA, pick(p, "b", 10), "endgame: b gets the same blocks");
        assertEquals(List.of(), pick(p, "c", 10), "each block at most at 2 peers");
        assertEquals(List.of(), pick(p, "a", 10), "never twice at the same peer");

        BlockArrival<String> arrival = p.blockReceived("b", g.block(0, 0));
        assertTrue(arrival.accepted());
        assertEquals(List.of(new PeerBlock<>("a", g.block(0, 0))), arrival.cancels());
        assertFalse(arrival.pieceComplete());
        assertEquals(Set.of(g.block(0, 1)), p.outstanding("a"));

        BlockArrival<String> late = p.blockReceived("a", g.block(0, 0));
        assertEquals(BlockArrival.Status.DUPLICATE, late.status());

        BlockArrival<String> last = p.blockReceived("a", g.block(0, 1));
        assertEquals(List.of(new PeerBlock<>("b", g.block(0, 1))), last.cancels());
        assertTrue(last.pieceComplete());
        assertEquals(Set.of(), p.outstanding("b"));
    }

    @Test
    void endgameBoundIsConfigurable() {
        PieceGeometry g = new PieceGeometry(BLOCK, BLOCK, BLOCK);
        PiecePicker<String> p = picker(g, 11);
        p.setEndgamePeersPerBlock(3);
        for (String peer : List.of("a", "b", "c", "d")) {
            p.peerHasAll(peer);
        }
        assertEquals(1, pick(p, "a", 5).size());
        assertEquals(1, pick(p, "b", 5).size());
        assertEquals(1, pick(p, "c", 5).size());
        assertEquals(0, pick(p, "d", 5).size());
    }

    @Test
    void anEndgamePeerThatFoundNothingGetsADuplicateOnceARequestIsGivenBack() {
        PieceGeometry g = new PieceGeometry(2L * BLOCK, 2 * BLOCK, BLOCK);
        PiecePicker<String> p = picker(g, 18);
        for (String peer : List.of("a", "b", "c")) {
            p.peerHasAll(peer);
        }
        List<BlockRequest> both = pick(p, "a", 10);
        assertEquals(both, pick(p, "b", 10));
        assertEquals(List.of(), pick(p, "c", 10), "each block is at two peers already");
        assertEquals(List.of(), pick(p, "c", 10), "still nothing, and nothing changed");

        p.blockReceived("b", both.get(1));
        assertEquals(List.of(), pick(p, "c", 10), "an arrival offers no new duplicate");
        assertTrue(p.requestTimedOut("a", both.get(0)));
        assertEquals(List.of(both.get(0)), pick(p, "c", 10), "a's give-back makes room at block 0");
    }

    @Test
    void freeBlockCountFollowsRequestsArrivalsGiveBacksPrioritiesAndHashResults() {
        PiecePicker<String> p = picker(TEN_PIECES, 19);
        p.peerHasAll("a");
        assertEquals(19, p.freeBlocks(), "nine pieces of two blocks and one of one");
        p.setPiecePriority(9, PiecePicker.DONT_DOWNLOAD);
        assertEquals(18, p.freeBlocks());
        List<BlockRequest> picked = pick(p, "a", 4);
        assertEquals(14, p.freeBlocks());
        p.requestTimedOut("a", picked.get(0));
        assertEquals(15, p.freeBlocks());
        BlockRequest given = picked.get(0);
        BlockRequest first = picked.get(1);
        assertEquals(given.piece(), first.piece(), "a new piece is taken whole, block by block");
        p.blockReceived("a", first);
        assertEquals(15, p.freeBlocks(), "a requested block was not free; received, it still isn't");
        p.blockReceived("a", given); // late, after its timeout: still accepted, so one fewer free
        int afterArrivals = p.freeBlocks();
        assertEquals(14, afterArrivals);
        p.pieceFailed(first.piece());
        assertEquals(afterArrivals + 2, p.freeBlocks(), "a failed piece's blocks are free again");
        List<BlockRequest> again = p.pick("a", 2, Set.of(first.piece()), true, 0);
        assertEquals(afterArrivals, p.freeBlocks());
        again.forEach(b -> p.blockReceived("a", b));
        p.pieceVerified(first.piece());
        assertEquals(afterArrivals, p.freeBlocks(), "verifying a fully received piece frees nothing");
        p.setPiecePriority(9, 1);
        assertEquals(afterArrivals + 1, p.freeBlocks());
    }

    @Test
    void rejectedTimedOutAndChokedBlocksReturnToThePool() {
        PiecePicker<String> p = picker(TEN_PIECES, 12);
        p.peerBitfield("a", pieces(10, 4));
        p.peerBitfield("b", pieces(10, 4));
        List<BlockRequest> picked = pick(p, "a", 2);
        assertEquals(List.of(), pick(p, "b", 2));

        assertTrue(p.requestRejected("a", picked.get(0)));
        assertFalse(p.requestRejected("a", picked.get(0)), "already returned");
        assertEquals(List.of(picked.get(0)), pick(p, "b", 2));

        assertTrue(p.requestTimedOut("b", picked.get(0)));
        assertEquals(List.of(picked.get(1)), p.peerChoked("a"));
        assertEquals(Set.of(), p.outstanding("a"));
        assertEquals(picked, pick(p, "b", 2));
        assertEquals(picked, p.peerDisconnected("b"));
        assertEquals(0, p.piecesInProgress(), "an untouched piece leaves the in-progress list");
        assertEquals(1, p.availability(4), "b's pieces no longer count");
    }

    @Test
    void lateBlockAfterTimeoutIsStillAccepted() {
        PiecePicker<String> p = picker(TEN_PIECES, 13);
        p.peerHasAll("a");
        BlockRequest b = pick(p, "a", 1).get(0);
        p.requestTimedOut("a", b);
        assertTrue(p.blockReceived("a", b).accepted());
        assertEquals(Set.of("a"), p.contributors(b.piece()));
    }

    @Test
    void failedPieceIsPickedAgainAndNamesItsContributors() {
        PieceGeometry g = new PieceGeometry(2L * BLOCK, 2 * BLOCK, BLOCK);
        PiecePicker<String> p = picker(g, 14);
        p.peerHasAll("bad");
        p.peerHasAll("good");
        p.blockReceived("bad", pick(p, "bad", 1).get(0));
        BlockArrival<String> done = p.blockReceived("good", pick(p, "good", 1).get(0));
        assertTrue(done.pieceComplete());
        assertEquals(List.of(), pick(p, "good", 2), "nothing left to fetch while the piece is hashed");

        assertEquals(Set.of("bad", "good"), p.pieceFailed(0));
        assertEquals(Set.of(), p.contributors(0));
        assertEquals(List.of(g.block(0, 0), g.block(0, 1)), pick(p, "good", 2));
        p.blockReceived("good", g.block(0, 0));
        assertTrue(p.blockReceived("good", g.block(0, 1)).pieceComplete());
        assertEquals(List.of(), p.pieceVerified(0));
        assertTrue(p.isComplete());
        assertThrows(IllegalStateException.class, () -> p.pieceFailed(0));
    }

    @Test
    void verifyingAPieceCancelsItsOutstandingRequests() {
        PiecePicker<String> p = picker(TEN_PIECES, 15);
        p.peerBitfield("a", pieces(10, 3));
        List<BlockRequest> picked = pick(p, "a", 2);
        List<PeerBlock<String>> cancels = p.pieceVerified(3);
        assertEquals(picked.stream().map(b -> new PeerBlock<>("a", b)).toList(), cancels);
        assertEquals(Set.of(), p.outstanding("a"));
        assertEquals(BlockArrival.Status.DUPLICATE, p.blockReceived("a", picked.get(0)).status());
    }

    @Test
    void blocksThatDoNotFitTheLayoutOrAreUnwantedAreNotAccepted() {
        PiecePicker<String> p = picker(TEN_PIECES, 16);
        p.setPiecePriority(1, PiecePicker.DONT_DOWNLOAD);
        assertEquals(BlockArrival.Status.INVALID, p.blockReceived("a", new BlockRequest(0, 1, BLOCK)).status());
        assertEquals(BlockArrival.Status.INVALID, p.blockReceived("a", new BlockRequest(42, 0, BLOCK)).status());
        assertEquals(BlockArrival.Status.UNWANTED, p.blockReceived("a", TEN_PIECES.block(1, 0)).status());
    }

    @Test
    void tracksAvailabilityThroughHaveAllHaveNoneHaveAndDisconnect() {
        PiecePicker<String> p = picker(TEN_PIECES, 17);
        p.peerHasAll("s");
        p.peerHaveNone("n");
        assertFalse(p.isInteresting("n"));
        p.peerHasPiece("n", 3);
        assertTrue(p.isInteresting("n"));
        assertEquals(2, p.availability(3));
        assertEquals(1, p.availability(4));
        for (int i = 0; i < 10; i++) {
            p.peerHasPiece("n", i);
        }
        assertEquals(2, p.availability(9), "a peer that collected every piece counts as a seed");
        p.peerDisconnected("s");
        p.peerDisconnected("n");
        assertEquals(0, p.availability(3));
        p.peerBitfield("n", pieces(10, 1));
        p.peerBitfield("n", pieces(10, 2));
        assertEquals(0, p.availability(1), "a second bitfield replaces the first");
        assertEquals(1, p.availability(2));
    }

    @Test
    void reportsWhatIsLeftAndResumesFromVerifiedPieces() {
        PiecePicker<String> p = new PiecePicker<>(TEN_PIECES, pieces(10, 0, 9), new Random(1));
        assertEquals(8, p.missingPieces());
        assertEquals(8L * 2 * BLOCK, p.missingBytes());
        p.peerHasAll("a");
        assertFalse(piecesOf(pick(p, "a", 100)).contains(0), "verified pieces are never requested");
    }

    @Test
    void refusesMismatchedInput() {
        assertThrows(IllegalArgumentException.class,
                () -> new PiecePicker<>(TEN_PIECES, new Bitfield(9), new Random(1)));
        PiecePicker<String> p = picker(TEN_PIECES, 1);
        assertThrows(IllegalArgumentException.class, () -> p.peerBitfield("a", new Bitfield(11)));
        assertThrows(IllegalArgumentException.class, () -> p.setPiecePriority(0, 8));
        assertThrows(IllegalArgumentException.class, () -> p.setPiecePriorities(new int[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> p.peerHasPiece("a", 10));
        assertThrows(IllegalArgumentException.class, () -> new PieceGeometry(0, 1, 1));
    }

    @Test
    void outstandingRequestsAreKeptOnceWithWhenTheyWereSentAndWaitOldestFirst() {
        PiecePicker<String> p = picker(TEN_PIECES, 5);
        p.peerHasAll("a");
        List<BlockRequest> early = p.pick("a", 2, Set.of(), false, 100);
        List<BlockRequest> late = p.pick("a", 2, Set.of(), false, 200);

        assertEquals(4, p.outstandingCount("a"));
        assertTrue(p.isOutstanding("a", late.get(1)));
        assertFalse(p.isOutstanding("b", late.get(1)));
        assertEquals(List.of(), p.requestsWaiting("a", 149, 50));
        assertEquals(early, p.requestsWaiting("a", 150, 50), "waited 50 ns: due");
        assertEquals(4, p.requestsWaiting("a", 250, 50).size());

        p.blockReceived("a", early.get(0));
        p.requestTimedOut("a", early.get(1));
        assertEquals(late, p.requestsWaiting("a", 1_000, 50), "received and given-back blocks no longer wait");
        assertEquals(2, p.outstandingCount("a"));
    }
}
