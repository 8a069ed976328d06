package dev.magnetar.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magnetar.metainfo.TorrentFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskIoTest {

    @TempDir
    Path dir;

    private static List<TorrentFile> files(long... sizes) {
        List<TorrentFile> out = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            out.add(new TorrentFile(List.of("t", "d" + i, "f" + i), sizes[i], offset, false));
            offset += sizes[i];
        }
        return out;
    }

    @Test
    void firstWriteCreatesParentsAndASparseFileOfFullLength() throws Exception {
        long size = 256L << 20;
        DiskIo io = new DiskIo(dir, files(size), 4);
        io.write(new FileSegment(0, size - 3, 3, false), "end".getBytes(StandardCharsets.US_ASCII), 0);
        io.flush();
        Path file = io.pathOf(0);
        assertEquals(size, Files.size(file));
        byte[] tail = new byte[3];
        io.read(new FileSegment(0, size - 3, 3, false), tail, 0);
        assertEquals("end", new String(tail, StandardCharsets.US_ASCII));
        io.close();
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "block count via stat(1)");
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        assertTrue(stat.waitFor(30, TimeUnit.SECONDS));
        String[] blocks = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        long allocated = Long.parseLong(blocks[0]) * Long.parseLong(blocks[1]);
        assertTrue(allocated < (1 << 20), "no zero-fill: " + allocated + " bytes allocated for a " + size + "-byte file");
    }

    @Test
    void aWriteLongerThanOneChunkLandsWholeAndInOrder() throws Exception {
        // Spans several WRITE_CHUNKs, starts mid-array and mid-file, and ends on a partial chunk.
        int length = 3 * DiskIo.WRITE_CHUNK + 12_345;
        byte[] src = new byte[length + 100];
        new java.util.Random(7).nextBytes(src);
        DiskIo io = new DiskIo(dir, files(length + 5_000L), 4);
        io.write(new FileSegment(0, 4_000, length, false), src, 50);
        byte[] back = new byte[length];
        io.read(new FileSegment(0, 4_000, length, false), back, 0);
        assertArrayEquals(Arrays.copyOfRange(src, 50, 50 + length), back);
        byte[] before = new byte[4_000];
        io.read(new FileSegment(0, 0, 4_000, false), before, 0);
        assertArrayEquals(new byte[4_000], before, "nothing written ahead of the segment");
        io.close();
    }

    @Test
    void readsOfMissingOrShortFilesAreTypedErrors() throws Exception {
        DiskIo io = new DiskIo(dir, files(100), 4);
        FileSegment seg = new FileSegment(0, 0, 100, false);
        assertFalse(io.holds(seg));
        assertEquals(StorageException.Reason.FILE_MISSING, assertThrows(StorageException.class, () -> io.read(seg, new byte[100], 0)).reason());
        Files.createDirectories(io.pathOf(0).getParent());
        Files.write(io.pathOf(0), new byte[50]);
        assertFalse(io.holds(seg));
        assertEquals(StorageException.Reason.FILE_MISSING, assertThrows(StorageException.class, () -> io.read(seg, new byte[100], 0)).reason());
        assertTrue(io.holds(new FileSegment(0, 0, 50, false)));
    }

    @Test
    void padSegmentsReadAsZerosAndRefuseNonZeroWrites() throws Exception {
        List<TorrentFile> files = List.of(new TorrentFile(List.of("t", ".pad", "8"), 8, 0, true));
        DiskIo io = new DiskIo(dir, files, 4);
        byte[] buf = {1, 2, 3, 4, 5, 6, 7, 8};
        io.read(new FileSegment(0, 0, 8, true), buf, 0);
        assertArrayEquals(new byte[8], buf);
        io.write(new FileSegment(0, 0, 8, true), new byte[8], 0);
        byte[] nonZero = new byte[8];
        nonZero[7] = 1;
        assertEquals(StorageException.Reason.BAD_TORRENT,
                assertThrows(StorageException.class, () -> io.write(new FileSegment(0, 0, 8, true), nonZero, 0)).reason());
        assertFalse(Files.exists(dir.resolve("t")), "pad files never touch the disk");
    }

    @Test
    void aSegmentBeyondItsFileIsNeverWritten() {
        DiskIo io = new DiskIo(dir, files(10, 10), 4);
        assertThrows(IllegalStateException.class, () -> io.write(new FileSegment(0, 5, 6, false), new byte[6], 0));
        assertFalse(Files.exists(dir.resolve("t")));
    }

    @Test
    void escapingPathIsRefusedBeforeAnythingIsOpened() {
        List<TorrentFile> files = List.of(new TorrentFile(List.of("..", "outside"), 4, 0, false),
                new TorrentFile(List.of("."), 4, 4, false));
        DiskIo io = new DiskIo(dir.resolve("dl"), files, 4);
        assertEquals(StorageException.Reason.PATH_OUTSIDE_DOWNLOAD_DIR,
                assertThrows(StorageException.class, () -> io.write(new FileSegment(0, 0, 4, false), new byte[4], 0)).reason());
        assertEquals(StorageException.Reason.PATH_OUTSIDE_DOWNLOAD_DIR, assertThrows(StorageException.class, () -> io.pathOf(1)).reason());
        assertFalse(Files.exists(dir.resolve("outside")));
    }

    /** Two threads hammer five files through a cache of two channels: eviction never closes a channel in use. */
    @Test
    void boundedChannelCacheSurvivesConcurrentUse() throws Exception {
        int fileSize = 4096;
        DiskIo io = new DiskIo(dir, files(fileSize, fileSize, fileSize, fileSize, fileSize), 2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Void>> jobs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                jobs.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 200; i++) {
                        int file = (i * 3 + thread) % 5;
                        int offset = ((i / 5) % 8) * 256 + thread * 2048;
                        byte[] data = new byte[256];
                        Arrays.fill(data, (byte) (file * 16 + thread));
                        FileSegment seg = new FileSegment(file, offset, 256, false);
                        io.write(seg, data, 0);
                        byte[] back = new byte[256];
                        io.read(seg, back, 0);
                        assertArrayEquals(data, back);
                        assertTrue(io.openFileCount() <= 2);
                    }
                    return null;
                }));
            }
            for (Future<Void> j : jobs) {
                j.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        io.flush();
        io.close();
        assertEquals(0, io.openFileCount());
        assertEquals(StorageException.Reason.CLOSED,
                assertThrows(StorageException.class, () -> io.read(new FileSegment(0, 0, 1, false), new byte[1], 0)).reason());
        byte[] f3 = Files.readAllBytes(dir.resolve("t/d3/f3"));
        assertEquals(3 * 16, f3[0]);
        assertEquals(3 * 16 + 1, f3[2048]);
    }

    /** A file we had, deleted behind our back, is not created again empty under data counted as verified. */
    @Test
    void aFileDeletedAfterItWasOpenedIsNotCreatedAgain() throws Exception {
        DiskIo io = new DiskIo(dir, files(100, 100), 1); // one open file: the second write evicts the first
        io.write(new FileSegment(0, 0, 4, false), "abcd".getBytes(StandardCharsets.US_ASCII), 0);
        io.write(new FileSegment(1, 0, 4, false), "efgh".getBytes(StandardCharsets.US_ASCII), 0);
        Files.delete(io.pathOf(0));

        StorageException e = assertThrows(StorageException.class,
                () -> io.write(new FileSegment(0, 4, 4, false), "ijkl".getBytes(StandardCharsets.US_ASCII), 0));
        assertEquals(StorageException.Reason.FILE_MISSING, e.reason());
        assertTrue(e.getMessage().contains("was deleted while the torrent was using it"), e.getMessage());
        assertFalse(Files.exists(io.pathOf(0)), "not created again");
        assertEquals(StorageException.Reason.FILE_MISSING, assertThrows(StorageException.class, io::close).reason(),
                "its unsynced writes cannot be made durable any more, and close says so");
    }

    /**
     * The JDK reads a file into a heap buffer through a temporary direct buffer as large as the read, and
     * keeps it cached on the reading thread for the thread's life (sun.nio.ch.Util). Disk threads live as
     * long as the daemon, and a check reads whole pieces (up to 16 MiB each) into the heap.
     */
    @Test
    void readingAWholeBigPieceIntoTheHeapLeavesNoPieceSizedDirectBufferOnTheReadingThread() throws Exception {
        int pieceBytes = 8 << 20;
        byte[] piece = new byte[pieceBytes];
        new java.util.Random(3).nextBytes(piece);
        DiskIo io = new DiskIo(dir, files(pieceBytes), 4);
        io.write(new FileSegment(0, 0, pieceBytes, false), piece, 0);
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        ExecutorService diskThread = Executors.newSingleThreadExecutor();
        try {
            long before = diskThread.submit(direct::getMemoryUsed).get(30, TimeUnit.SECONDS);
            byte[] back = new byte[pieceBytes];
            diskThread.submit(() -> {
                io.read(new FileSegment(0, 0, pieceBytes, false), back, 0);
                return null;
            }).get(30, TimeUnit.SECONDS);
            long kept = direct.getMemoryUsed() - before; // the thread is alive: its cache too
            assertArrayEquals(piece, back);
            assertTrue(kept <= DiskIo.READ_CHUNK, kept + " bytes of direct memory kept after reading " + pieceBytes);
        } finally {
            diskThread.shutdown();
            io.close();
        }
    }
}
