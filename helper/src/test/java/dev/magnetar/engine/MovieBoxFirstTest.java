package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MP4 written media data first (ffmpeg without {@code +faststart}) keeps its movie box at the end, and a
 * player shows nothing before it has read the file's start and then all of that box (Chromium asks in that
 * order), and then the media data from where it left off. So the box's pieces come right behind the first
 * piece — never ahead of it — as soon as the first block shows where the box is, and while the player reads
 * the box, or has read it and not asked for more yet, the pieces where it read the media data come next.
 * Nothing downloads here (there are no peers): the deadlines are read after each step.
 */
class MovieBoxFirstTest {

    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 40L * PIECE - 1234;
    /** Larger than a piece, so it spans the last two. */
    private static final long MOOV = 300 * 1024;
    private static final int LAST = (int) ((SIZE - 1) / PIECE);
    private static final long MOOV_AT = SIZE - MOOV;

    @TempDir
    Path root;

    @Test
    void onceTheFirstBytesShowTheMovieBoxItComesBeforeTheReadersNextPiece() throws Exception {
        try (Started s = start(mp4MediaDataFirst(), Stored.FIRST_PIECE); FileStream stream = s.open()) {
            stream.read(0, 64 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            List<Integer> deadlines = s.deadlines();
            assertEquals(List.of(LAST - 1, LAST, 1), deadlines.subList(0, 3), "the movie box, then the piece the reader reads into: " + deadlines);
        }
    }

    @Test
    void aMovieBoxAlreadyHereLeavesTheReaderToReadOnFromItsNextPiece() throws Exception {
        try (Started s = start(mp4MediaDataFirst(), Stored.FIRST_PIECE_AND_MOVIE_BOX); FileStream stream = s.open()) {
            stream.read(0, 64 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            List<Integer> deadlines = s.deadlines();
            assertEquals(1, deadlines.get(0), "the piece the reader reads into next: " + deadlines);
        }
    }

    @Test
    void theFirstBlockPutsTheMovieBoxRightBehindTheFirstPieceNotAheadOfIt() throws Exception {
        byte[] film = mp4MediaDataFirst();
        try (Started s = start(film, Stored.NOTHING)) {
            s.engine.fileStreaming().orElseThrow().prepareStream(s.hash, 0); // Play: the file's edges first
            assertEquals(List.of(0, LAST, 1, 2, 3), s.deadlines(), "before any block: the file's edges");
            s.blockArrives(film);
            assertEquals(List.of(0, LAST - 1, LAST, 1, 2, 3), s.deadlines(), "the first piece, which the player reads first, then the box");
        }
    }

    @Test
    void aReaderWaitingForTheFirstPieceKeepsItAheadOfTheMovieBox() throws Exception {
        byte[] film = mp4MediaDataFirst();
        try (Started s = start(film, Stored.NOTHING); FileStream stream = s.open()) {
            CompletableFuture<ByteBuffer> waiting = stream.read(0, 64 * 1024);
            s.blockArrives(film);
            List<Integer> deadlines = s.deadlines();
            assertEquals(List.of(0, LAST - 1, LAST), deadlines.subList(0, 3), "what the reader waits for, then the box: " + deadlines);
            assertFalse(waiting.isDone(), "no peers: the first piece is still missing");
        }
    }

    @Test
    void whileAndAfterThePlayerReadsTheMovieBoxTheMediaDataWhereItLeftOffComesNext() throws Exception {
        try (Started s = start(mp4MediaDataFirst(), Stored.FIRST_PIECE_AND_MOVIE_BOX)) {
            try (FileStream start = s.open()) {
                start.read(0, 128 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            }
            try (FileStream box = s.open()) {
                box.read(MOOV_AT - 100, 64 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
                List<Integer> reading = s.deadlines();
                assertEquals(1, reading.isEmpty() ? -1 : reading.get(0), "the player returns to the media data next: " + reading);
            }
            List<Integer> between = s.deadlines();
            assertEquals(1, between.isEmpty() ? -1 : between.get(0), "and nothing else takes the seeder before it asks: " + between);
        }
    }

    @Test
    void aReadOfTheMovieBoxThatBeginsInThePieceBeforeItHasThatPieceFirst() throws Exception {
        long boxAt = (long) (LAST - 1) * PIECE + 10 * 1024; // the box begins 10 KiB into its first piece
        try (Started s = start(mp4MediaDataFirst(boxAt), Stored.FIRST_PIECE); FileStream start = s.open(); FileStream box = s.open()) {
            start.read(0, 64 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            // Chromium aligns the read: here it begins 20 KiB before the box, in the piece before the box's.
            CompletableFuture<ByteBuffer> waiting = box.read(boxAt - 20 * 1024, 64 * 1024);
            List<Integer> deadlines = s.deadlines();
            assertEquals(List.of(LAST - 2, LAST - 1, LAST), deadlines.subList(0, 3), "the piece the read waits for, then the box: " + deadlines);
            assertFalse(waiting.isDone(), "no peers: still missing");
        }
    }

    @Test
    void theVerifiedFirstBytesOverruleAFirstBlockThatLied() throws Exception {
        byte[] film = new byte[(int) SIZE];
        new SplittableRandom(7).nextBytes(film); // not an MP4 at all, and piece 0 is on disk
        try (Started s = start(film, Stored.FIRST_PIECE); FileStream stream = s.open()) {
            s.blockArrives(mp4MediaDataFirst());
            assertTrue(s.deadlines().contains(LAST - 1), "a peer's unverified first block claimed a movie box at the end: " + s.deadlines());
            stream.read(0, 64 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            List<Integer> deadlines = s.deadlines();
            assertEquals(1, deadlines.get(0), "the verified bytes have none: the reader's next piece leads again: " + deadlines);
            assertFalse(deadlines.contains(LAST - 1), "and the claimed box is not time-critical: " + deadlines);
        }
    }

    private enum Stored { NOTHING, FIRST_PIECE, FIRST_PIECE_AND_MOVIE_BOX }

    /** An engine with the torrent of {@code film} added and checked, with what {@code stored} says on disk. */
    private Started start(byte[] film, Stored stored) throws Exception {
        Metainfo metainfo = EngineFixtures.singleFileTorrent(root, "film.mp4", film, PIECE);
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        if (stored != Stored.NOTHING) {
            try (FileChannel partial = FileChannel.open(downloads.resolve("film.mp4"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                partial.write(ByteBuffer.wrap(film, 0, PIECE), 0);
                if (stored == Stored.FIRST_PIECE_AND_MOVIE_BOX) {
                    long from = MOOV_AT / PIECE * PIECE;
                    partial.write(ByteBuffer.wrap(film, (int) from, (int) (SIZE - from)), from);
                }
            }
        }
        Engine engine = Engine.start(loopback(root, "ours"));
        try {
            Torrent t = EngineFixtures.addAndAwaitDownloading(engine, metainfo, downloads);
            return new Started(engine, t, metainfo.info().infoHash().hex());
        } catch (Exception | AssertionError e) {
            engine.close();
            throw e;
        }
    }

    private record Started(Engine engine, Torrent t, String hash) implements AutoCloseable {
        FileStream open() throws Exception {
            return engine.fileStreaming().orElseThrow().openStream(hash, 0);
        }

        /** The first block of piece 0 arrives from a peer (16 KiB of {@code film}), not verified yet. */
        void blockArrives(byte[] film) throws Exception {
            t.loop().submit(() -> t.streams().blockArrived(0, 0, ByteBuffer.wrap(film, 0, 16 * 1024)))
                    .get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
        }

        /** The picker's time-critical pieces, read on the loop after every read and close queued before. */
        List<Integer> deadlines() throws Exception {
            return EngineFixtures.timeCriticalPieces(t);
        }

        @Override
        public void close() {
            engine.close();
        }
    }

    private static byte[] mp4MediaDataFirst() {
        return mp4MediaDataFirst(MOOV_AT);
    }

    /** ftyp, then an mdat of random bytes up to the movie box at {@code moovAt}, then the moov: what ffmpeg writes by default. */
    private static byte[] mp4MediaDataFirst(long moovAt) {
        byte[] film = new byte[(int) SIZE];
        new SplittableRandom(21).nextBytes(film);
        ByteBuffer b = ByteBuffer.wrap(film);
        b.putInt(24).put(ascii("ftyp")).put(ascii("isom")).putInt(0x200).put(ascii("isom")).put(ascii("mp41"));
        b.putInt((int) (moovAt - 24)).put(ascii("mdat"));
        b.position((int) moovAt);
        b.putInt((int) (SIZE - moovAt)).put(ascii("moov"));
        return film;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
