package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session list's journal: every change is one appended line, nothing acknowledged is lost when the
 * process dies without closing, and the whole list is rewritten only after about as many changes as it
 * has entries.
 */
class SessionJournalTest {

    @TempDir
    Path dir;

    private Path sessionFile() {
        return dir.resolve("session.json");
    }

    private Path journalFile() {
        return SessionJournal.beside(sessionFile());
    }

    private static SessionEntry entry(int i, boolean paused) {
        String hash = String.format("%040x", i);
        return new SessionEntry(hash, "t" + i, "magnet:?xt=urn:btih:" + hash, false, "/data", List.of(List.of("http://127.0.0.1:9/a")),
                paused, false, 0L, 0L, List.of(), null);
    }

    private static List<String> hashes(List<SessionEntry> entries) {
        return entries.stream().map(SessionEntry::infoHash).toList();
    }

    @Test
    void changesWrittenButNeverClosedAreThereForTheNextOpen() throws Exception {
        SessionList first = SessionList.open(sessionFile());
        try {
            first.put(entry(1, false));
            first.put(entry(2, false));
            first.update(InfoHash.fromHex(entry(1, false).infoHash()), e -> e.withPaused(true));
            first.remove(InfoHash.fromHex(entry(2, false).infoHash()));
            first.put(entry(3, false));
            first.written().get(30, TimeUnit.SECONDS);

            // As after kill -9: the first list never closed, never wrote the whole file.
            assertFalse(Files.exists(sessionFile()), "nothing was rewritten whole for five changes");
            SessionList second = SessionList.open(sessionFile());
            try {
                assertEquals(List.of(entry(1, true), entry(3, false)), second.loaded().entries());
                assertTrue(second.loaded().problems().isEmpty(), second.loaded().problems().toString());
            } finally {
                second.close();
            }
        } finally {
            first.close();
        }
    }

    @Test
    void theJournalIsOwnerOnlyAndACleanCloseLeavesOnlyTheFile() throws Exception {
        SessionList list = SessionList.open(sessionFile());
        list.put(entry(1, false));
        list.written().get(30, TimeUnit.SECONDS);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journalFile())));
        list.close();

        assertFalse(Files.exists(journalFile()), "folded into the file at close");
        assertEquals(List.of(entry(1, false)), new SessionFile(sessionFile(), Clock.systemUTC()).load().entries());
    }

    @Test
    void theWholeListIsRewrittenOnlyAfterAboutAsManyChangesAsItHasEntries() throws Exception {
        int adds = SessionList.MIN_LINES_BEFORE_REWRITE + 50;
        SessionList list = SessionList.open(sessionFile());
        try {
            for (int i = 1; i <= adds; i++) {
                list.put(entry(i, false));
            }
            list.written().get(30, TimeUnit.SECONDS);

            List<SessionEntry> inFile = new SessionFile(sessionFile(), Clock.systemUTC()).load().entries();
            long journalLines = Files.readAllLines(journalFile()).size();
            assertTrue(inFile.size() >= SessionList.MIN_LINES_BEFORE_REWRITE,
                    "rewritten once the journal reached " + SessionList.MIN_LINES_BEFORE_REWRITE + " lines: " + inFile.size());
            assertTrue(journalLines < SessionList.MIN_LINES_BEFORE_REWRITE, "the journal was emptied then: " + journalLines);
            assertEquals(adds, inFile.size() + journalLines, "each add is in the file or in the journal, once");
        } finally {
            list.close();
        }
    }

    @Test
    void anAppendACrashCutShortIsDroppedAndTheLinesBeforeItKept() throws Exception {
        SessionList first = SessionList.open(sessionFile());
        first.put(entry(1, false));
        first.written().get(30, TimeUnit.SECONDS);
        byte[] line = SessionJournal.encode(new SessionJournal.Put(entry(2, false)));
        Files.write(journalFile(), java.util.Arrays.copyOf(line, line.length / 2), StandardOpenOption.APPEND);

        SessionList second = SessionList.open(sessionFile());
        try {
            assertEquals(List.of(entry(1, false)), second.loaded().entries());
            assertTrue(second.loaded().problems().isEmpty(), "a torn last append is no problem: " + second.loaded().problems());
        } finally {
            second.close();
            first.close();
        }
    }

    @Test
    void aLineThatIsNotAChangeIsSkippedWithAProblemAndTheOthersKept() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(new String(SessionJournal.encode(new SessionJournal.Put(entry(1, false))), StandardCharsets.UTF_8));
        lines.add("{\"remove\":\"not an info-hash\"}");
        lines.add("{\"put\":{\"infoHash\":\"XYZ\"}}");
        lines.add("[1,2,3]");
        lines.add(new String(SessionJournal.encode(new SessionJournal.Put(entry(2, true))), StandardCharsets.UTF_8));
        Files.write(journalFile(), lines, StandardCharsets.UTF_8);

        SessionList list = SessionList.open(sessionFile());
        try {
            assertEquals(List.of(entry(1, false), entry(2, true)), list.loaded().entries());
            assertEquals(3, list.loaded().problems().size(), list.loaded().problems().toString());
            assertTrue(list.loaded().problems().get(0).contains("line 2"), list.loaded().problems().toString());
        } finally {
            list.close();
        }
        // Folded into the file at open: the next start reads the same list, with no problem left.
        assertEquals(List.of(entry(1, false), entry(2, true)), new SessionFile(sessionFile(), Clock.systemUTC()).load().entries());
        assertFalse(Files.exists(journalFile()));
    }

    @Test
    void replayingTheJournalOverAFileThatAlreadyHoldsItChangesNothing() throws Exception {
        // A crash after the whole list was written but before the journal was emptied.
        List<SessionEntry> now = List.of(entry(1, true), entry(3, false));
        new SessionFile(sessionFile(), Clock.systemUTC()).save(now);
        SessionJournal journal = new SessionJournal(journalFile(), Clock.systemUTC());
        journal.append(List.of(new SessionJournal.Put(entry(1, false)), new SessionJournal.Put(entry(2, false)),
                new SessionJournal.Put(entry(3, false)), new SessionJournal.Remove(entry(2, false).infoHash()),
                new SessionJournal.Put(entry(1, true))));
        journal.close();

        SessionList list = SessionList.open(sessionFile());
        try {
            assertEquals(hashes(now), hashes(list.loaded().entries()));
            assertEquals(now, list.loaded().entries());
        } finally {
            list.close();
        }
    }
}
