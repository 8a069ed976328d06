package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PieceAssemblyTest {

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void piecesInAssemblyFitInAnEighthOfTheHeapPerTorrent() {
        long mib = 1 << 20;
        assertEquals(16, PieceAssembly.maxInProgress(2048 * mib, 16 * mib));
        assertEquals(768, PieceAssembly.maxInProgress(6144 * mib, mib));
        assertEquals(PieceAssembly.MIN_IN_PROGRESS, PieceAssembly.maxInProgress(64 * mib, 16 * mib),
                "a small heap still keeps a few pieces going");
        assertEquals(Integer.MAX_VALUE, PieceAssembly.maxInProgress(Long.MAX_VALUE, 1));
        assertThrows(IllegalArgumentException.class, () -> PieceAssembly.maxInProgress(mib, 0));
    }

    @Test
    void assemblesBlocksInAnyOrderIncludingAShortLastBlock() {
        PieceAssembly a = new PieceAssembly(7, 16384 * 2 + 100, 16384);
        assertTrue(a.put(32768, filled(100, 3)));
        assertFalse(a.isComplete());
        assertTrue(a.put(0, filled(16384, 1)));
        assertTrue(a.put(16384, filled(16384, 2)));
        assertTrue(a.isComplete());
        byte[] data = a.takeData();
        assertEquals(16384 * 2 + 100, data.length);
        assertEquals(1, data[0]);
        assertEquals(2, data[16384]);
        assertEquals(3, data[32768 + 99]);
    }

    @Test
    void refusesBlocksOffTheGrid() {
        PieceAssembly a = new PieceAssembly(0, 40000, 16384);
        assertFalse(a.put(100, filled(16384, 1)), "offset not on a block boundary");
        assertFalse(a.put(0, filled(1000, 1)), "short block that is not the last");
        assertFalse(a.put(32768, filled(16384, 1)), "last block longer than the piece");
        assertFalse(a.put(40000, filled(1, 1)), "past the end");
        assertFalse(a.put(-16384, filled(16384, 1)), "negative offset");
        assertEquals(0, a.blocksReceived());
    }

    @Test
    void incompletePieceCannotBeTakenAndResetForgetsBlocks() {
        PieceAssembly a = new PieceAssembly(0, 16384, 16384);
        assertThrows(IllegalStateException.class, a::takeData);
        a.put(0, filled(16384, 9));
        assertTrue(a.has(0));
        a.reset();
        assertFalse(a.has(0));
        assertFalse(a.isComplete());
        a.put(0, filled(16384, 5));
        assertArrayEquals(filled(16384, 5), a.takeData());
    }

    @Test
    void reusedBufferFullOfGarbageYieldsExactlyTheBlocks() {
        byte[] reused = filled(16384 * 2 + 100, 0x5A); // what an earlier piece left behind
        PieceAssembly a = new PieceAssembly(3, reused, 16384);
        assertTrue(a.put(32768, filled(100, 3)));
        assertTrue(a.put(0, filled(16384, 1)));
        assertThrows(IllegalStateException.class, a::takeData, "not every byte is overwritten yet");
        assertTrue(a.put(16384, io.netty.buffer.Unpooled.wrappedBuffer(filled(16384, 2))));
        byte[] expected = new byte[16384 * 2 + 100];
        Arrays.fill(expected, 0, 16384, (byte) 1);
        Arrays.fill(expected, 16384, 32768, (byte) 2);
        Arrays.fill(expected, 32768, expected.length, (byte) 3);
        byte[] data = a.takeData();
        assertSame(reused, data, "assembled in place, no copy");
        assertArrayEquals(expected, data);
    }

    @Test
    void blockIsReadFromTheBuffersReadableBytesWhichAreLeftUnread() {
        PieceAssembly a = new PieceAssembly(0, 16384, 16384);
        io.netty.buffer.ByteBuf framed = io.netty.buffer.Unpooled.buffer().writeInt(77).writeBytes(filled(16384, 4));
        framed.skipBytes(4);
        assertTrue(a.put(0, framed));
        assertEquals(4, framed.readerIndex(), "the caller's buffer is left as it was");
        assertArrayEquals(filled(16384, 4), a.takeData());
    }
}
