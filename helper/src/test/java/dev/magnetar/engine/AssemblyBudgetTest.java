package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AssemblyBudgetTest {

    private static final long MIB = 1L << 20;

    @Test
    void torrentsShareOneBoundCountedInWholePieces() {
        AssemblyBudget budget = new AssemblyBudget(64 * MIB);
        AssemblyBudget.Share big = budget.join(16 * MIB, 100);
        AssemblyBudget.Share small = budget.join(MIB, 100);

        big.inProgressChanged(3);
        assertEquals(48 * MIB, budget.total());
        assertTrue(big.mayStartAnother(3), "a fourth 16 MiB piece still fits in 64 MiB");
        big.inProgressChanged(4);
        assertFalse(big.mayStartAnother(4), "the budget is full");
        assertFalse(small.mayStartAnother(1), "full for every torrent, not only the one that filled it");
        assertEquals(64 * MIB, budget.peak());

        big.inProgressChanged(2);
        assertTrue(small.mayStartAnother(1), "room again once pieces end");
        assertEquals(32 * MIB, budget.total());
    }

    @Test
    void aTorrentWithNothingInProgressMayAlwaysStartOnePiece() {
        AssemblyBudget budget = new AssemblyBudget(16 * MIB);
        AssemblyBudget.Share first = budget.join(16 * MIB, 100);
        AssemblyBudget.Share second = budget.join(16 * MIB, 100);
        first.inProgressChanged(1);
        assertFalse(first.mayStartAnother(1));
        assertTrue(second.mayStartAnother(0), "no torrent is starved: it overshoots by at most one piece");
        second.inProgressChanged(1);
        assertFalse(second.mayStartAnother(1));
        assertEquals(32 * MIB, budget.peak());
    }

    @Test
    void aTorrentsOwnCapHoldsEvenWithRoomInTheBudget() {
        AssemblyBudget budget = new AssemblyBudget(1024 * MIB);
        AssemblyBudget.Share share = budget.join(MIB, 4);
        assertTrue(share.mayStartAnother(3));
        assertFalse(share.mayStartAnother(4));
    }

    @Test
    void aClosedShareGivesItsRoomBackAndCountsNoMore() {
        AssemblyBudget budget = new AssemblyBudget(8 * MIB);
        AssemblyBudget.Share gone = budget.join(MIB, 100);
        AssemblyBudget.Share other = budget.join(MIB, 100);
        gone.inProgressChanged(8);
        assertFalse(other.mayStartAnother(1));

        gone.close();
        assertEquals(0, budget.total());
        assertTrue(other.mayStartAnother(1));
        gone.inProgressChanged(5); // a late change from the closed torrent's picker
        gone.close();
        assertEquals(0, budget.total(), "a closed share neither counts again nor gives back twice");
    }

    @Test
    void boundsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new AssemblyBudget(0));
        AssemblyBudget budget = new AssemblyBudget(MIB);
        assertThrows(IllegalArgumentException.class, () -> budget.join(0, 4));
        assertThrows(IllegalArgumentException.class, () -> budget.join(MIB, 0));
        assertEquals(MIB, AssemblyBudget.defaultCapacity(4 * MIB));
    }
}
