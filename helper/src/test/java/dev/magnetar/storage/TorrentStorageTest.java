package dev.magnetar.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentStorageTest {

    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;

    private Path source;
    private Path download;
    private ResumeStore resume;
    private StorageExecutors executors;
    private TorrentInfo info;

    @BeforeEach
    void setUp() {
        source = tmp.resolve("source");
        download = tmp.resolve("download");
        resume = new ResumeStore(tmp.resolve("resume"));
        executors = StorageExecutors.createDefault();
        // 5 files, one empty, pieces spanning files, odd final piece (total 159,158 bytes = 9 full + 1 of 11,702).
        info = TestTorrents.multiFile(source, "album", PIECE, 40_000, 0, 70_001, 5, 49_152);
    }

    @AfterEach
    void tearDown() {
        executors.close();
    }

    @Test
    void piecesWrittenInRandomOrderReproduceTheSourceFiles() throws Exception {
        TorrentStorage storage = open();
        assertEquals(TorrentStorage.ResumeOutcome.NOTHING_ON_DISK, storage.resumeOutcome());
        List<Integer> order = shuffledPieces(new Random(7));
        for (int p : order) {
            assertEquals(PieceResult.verified(), write(storage, p), "piece " + p);
        }
        assertTrue(storage.isComplete());
        assertEquals(info.totalLength(), storage.bytesVerified());
        storage.close().get(30, TimeUnit.SECONDS);
        assertSameFiles(info, source, download);
    }

    @Test
    void openingStorageWarmsUpHashingOncePerExecutors() throws Exception {
        TorrentStorage first = open();
        assertFalse(executors.warmUpHashing(VerifiedBy.SHA1), "opening the storage already started the warm-up");
        assertEquals(PieceResult.verified(), write(first, 0), "pieces verify while or after it runs");
        first.close().get(30, TimeUnit.SECONDS);
        open().close().get(30, TimeUnit.SECONDS);
        assertFalse(executors.warmUpHashing(VerifiedBy.SHA1));
    }

    @Test
    void aV1TorrentWarmsUpSha1OnlyAndAV2OnlyTorrentSha256Only() throws Exception {
        open().close().get(30, TimeUnit.SECONDS); // v1
        assertFalse(executors.warmUpHashing(VerifiedBy.SHA1));
        assertTrue(executors.warmUpHashing(VerifiedBy.MERKLE), "a v1 download never pays for SHA-256");
        try (StorageExecutors fresh = StorageExecutors.createDefault()) {
            TorrentStorage.open(madeTorrent(MetaVersion.V2), tmp.resolve("v2"), fresh, resume).close().get(30, TimeUnit.SECONDS);
            assertFalse(fresh.warmUpHashing(VerifiedBy.MERKLE), "BEP 52 pieces are checked by SHA-256: warmed up");
            assertTrue(fresh.warmUpHashing(VerifiedBy.SHA1), "a v2-only torrent has no SHA-1 piece hashes");
        }
    }

    @Test
    void aHybridTorrentWarmsUpBothDigests() throws Exception {
        try (StorageExecutors fresh = StorageExecutors.createDefault()) {
            TorrentStorage.open(madeTorrent(MetaVersion.HYBRID), tmp.resolve("hybrid"), fresh, resume)
                    .close().get(30, TimeUnit.SECONDS);
            assertFalse(fresh.warmUpHashing(VerifiedBy.SHA1));
            assertFalse(fresh.warmUpHashing(VerifiedBy.MERKLE));
            assertFalse(fresh.warmUpHashing(VerifiedBy.SHA1_AND_MERKLE));
        }
    }

    @Test
    void storageWithEveryPieceVerifiedStartsNoWarmUp() throws Exception {
        TorrentStorage first = open();
        for (int p = 0; p < info.pieceCount(); p++) {
            assertEquals(PieceResult.verified(), write(first, p));
        }
        first.close().get(30, TimeUnit.SECONDS);
        try (StorageExecutors fresh = StorageExecutors.createDefault()) {
            TorrentStorage seeding = TorrentStorage.open(info, download, fresh, resume);
            assertEquals(TorrentStorage.ResumeOutcome.RESUMED, seeding.resumeOutcome());
            assertTrue(seeding.isComplete());
            assertTrue(fresh.warmUpHashing(VerifiedBy.SHA1), "a complete torrent has nothing to hash: opening it started nothing");
            seeding.close().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void warmUpStartsOnceAndNeverOnClosedExecutors() {
        try (StorageExecutors fresh = StorageExecutors.createDefault()) {
            assertTrue(fresh.warmUpHashing(VerifiedBy.SHA1_AND_MERKLE));
            assertFalse(fresh.warmUpHashing(VerifiedBy.SHA1_AND_MERKLE));
            assertFalse(fresh.warmUpHashing(VerifiedBy.MERKLE));
        }
        StorageExecutors closed = StorageExecutors.createDefault();
        closed.close();
        assertFalse(closed.warmUpHashing(VerifiedBy.SHA1), "a closed pool takes no work and throws nothing");
    }

    @Test
    void padFilesAreHashedButNeverStored() throws Exception {
        TorrentInfo padded = TestTorrents.builder("padded", PIECE)
                .file("a.bin", 1000).padToPieceBoundary()
                .file("sub/b.bin", 20_000).padToPieceBoundary()
                .file("c.bin", 7)
                .build(source);
        TorrentStorage storage = TorrentStorage.open(padded, download, executors, resume);
        for (int p = padded.pieceCount() - 1; p >= 0; p--) {
            assertEquals(PieceResult.verified(), storage.writePiece(p, TestTorrents.readPiece(padded, source, p)).get(30, TimeUnit.SECONDS));
        }
        byte[] firstPiece = storage.readBlock(0, 0, PIECE).get(30, TimeUnit.SECONDS);
        assertArrayEquals(TestTorrents.readPiece(padded, source, 0), firstPiece);
        assertTrue(Arrays.equals(new byte[PIECE - 1000], Arrays.copyOfRange(firstPiece, 1000, PIECE)), "pad reads as zeros");
        storage.close().get(30, TimeUnit.SECONDS);
        assertSameFiles(padded, source, download);
        assertFalse(Files.exists(download.resolve("padded").resolve(".pad")), "pad files never touch the disk");
    }

    @Test
    void corruptPieceFailsItsHashAndChangesNothingOnDisk() throws Exception {
        TorrentStorage storage = open();
        assertEquals(PieceResult.verified(), write(storage, 0));
        assertEquals(PieceResult.verified(), write(storage, 3));
        Map<String, byte[]> before = snapshot(download);

        for (int p : new int[] {2, 4, info.pieceCount() - 1}) {
            byte[] bad = piece(p);
            bad[bad.length / 2] ^= 1;
            assertEquals(PieceResult.hashFailed(), storage.writePiece(p, bad).get(30, TimeUnit.SECONDS));
            assertFalse(storage.verified().has(p));
        }
        assertSnapshotsEqual(before, snapshot(download));
        assertEquals(2, storage.verified().count());
        assertEquals(2L * PIECE, storage.bytesVerified());
        // and the honest copy is accepted afterwards
        assertEquals(PieceResult.verified(), write(storage, 4));
    }

    @Test
    void wrongSizedPieceIsRefusedWithATypedError() {
        TorrentStorage storage = open();
        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.writePiece(0, new byte[PIECE - 1])).reason());
        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.writePiece(-1, new byte[PIECE])).reason());
        assertEquals(StorageException.Reason.INVALID_RANGE,
                failure(storage.writePiece(info.pieceCount(), new byte[PIECE])).reason());
        assertFalse(Files.exists(download), "nothing was created");
    }

    @Test
    void alreadyVerifiedPieceIsIgnored() throws Exception {
        TorrentStorage storage = open();
        assertEquals(PieceResult.verified(), write(storage, 1));
        Map<String, byte[]> before = snapshot(download);
        assertEquals(PieceResult.verified(), storage.writePiece(1, new byte[PIECE]).get(30, TimeUnit.SECONDS));
        assertEquals(PIECE, storage.bytesVerified());
        assertSnapshotsEqual(before, snapshot(download));
    }

    @Test
    void readBlockServesOnlyVerifiedPiecesAndValidRanges() throws Exception {
        TorrentStorage storage = open();
        int last = info.pieceCount() - 1;
        assertEquals(StorageException.Reason.PIECE_NOT_VERIFIED, failure(storage.readBlock(2, 0, 16)).reason());
        assertEquals(PieceResult.verified(), write(storage, 2));
        assertEquals(PieceResult.verified(), write(storage, last));

        byte[] expected = piece(2);
        assertArrayEquals(Arrays.copyOfRange(expected, 5000, 5000 + 9000), storage.readBlock(2, 5000, 9000).get(30, TimeUnit.SECONDS));
        byte[] lastPiece = piece(last);
        assertArrayEquals(lastPiece, storage.readBlock(last, 0, lastPiece.length).get(30, TimeUnit.SECONDS));

        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.readBlock(last, 1, lastPiece.length)).reason());
        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.readBlock(2, PIECE - 10, 11)).reason());
        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.readBlock(2, -1, 10)).reason());
        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.readBlock(2, 0, 0)).reason());
        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.readBlock(2, Integer.MAX_VALUE, 10)).reason());
        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.readBlock(-1, 0, 10)).reason());
        assertEquals(StorageException.Reason.INVALID_RANGE, failure(storage.readBlock(info.pieceCount(), 0, 10)).reason());
    }

    @Test
    void readIntoFillsADirectBufferAcrossFileBoundariesLikeReadBlock() throws Exception {
        TorrentStorage storage = open();
        for (int p = 0; p < info.pieceCount(); p++) {
            assertEquals(PieceResult.verified(), write(storage, p), "piece " + p);
        }
        // Piece 2 (bytes 32,768..49,151) spans the end of file 0 (40,000 bytes) and the empty file 1.
        ByteBuffer direct = ByteBuffer.allocateDirect(PIECE + 7);
        direct.position(7); // the caller's buffer may start anywhere; only its remaining bytes are filled
        storage.readInto(2, 0, direct).get(30, TimeUnit.SECONDS);
        assertEquals(direct.limit(), direct.position(), "the position moves past what was read");
        byte[] read = new byte[PIECE];
        direct.position(7);
        direct.get(read);
        assertArrayEquals(piece(2), read);

        ByteBuffer middle = ByteBuffer.allocateDirect(9000);
        storage.readInto(3, 5000, middle).get(30, TimeUnit.SECONDS);
        assertArrayEquals(storage.readBlock(3, 5000, 9000).get(30, TimeUnit.SECONDS), bytes(middle.flip()));
        assertEquals(StorageException.Reason.INVALID_RANGE,
                failure(storage.readInto(3, PIECE - 10, ByteBuffer.allocateDirect(11))).reason());
    }

    @Test
    void readIntoRefusesPiecesNotVerified() throws Exception {
        TorrentStorage storage = open();
        ByteBuffer dst = ByteBuffer.allocateDirect(16);
        assertEquals(StorageException.Reason.PIECE_NOT_VERIFIED, failure(storage.readInto(2, 0, dst)).reason());
        assertEquals(0, dst.position(), "nothing read");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void blocksAboveTheLimitAreRefused() throws Exception {
        TorrentInfo big = TestTorrents.singleFile(source, "big.bin", 256 * 1024, 300_000);
        TorrentStorage storage = TorrentStorage.open(big, download, executors, resume);
        assertEquals(PieceResult.verified(), storage.writePiece(0, TestTorrents.readPiece(big, source, 0)).get(30, TimeUnit.SECONDS));
        assertEquals(TorrentStorage.MAX_BLOCK_LENGTH, storage.readBlock(0, 0, TorrentStorage.MAX_BLOCK_LENGTH).get(30, TimeUnit.SECONDS).length);
        assertEquals(StorageException.Reason.INVALID_RANGE,
                failure(storage.readBlock(0, 0, TorrentStorage.MAX_BLOCK_LENGTH + 1)).reason());
    }

    @Test
    void aNewDownloadWithNothingOnDiskNeedsNoRecheck() throws Exception {
        TorrentStorage fresh = open();
        assertEquals(TorrentStorage.ResumeOutcome.NOTHING_ON_DISK, fresh.resumeOutcome());
        assertFalse(fresh.resumeOutcome().needsRecheck(), "hashing would only find every piece missing");
        assertTrue(fresh.verified().isEmpty());
    }

    @Test
    void aFileAlreadyThereWithoutResumeDataIsStillRechecked() throws Exception {
        Path file0 = info.files().get(0).resolveIn(download);
        Files.createDirectories(file0.getParent());
        Files.write(file0, new byte[] {1}); // the user's own copy, or a download whose resume data was lost
        TorrentStorage found = open();
        assertEquals(TorrentStorage.ResumeOutcome.NO_RESUME_DATA, found.resumeOutcome());
        assertTrue(found.resumeOutcome().needsRecheck());
    }

    @Test
    void resumeRestoresTheBitfieldWithoutRecheck() throws Exception {
        TorrentStorage first = open();
        List<Integer> half = shuffledPieces(new Random(3)).subList(0, info.pieceCount() / 2);
        for (int p : half) {
            write(first, p);
        }
        first.setFilePriority(2, 0);
        Bitfield written = first.verified().copy();
        first.close().get(30, TimeUnit.SECONDS);

        TorrentStorage second = open();
        assertEquals(TorrentStorage.ResumeOutcome.RESUMED, second.resumeOutcome());
        assertFalse(second.resumeOutcome().needsRecheck());
        assertEquals(written, second.verified());
        assertEquals(first.bytesVerified(), second.bytesVerified());
        assertEquals(0, second.rechecksStarted());
        assertEquals(0, second.filePriority(2));
        int p = half.get(0);
        assertArrayEquals(piece(p), second.readBlock(p, 0, info.pieceSize(p)).get(30, TimeUnit.SECONDS));
        // finishing the download from there gives the right bytes
        for (int q = 0; q < info.pieceCount(); q++) {
            assertEquals(PieceResult.verified(), write(second, q));
        }
        second.close().get(30, TimeUnit.SECONDS);
        assertSameFiles(info, source, download);
    }

    @Test
    void changedModificationTimeDiscardsResumeDataAndRecheckFindsTheTruth() throws Exception {
        for (int p = 0; p < info.pieceCount(); p++) {
            if (p % 2 == 0) {
                write(openOnce(), p);
            }
        }
        closeOnce();
        // Damage piece 2 behind the storage's back and change the file's mtime, as any editor would.
        Path file0 = info.files().get(0).resolveIn(download);
        byte[] content = Files.readAllBytes(file0);
        content[2 * PIECE + 100] ^= 0x55;
        Files.write(file0, content);
        Files.setLastModifiedTime(file0, FileTime.fromMillis(Files.getLastModifiedTime(file0).toMillis() - 60_000));

        TorrentStorage reopened = open();
        assertEquals(TorrentStorage.ResumeOutcome.STALE_RESUME_DATA, reopened.resumeOutcome());
        assertTrue(reopened.verified().isEmpty(), "stale claims are not trusted");
        AtomicLong progress = new AtomicLong();
        Bitfield truth = reopened.recheck(progress::set).get(30, TimeUnit.SECONDS);
        assertEquals(1, reopened.rechecksStarted());
        assertEquals(info.totalLength(), progress.get());
        for (int p = 0; p < info.pieceCount(); p++) {
            assertEquals(p % 2 == 0 && p != 2, truth.has(p), "piece " + p);
        }
        assertEquals(truth, reopened.verified());
    }

    /** A file shorter than the torrent says no longer holds what was verified: missing, not merely changed. */
    @Test
    void aTruncatedFileIsReportedMissing() throws Exception {
        TorrentStorage first = open();
        int lastPiece = info.pieceCount() - 1;
        write(first, lastPiece);
        first.close().get(30, TimeUnit.SECONDS);
        Path lastFile = info.files().get(4).resolveIn(download);
        try (var ch = java.nio.channels.FileChannel.open(lastFile, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        Files.setLastModifiedTime(lastFile, resumeMtime(4)); // same mtime: the size alone must be noticed

        TorrentStorage reopened = open();
        assertEquals(TorrentStorage.ResumeOutcome.FILES_MISSING, reopened.resumeOutcome());
        assertEquals(1, reopened.missingOnOpen().size(), reopened.missingOnOpen().toString());
        assertTrue(reopened.missingOnOpen().get(0).contains("100 of " + info.files().get(4).length() + " bytes"),
                reopened.missingOnOpen().toString());
        assertTrue(reopened.verified().isEmpty(), "missing data is not trusted");
        assertTrue(reopened.recheck(b -> { }).get(30, TimeUnit.SECONDS).isEmpty(), "the short file holds no complete piece");
    }

    @Test
    void corruptResumeFileMeansRecheckNotCrash() throws Exception {
        TorrentStorage first = open();
        write(first, 0);
        write(first, 5);
        first.close().get(30, TimeUnit.SECONDS);
        Path file = resume.fileFor(info.infoHash());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2)); // torn

        TorrentStorage reopened = open();
        assertEquals(TorrentStorage.ResumeOutcome.CORRUPT_RESUME_DATA, reopened.resumeOutcome());
        assertTrue(reopened.verified().isEmpty());
        Bitfield truth = reopened.recheck(b -> { }).get(30, TimeUnit.SECONDS);
        assertEquals(2, truth.count());
        assertTrue(truth.has(0) && truth.has(5));
    }

    @Test
    void resumeOfAnotherTorrentIsRejected() throws Exception {
        TorrentStorage first = open();
        write(first, 0);
        first.close().get(30, TimeUnit.SECONDS);
        TorrentInfo other = TestTorrents.multiFile(tmp.resolve("other"), "album", PIECE, 40_000);
        Files.copy(resume.fileFor(info.infoHash()), resume.fileFor(other.infoHash()));
        assertThrows(ResumeDataException.class, () -> resume.load(other.infoHash()));
        assertEquals(TorrentStorage.ResumeOutcome.CORRUPT_RESUME_DATA,
                TorrentStorage.open(other, download, executors, resume).resumeOutcome());
    }

    @Test
    void recheckOfExistingDataSeedsIt() throws Exception {
        Files.delete(info.files().get(2).resolveIn(source)); // pieces touching the 70,001-byte file are missing
        TorrentStorage seeding = TorrentStorage.open(info, source, executors, resume);
        Bitfield found = seeding.recheck(b -> { }).get(30, TimeUnit.SECONDS);
        PieceRange missing = seeding.layout().piecesOf(2);
        for (int p = 0; p < info.pieceCount(); p++) {
            assertEquals(!missing.contains(p), found.has(p), "piece " + p);
        }
        assertFalse(Files.exists(info.files().get(2).resolveIn(source)), "a recheck creates nothing");
        int p = found.nextSet(0);
        assertArrayEquals(Arrays.copyOf(TestTorrents.readPiece(info, source, p), 100),
                seeding.readBlock(p, 0, 100).get(30, TimeUnit.SECONDS));
    }

    @Test
    void periodicResumeSaveClaimsVerifiedPiecesBeforeClose() throws Exception {
        TorrentStorage storage = TorrentStorage.open(info, download, executors, resume, Duration.ofMillis(50));
        write(storage, 1);
        write(storage, 6);
        ResumeData saved = pollResume(d -> d.verified().count() == 2);
        assertTrue(saved.verified().has(1) && saved.verified().has(6));
        assertArrayEquals(info.infoBytes(), saved.infoBytes(), "a magnet can resume without fetching metadata again");
        assertEquals(download.toAbsolutePath().normalize().toString(), saved.downloadDir());
    }

    @Test
    void aPeriodicSaveClaimsWrittenPiecesWithoutSyncingThemAndNamesTheBoot() throws Exception {
        assumeTrue(BootSession.current().isPresent(), "the OS names its boot");
        TorrentStorage storage = TorrentStorage.open(info, download, executors, resume, Duration.ofMillis(50), Duration.ofHours(1));
        write(storage, 1);
        write(storage, 6);
        ResumeData saved = pollResume(d -> d.verified().count() == 2);
        assertEquals(saved.verified(), saved.unsynced(), "no fsync stalled the download for these");
        assertEquals(0, storage.dataSyncs());
        assertEquals(BootSession.current().orElseThrow(), saved.bootId());
        storage.close().get(30, TimeUnit.SECONDS);
        ResumeData closed = resume.load(info.infoHash()).orElseThrow();
        assertEquals(2, closed.verified().count());
        assertTrue(closed.unsynced().isEmpty(), "closing syncs: " + closed.unsynced());
    }

    @Test
    void piecesLeftUnsyncedAreSyncedOneDurableIntervalLaterWithoutAnotherPiece() throws Exception {
        assumeTrue(BootSession.current().isPresent(), "the OS names its boot");
        TorrentStorage storage = TorrentStorage.open(info, download, executors, resume, Duration.ofMillis(20), Duration.ofMillis(300));
        write(storage, 3); // the last piece to arrive: nothing else will ask for a save
        ResumeData synced = pollResume(d -> d.verified().has(3) && d.unsynced().isEmpty());
        assertEquals(1, synced.verified().count());
        assertTrue(storage.dataSyncs() >= 1, "the follow-up save synced the data");
        storage.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void piecesSavedUnsyncedAreTrustedInTheBootThatWroteThemOnly() throws Exception {
        assumeTrue(BootSession.current().isPresent(), "the OS names its boot");
        TorrentStorage first = open();
        write(first, 1);
        first.close().get(30, TimeUnit.SECONDS); // piece 1: synced
        TorrentStorage second = TorrentStorage.open(info, download, executors, resume, Duration.ofMillis(50), Duration.ofHours(1));
        write(second, 6);
        ResumeData killed = pollResume(d -> d.verified().count() == 2);
        second.discard().get(30, TimeUnit.SECONDS); // as a kill leaves it: no save on close
        assertTrue(killed.unsynced().has(6) && !killed.unsynced().has(1), killed.unsynced().toString());

        TorrentStorage sameBoot = open();
        assertEquals(TorrentStorage.ResumeOutcome.RESUMED, sameBoot.resumeOutcome());
        assertTrue(sameBoot.verified().has(1) && sameBoot.verified().has(6), "the page cache still holds piece 6");
        sameBoot.discard().get(30, TimeUnit.SECONDS);

        resume.save(ResumeDataCodecTest.withUnsynced(killed, 6, "a boot before a power cut"));
        TorrentStorage afterPowerCut = open();
        assertEquals(TorrentStorage.ResumeOutcome.RESUMED, afterPowerCut.resumeOutcome());
        assertTrue(afterPowerCut.verified().has(1), "synced before the cut");
        assertFalse(afterPowerCut.verified().has(6), "maybe lost in the cut: downloaded again, never served unchecked");
        afterPowerCut.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void unwantedFilesLeaveTheirPiecesUnwanted() {
        TorrentStorage storage = open();
        assertEquals(Bitfield.full(info.pieceCount()), storage.wantedPieces());
        storage.setFilePriority(2, 0); // 70,001 bytes at offset 40,000: pieces 2..6
        Bitfield wanted = storage.wantedPieces();
        for (int p = 0; p < info.pieceCount(); p++) {
            // pieces 2 and 6 are shared with wanted neighbours (files 0 and 3/4)
            assertEquals(p < 3 || p > 5, wanted.has(p), "piece " + p);
        }
        assertThrows(IllegalArgumentException.class, () -> storage.setFilePriority(2, 8));
        assertThrows(IllegalArgumentException.class, () -> storage.setFilePriority(5, 1));
    }

    @Test
    void pathOutsideTheDownloadDirectoryIsRefused() {
        TorrentFile escaping = new TorrentFile(List.of("album", "..", "..", "evil.bin"), 10, 0, false);
        TorrentInfo hostile = new TorrentInfo("album", PIECE, new byte[20], List.of(escaping), info.infoHash(), info.infoBytes(), false);
        StorageException e = assertThrows(StorageException.class, () -> TorrentStorage.open(hostile, download, executors, resume));
        assertEquals(StorageException.Reason.PATH_OUTSIDE_DOWNLOAD_DIR, e.reason());
        assertFalse(Files.exists(tmp.resolve("evil.bin")));
    }

    @Test
    void unwritableDownloadDirectoryGivesIoErrorWithNextStep() throws Exception {
        Files.writeString(tmp.resolve("not-a-dir"), "x");
        TorrentStorage storage = TorrentStorage.open(info, tmp.resolve("not-a-dir"), executors, resume);
        PieceResult r = write(storage, 0);
        assertEquals(PieceResult.Status.IO_ERROR, r.status());
        assertNotNull(r.error().nextStep());
        assertTrue(r.message().contains("not-a-dir"), r.message());
        assertFalse(storage.verified().has(0));
    }

    @Test
    void closedStorageRefusesWork() throws Exception {
        TorrentStorage storage = open();
        write(storage, 0);
        storage.close().get(30, TimeUnit.SECONDS);
        assertEquals(StorageException.Reason.CLOSED, failure(storage.writePiece(1, piece(1))).reason());
        assertEquals(StorageException.Reason.CLOSED, failure(storage.readBlock(0, 0, 10)).reason());
        assertEquals(StorageException.Reason.CLOSED, failure(storage.recheck(b -> { })).reason());
        assertEquals(storage.close(), storage.close(), "close is idempotent");
    }

    @Test
    void closeWaitsForWritesAlreadyHandedOver() throws Exception {
        TorrentStorage storage = open();
        List<CompletableFuture<PieceResult>> writes = new ArrayList<>();
        for (int p = 0; p < info.pieceCount(); p++) {
            writes.add(storage.writePiece(p, piece(p)));
        }
        storage.close().get(30, TimeUnit.SECONDS);
        for (CompletableFuture<PieceResult> w : writes) {
            assertTrue(w.isDone());
            assertEquals(PieceResult.verified(), w.get());
        }
        assertEquals(info.pieceCount(), resume.load(info.infoHash()).orElseThrow().verified().count(),
                "the save on close claims every piece written before it");
    }

    /** A stat per file says whether verified data is still there: gone or short. */
    @Test
    void missingFilesNamesVerifiedDataThatIsGoneOrShort() throws Exception {
        TorrentStorage storage = open();
        for (int p = 0; p < info.pieceCount(); p++) {
            write(storage, p);
        }
        assertEquals(List.of(), storage.missingFiles());
        Files.delete(info.files().get(0).resolveIn(download));
        try (var ch = java.nio.channels.FileChannel.open(info.files().get(2).resolveIn(download), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(10);
        }
        assertEquals(List.of(info.files().get(0).displayPath() + ": missing",
                info.files().get(2).displayPath() + ": 10 of 70001 bytes"), storage.missingFiles());
        storage.discard().get(30, TimeUnit.SECONDS);
    }

    /** Data found missing is closed without a save: the resume data from before still names the files as they were. */
    @Test
    void discardKeepsTheResumeDataSavedBefore() throws Exception {
        TorrentStorage storage = open();
        write(storage, 0);
        storage.close().get(30, TimeUnit.SECONDS);
        ResumeData before = resume.load(info.infoHash()).orElseThrow();
        TorrentStorage again = open();
        assertEquals(TorrentStorage.ResumeOutcome.RESUMED, again.resumeOutcome());
        write(again, 1);
        again.discard().get(30, TimeUnit.SECONDS);
        assertEquals(before.verified(), resume.load(info.infoHash()).orElseThrow().verified(), "nothing saved by discard");
    }

    // ---------------------------------------------------------------- helpers

    private TorrentStorage once;

    private TorrentStorage openOnce() {
        if (once == null) {
            once = open();
        }
        return once;
    }

    private void closeOnce() throws Exception {
        once.close().get(30, TimeUnit.SECONDS);
        once = null;
    }

    /** A torrent of {@code version} made by our creator from the fixture's files. */
    private TorrentInfo madeTorrent(MetaVersion version) throws Exception {
        TorrentCreator.Options options = TorrentCreator.Options.defaults("test").withVersion(version);
        return MetainfoParser.parse(TorrentCreator.create(source, options, b -> { })).info();
    }

    private TorrentStorage open() {
        try {
            return TorrentStorage.open(info, download, executors, resume);
        } catch (StorageException e) {
            throw new AssertionError(e);
        }
    }

    private byte[] piece(int p) {
        return TestTorrents.readPiece(info, source, p);
    }

    private PieceResult write(TorrentStorage storage, int p) throws Exception {
        return storage.writePiece(p, piece(p)).get(30, TimeUnit.SECONDS);
    }

    private List<Integer> shuffledPieces(Random random) {
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < info.pieceCount(); p++) {
            order.add(p);
        }
        Collections.shuffle(order, random);
        return order;
    }

    private FileTime resumeMtime(int fileIndex) throws Exception {
        return FileTime.fromMillis(resume.load(info.infoHash()).orElseThrow().files().get(fileIndex).mtimeMillis());
    }

    private ResumeData pollResume(java.util.function.Predicate<ResumeData> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // hang guard only
        while (System.nanoTime() < deadline) {
            var d = resume.load(info.infoHash());
            if (d.isPresent() && done.test(d.get())) {
                return d.get();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // poll politely
        }
        throw new AssertionError("resume data never reached the expected state");
    }

    static StorageException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(StorageException.class, e.getCause());
    }

    static void assertSameFiles(TorrentInfo info, Path expectedDir, Path actualDir) throws IOException {
        for (TorrentFile f : info.dataFiles()) {
            Path expected = f.resolveIn(expectedDir);
            Path actual = f.resolveIn(actualDir);
            assertTrue(Files.exists(actual), "missing " + actual);
            assertEquals(-1L, Files.mismatch(expected, actual), "content of " + f.displayPath());
        }
    }

    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertSnapshotsEqual(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "same files");
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k), actual.get(k), k);
        }
    }
}
