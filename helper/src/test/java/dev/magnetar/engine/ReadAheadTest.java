package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    private static final int MIB = 1 << 20;
    private static final IntPredicate NOTHING_VERIFIED = p -> false;

    @Test
    void theWindowFollowsTheReadRateBetweenItsFloorAndCeiling() {
        assertEquals(ReadAhead.MIN_WINDOW_BYTES, ReadAhead.windowBytes(0), "no rate yet");
        assertEquals(10L * MIB, ReadAhead.windowBytes(MIB), "10 s at 1 MiB/s (8 Mbit/s)");
        assertEquals(ReadAhead.MAX_WINDOW_BYTES, ReadAhead.windowBytes(1L << 40));
        assertEquals(ReadAhead.MAX_WINDOW_BYTES, ReadAhead.windowBytes(Long.MAX_VALUE), "no overflow");
    }

    @Test
    void thePieceAtTheReadPositionComesFirstThenTheFilesLastAndFirstMebibyteThenTheWindow() {
        // A 100 MiB file starting 3 MiB into the torrent, 1 MiB pieces: file byte b is in piece 3 + b / MiB.
        List<Integer> d = ReadAhead.deadlines(3L * MIB, 100L * MIB, MIB, List.of(80L * MIB + 5), 2L * MIB, NOTHING_VERIFIED);
        assertEquals(List.of(83, 102, 3, 84, 85), d);
    }

    @Test
    void aPlayerStartingAnMp4GetsItsMoovAtTheEndRightAfterTheFirstPieceNotAfterTheWholeWindow() {
        // Chromium reads an mp4's first bytes, finds the moov is at the end, reads it, and only then plays.
        List<Integer> d = ReadAhead.deadlines(0, 100L * MIB, MIB, List.of(0L), 4L * MIB, NOTHING_VERIFIED);
        assertEquals(List.of(0, 99, 1, 2, 3), d);
    }

    @Test
    void aFileNotOnPieceBoundariesTakesThePiecesItShares() {
        // 10 MiB file at 1.5 MiB, 1 MiB pieces: its last 64 KiB in piece 11, its first MiB in 1–2.
        List<Integer> d = ReadAhead.deadlines(3L * MIB / 2, 10L * MIB, MIB, List.of(), MIB, NOTHING_VERIFIED);
        assertEquals(List.of(11, 1, 2), d);
    }

    @Test
    void theMostUrgentReaderComesFirstAndNothingIsListedTwice() {
        List<Integer> d = ReadAhead.deadlines(0, 50L * MIB, MIB, List.of(40L * MIB, 0L), 2L * MIB, NOTHING_VERIFIED);
        assertEquals(List.of(40, 0, 49, 41, 1), d);
    }

    @Test
    void aWindowStopsAtTheEndOfTheFileAndAnEmptyFileHasNone() {
        assertEquals(List.of(9, 0), ReadAhead.deadlines(0, 10L * MIB, MIB, List.of(9L * MIB), 4L * MIB, NOTHING_VERIFIED));
        assertEquals(List.of(0, 1), ReadAhead.deadlines(0, 2L * MIB, MIB, List.of(0L), 4L * MIB, NOTHING_VERIFIED), "a file smaller than its window");
        assertEquals(List.of(), ReadAhead.deadlines(0, 0, MIB, List.of(0L), MIB, NOTHING_VERIFIED));
    }

    @Test
    void aReaderWhosePieceIsVerifiedHasItsNextMissingPieceFirstNotTheFilesEnds() {
        // The reader is still in piece 0, which is verified: it reads into piece 1 next. This order is right
        // for a file a player can start without its end (a Matroska file's cues are read only at a seek); an
        // MP4 whose movie box is at the end cannot start without it, and TorrentStreams, which has seen the
        // file's first bytes, then asks for that box alone (missingUpToTheEnd) before this order applies.
        List<Integer> d = ReadAhead.deadlines(0, 100L * MIB, MIB, List.of(MIB / 2L), 4L * MIB, Set.of(0)::contains);
        assertEquals(List.of(1, 99, 0, 2, 3, 4), d, "verified pieces are the caller's to drop");
        List<Integer> allThere = ReadAhead.deadlines(0, 100L * MIB, MIB, List.of(0L), 2L * MIB, Set.of(0, 1)::contains);
        assertEquals(List.of(99, 0, 1), allThere, "nothing missing in the window: the ends come first");
    }

    @Test
    void theFilesEndIsAFewSmallPiecesNotAMebibyteThatWouldHoldUpAPlayingReader() {
        // 5 MiB in 16 KiB pieces (320): a MiB at the end would be 64 pieces between the reader and its next one.
        List<Integer> d = ReadAhead.deadlines(0, 5L * MIB, 16 * 1024, List.of(0L), 4L * MIB, NOTHING_VERIFIED);
        assertEquals(List.of(0, 316, 317, 318, 319, 1), d.subList(0, 6));
    }

    @Test
    void theNextMissingPieceIsTheOneTheReaderWaitsForWithinItsWindow() {
        assertEquals(80, ReadAhead.nextMissing(0, 100L * MIB, MIB, 80L * MIB + 5, MIB, NOTHING_VERIFIED));
        assertEquals(81, ReadAhead.nextMissing(0, 100L * MIB, MIB, 80L * MIB + 5, 2L * MIB, Set.of(80)::contains));
        assertEquals(-1, ReadAhead.nextMissing(0, 100L * MIB, MIB, 80L * MIB + 5, 2L * MIB, Set.of(80, 81, 82)::contains));
        assertEquals(99, ReadAhead.nextMissing(0, 100L * MIB, MIB, 500L * MIB, 0, NOTHING_VERIFIED), "a position past the end reads the last piece");
        assertEquals(-1, ReadAhead.nextMissing(0, 0, MIB, 0, MIB, NOTHING_VERIFIED), "an empty file waits for nothing");
    }

    @Test
    void theBytesFromAnOffsetToTheFilesEndAreThePiecesStillMissingThere() {
        // A 100 MiB file at 3 MiB into the torrent: its bytes from 98.5 MiB on are in pieces 101 and 102.
        assertEquals(List.of(101, 102), ReadAhead.missingUpToTheEnd(3L * MIB, 100L * MIB, MIB, 98L * MIB + MIB / 2, NOTHING_VERIFIED));
        assertEquals(List.of(102), ReadAhead.missingUpToTheEnd(3L * MIB, 100L * MIB, MIB, 98L * MIB + MIB / 2, Set.of(101)::contains));
        assertEquals(List.of(), ReadAhead.missingUpToTheEnd(3L * MIB, 100L * MIB, MIB, 98L * MIB, Set.of(101, 102)::contains));
    }
}
