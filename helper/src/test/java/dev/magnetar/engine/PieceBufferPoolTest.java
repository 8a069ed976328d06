package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PieceBufferPoolTest {

    private static final int PIECE = 64 * 1024;

    @Test
    void givenArrayIsReusedForTheNextPiece() {
        PieceBufferPool pool = new PieceBufferPool(PIECE, 4);
        byte[] first = pool.take(PIECE);
        assertEquals(PIECE, first.length);
        pool.give(first);
        assertSame(first, pool.take(PIECE));
        assertNotSame(first, pool.take(PIECE), "an array is handed out once until given back");
    }

    @Test
    void shorterLastPieceIsNeitherTakenFromNorKept() {
        PieceBufferPool pool = new PieceBufferPool(PIECE, 4);
        pool.give(pool.take(PIECE));
        byte[] last = pool.take(1000);
        assertEquals(1000, last.length);
        assertEquals(1, pool.spares(), "the regular array stays for a regular piece");
        pool.give(last);
        assertEquals(1, pool.spares(), "an odd size is left to the GC");
    }

    @Test
    void keepsNoMoreThanItsBound() {
        PieceBufferPool pool = new PieceBufferPool(PIECE, 2);
        byte[][] inUse = {pool.take(PIECE), pool.take(PIECE), pool.take(PIECE)};
        for (byte[] b : inUse) {
            pool.give(b);
        }
        assertEquals(2, pool.spares());
    }

    @Test
    void boundCoversThePendingWritesPlusAFewAssemblies() {
        PieceBufferPool pool = PieceBufferPool.forTorrent(1 << 20, 8L << 20);
        byte[][] inUse = new byte[20][];
        for (int i = 0; i < inUse.length; i++) {
            inUse[i] = pool.take(1 << 20);
        }
        for (byte[] b : inUse) {
            pool.give(b);
        }
        assertEquals(8 + 1 + 4, pool.spares());
    }

    @Test
    void trimDropsSparesUnusedForAWholeInterval() {
        PieceBufferPool pool = new PieceBufferPool(PIECE, 8);
        byte[][] inUse = {pool.take(PIECE), pool.take(PIECE), pool.take(PIECE)};
        for (byte[] b : inUse) {
            pool.give(b);
        }
        pool.trim(); // starts an interval with 3 spares
        pool.give(pool.take(PIECE)); // only one of them is needed, then comes back
        pool.trim();
        assertEquals(1, pool.spares(), "the two spares unused for the whole interval go, the used one stays");
        pool.give(pool.take(PIECE));
        pool.trim();
        assertEquals(1, pool.spares(), "a spare in use during the interval stays");
        pool.trim();
        assertEquals(0, pool.spares(), "an idle interval gives every spare back");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new PieceBufferPool(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PieceBufferPool(PIECE, -1));
    }
}
