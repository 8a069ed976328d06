package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class NettyPoolReportTest {

    /** 8 KiB pages × 2^7: the daemon's 1 MiB chunks; no thread caches, so a release goes straight back to its chunk. */
    private static PooledByteBufAllocator twoArenas() {
        return new PooledByteBufAllocator(true, 0, 2, 8192, 7, 0, 0, false);
    }

    @Test
    void namesTheChunkABufferTookAndItsUsage() {
        PooledByteBufAllocator pool = twoArenas();
        ByteBuf quarter = pool.directBuffer(128 * 1024);
        try {
            String line = NettyPoolReport.describe(pool.metric());
            assertTrue(line.contains("1.0 MiB in 1 chunks of 1024 KiB, 128 KiB taken"), line);
            assertTrue(line.contains("2 arenas"), line);
            assertTrue(line.matches(".*arena \\d: 1 thread caches, 1-25% \\[13%].*"), line);
        } finally {
            quarter.release();
        }
    }

    @Test
    void showsTheChunkAnArenaKeepsOnceEverythingIsReleased() {
        PooledByteBufAllocator pool = twoArenas();
        pool.directBuffer(4096).release();
        String line = NettyPoolReport.describe(pool.metric());
        // The first list never frees its chunks: what an idle daemon's "Other" holds however quiet it is.
        // Its small-buffer page stays with the arena too.
        assertTrue(line.contains("1.0 MiB in 1 chunks of 1024 KiB, 8 KiB taken"), line);
        assertTrue(line.contains("1-25% [1%]"), line);
    }

    @Test
    void aChunkFreedOnceEmptyIsNoLongerCounted() {
        PooledByteBufAllocator pool = twoArenas();
        ByteBuf half = pool.directBuffer(512 * 1024);
        half.release();
        String line = NettyPoolReport.describe(pool.metric());
        // Over a quarter full at once, the chunk skipped the first list, and the release emptied and freed it.
        assertTrue(line.contains("0.0 MiB in 0 chunks"), line);
    }
}
