package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PieceBufferPoolTest {

    private static final int PIECE = 64 * 1024;

    @Test
    void givenArrayIsReusedForTheNextPieceOfThatSize() {
        PieceBufferPool pool = new PieceBufferPool(4L * PIECE);
        byte[] first = pool.take(PIECE);
        assertEquals(PIECE, first.length);
        pool.give(first);
        assertSame(first, pool.take(PIECE));
        assertNotSame(first, pool.take(PIECE), "an array is handed out once until given back");
        assertEquals(1, pool.reused());
        assertEquals(2, pool.allocated());
    }

    @Test
    void eachPieceLengthHasItsOwnSpares() {
        PieceBufferPool pool = new PieceBufferPool(8L * PIECE);
        byte[] small = pool.take(PIECE);
        byte[] large = pool.take(2 * PIECE);
        pool.give(small);
        pool.give(large);
        assertSame(large, pool.take(2 * PIECE), "another torrent with the other piece length gets its array");
        assertSame(small, pool.take(PIECE));
        assertEquals(0, pool.spares());
    }

    @Test
    void aShortLastPieceIsNeitherTakenFromNorKept() {
        PieceBufferPool pool = new PieceBufferPool(4L * PIECE);
        pool.give(pool.take(PIECE));
        byte[] last = pool.take(1000);
        assertEquals(1000, last.length);
        assertEquals(1, pool.spares(), "the regular array stays for a regular piece");
        pool.give(last);
        assertEquals(1, pool.spares(), "a length that is no power of two is left to the GC");
    }

    @Test
    void keepsNoMoreSpareBytesThanItsBoundWhateverTheSizes() {
        PieceBufferPool pool = new PieceBufferPool(4L * PIECE);
        byte[][] inUse = {pool.take(PIECE), pool.take(2 * PIECE), pool.take(PIECE), pool.take(2 * PIECE)};
        for (byte[] b : inUse) {
            pool.give(b);
        }
        assertEquals(4L * PIECE, pool.spareBytes(), "1 + 2 + 1 pieces' worth kept, the second large one left to the GC");
        assertEquals(3, pool.spares());
        pool.take(2 * PIECE);
        assertEquals(2L * PIECE, pool.spareBytes(), "what is taken is no longer counted");
    }

    @Test
    void boundIsThePendingWritesAndAsManyAgainInAssembly() {
        PieceBufferPool pool = PieceBufferPool.forEngine(8L << 20);
        byte[][] inUse = new byte[20][];
        for (int i = 0; i < inUse.length; i++) {
            inUse[i] = pool.take(1 << 20);
        }
        for (byte[] b : inUse) {
            pool.give(b);
        }
        assertEquals(16, pool.spares());
    }

    @Test
    void trimDropsSparesUnusedForAWholeInterval() {
        PieceBufferPool pool = new PieceBufferPool(8L * PIECE);
        byte[][] inUse = {pool.take(PIECE), pool.take(PIECE), pool.take(PIECE)};
        for (byte[] b : inUse) {
            pool.give(b);
        }
        pool.trim(); // the spares arrived during this interval: none sat unused through all of it
        assertEquals(3, pool.spares());
        pool.give(pool.take(PIECE)); // only one of them is needed, then comes back
        pool.trim();
        assertEquals(1, pool.spares(), "the two spares unused for the whole interval go, the used one stays");
        assertEquals(PIECE, pool.spareBytes());
        pool.give(pool.take(PIECE));
        pool.trim();
        assertEquals(1, pool.spares(), "a spare in use during the interval stays");
        pool.trim();
        assertEquals(0, pool.spares(), "an idle interval gives every spare back");
        assertEquals(0, pool.spareBytes());
    }

    @Test
    void refusesANegativeBound() {
        assertThrows(IllegalArgumentException.class, () -> new PieceBufferPool(-1));
    }
}
