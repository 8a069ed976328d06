package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnrequestedBlocksTest {

    private static final BlockRequest BLOCK = new BlockRequest(3, 16384, 16384);

    @Test
    void anOutstandingBlockIsAskedForAndCostsNothingFromTheAllowance() {
        UnrequestedBlocks u = new UnrequestedBlocks();
        assertTrue(u.arrived(BLOCK, true));
        assertEquals(0, u.unrequested());
    }

    @Test
    void aBlockNeverAskedForIsUnrequested() {
        UnrequestedBlocks u = new UnrequestedBlocks();
        assertFalse(u.arrived(BLOCK, false));
        assertEquals(1, u.unrequested());
    }

    @Test
    void aCancelledBlockStillInFlightCountsOnceAsAskedForThenAsARepeat() {
        UnrequestedBlocks u = new UnrequestedBlocks();
        u.released(BLOCK);
        assertTrue(u.arrived(BLOCK, false), "BEP 3: a cancel may cross the block on the wire");
        assertFalse(u.arrived(BLOCK, false), "a second copy was never asked for");
        assertEquals(1, u.unrequested());
    }

    @Test
    void everyBlockSentTenTimesExhaustsTheAllowanceWithinTwoBlocks() {
        UnrequestedBlocks u = new UnrequestedBlocks();
        int sent = 0;
        for (int piece = 0; piece < 2 && !u.overAllowance(); piece++) {
            BlockRequest b = new BlockRequest(piece, 0, 16384);
            assertTrue(u.arrived(b, true));
            for (int copy = 1; copy < 10 && !u.overAllowance(); copy++) {
                assertFalse(u.arrived(b, false));
                sent++;
            }
        }
        assertTrue(u.overAllowance());
        assertEquals(UnrequestedBlocks.ALLOWANCE + 1, sent);
    }

    @Test
    void theAllowanceItselfIsTolerated() {
        UnrequestedBlocks u = new UnrequestedBlocks();
        for (int i = 0; i < UnrequestedBlocks.ALLOWANCE; i++) {
            u.arrived(new BlockRequest(i, 0, 16384), false);
        }
        assertFalse(u.overAllowance());
        u.arrived(BLOCK, false);
        assertTrue(u.overAllowance());
    }

    @Test
    void onlyTheLatestReleasedRequestsAreRemembered() {
        UnrequestedBlocks u = new UnrequestedBlocks();
        for (int i = 0; i <= UnrequestedBlocks.RELEASED_REMEMBERED; i++) {
            u.released(new BlockRequest(i, 0, 16384));
        }
        assertFalse(u.arrived(new BlockRequest(0, 0, 16384), false), "the oldest was forgotten");
        assertTrue(u.arrived(new BlockRequest(UnrequestedBlocks.RELEASED_REMEMBERED, 0, 16384), false));
    }
}
