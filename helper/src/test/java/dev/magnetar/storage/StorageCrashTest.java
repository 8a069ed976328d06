package dev.magnetar.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.ChildJvm;
import dev.magnetar.testing.TestTorrents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a download: a child JVM writes pieces while saving resume data every
 * 20 ms and is SIGKILLed while writes and saves are in flight. Whatever resume data survived must
 * claim only pieces that are really on disk, and the download must finish from there.
 */
class StorageCrashTest {

    private static final long SEED = 0x5eed_c0ffeeL;
    private static final long HANG_GUARD_SECONDS = 60;

    @TempDir
    Path tmp;

    @Test
    void resumeDataAfterKillDashNineClaimsOnlyPiecesThatAreOnDisk() throws Exception {
        Path source = tmp.resolve("source");
        Path download = tmp.resolve("download");
        Path resumeDir = tmp.resolve("resume");
        TorrentInfo info = StorageCrashChild.torrent(source, SEED);
        ResumeStore resume = new ResumeStore(resumeDir);

        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(StorageCrashChild.class.getName(),
                Long.toString(SEED), tmp.resolve("child-content").toString(), download.toString(), resumeDir.toString()))
                .redirectError(tmp.resolve("child.stderr").toFile());
        Process child = pb.start();
        Set<Integer> printed = new HashSet<>();
        int firstBatch = info.pieceCount() / 3;
        int secondBatch = info.pieceCount() / 3;
        try {
            BlockingQueue<String> lines = readLines(child);
            assertEquals("READY " + info.infoHash(), next(lines, child), "child built the same torrent");
            OutputStream permits = child.getOutputStream();
            permit(permits, firstBatch);
            awaitVerified(lines, child, printed, firstBatch);
            // Let at least one periodic save land, so the crash leaves resume data to judge.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
            while (claimed(resume, info).map(Bitfield::isEmpty).orElse(true)) {
                assertTrue(System.nanoTime() < deadline, "no resume data was saved");
                LockSupport.parkNanos(5_000_000); // poll politely
            }
            permit(permits, secondBatch);
            awaitVerified(lines, child, printed, firstBatch + 20); // kill while the second batch is being written
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, no final save
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        }
        assertTrue(printed.size() < info.pieceCount(), "killed mid-download");

        Bitfield claimed = claimed(resume, info).orElseThrow();
        assertTrue(claimed.count() >= 1 && claimed.count() <= firstBatch + secondBatch, claimed.toString());
        for (int p = claimed.nextSet(0); p >= 0; p = claimed.nextSet(p + 1)) {
            assertArrayEquals(TestTorrents.readPiece(info, source, p), TestTorrents.readPiece(info, download, p),
                    "resume data claims piece " + p + ", so its bytes must be on disk");
        }

        try (StorageExecutors executors = StorageExecutors.createDefault()) {
            TorrentStorage restarted = TorrentStorage.open(info, download, executors, resume);
            Bitfield truth = restarted.resumeOutcome().needsRecheck()
                    ? restarted.recheck(b -> { }).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS)
                    : restarted.verified().copy();
            for (int p = claimed.nextSet(0); p >= 0; p = claimed.nextSet(p + 1)) {
                assertTrue(truth.has(p), "claimed piece " + p + " fails its hash");
            }
            if (restarted.resumeOutcome().needsRecheck()) {
                for (int p : printed) {
                    assertTrue(truth.has(p), "piece " + p + " was verified before the kill and is on disk");
                }
            }
            // Finish the download: only the missing pieces are written.
            int written = 0;
            for (int p = truth.nextClear(0); p >= 0; p = truth.nextClear(p + 1)) {
                assertEquals(PieceResult.verified(), restarted.writePiece(p, TestTorrents.readPiece(info, source, p))
                        .get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
                written++;
            }
            assertEquals(info.pieceCount() - truth.count(), written);
            assertTrue(restarted.isComplete());
            restarted.close().get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        }
        TorrentStorageTest.assertSameFiles(info, source, download);
        assertTrue(Files.exists(info.files().get(1).resolveIn(download)), "the empty file exists once complete");
    }

    private static Optional<Bitfield> claimed(ResumeStore resume, TorrentInfo info) throws ResumeDataException {
        return resume.load(info.infoHash()).map(ResumeData::verified);
    }

    private static void permit(OutputStream permits, int pieces) throws IOException {
        permits.write((pieces + "\n").getBytes(StandardCharsets.UTF_8));
        permits.flush();
    }

    private static void awaitVerified(BlockingQueue<String> lines, Process child, Set<Integer> printed, int count)
            throws Exception {
        while (printed.size() < count) {
            String line = next(lines, child);
            assertTrue(line.startsWith("VERIFIED "), line);
            printed.add(Integer.parseInt(line.substring("VERIFIED ".length()).trim()));
        }
    }

    private static String next(BlockingQueue<String> lines, Process child) throws Exception {
        String line = lines.poll(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertNotNull(line, () -> "child went quiet; alive=" + child.isAlive());
        return line;
    }

    private static BlockingQueue<String> readLines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("IO " + e);
            }
        }, "crash-child-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
