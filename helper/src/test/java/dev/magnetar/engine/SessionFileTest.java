package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session list's file: round trip, and every way it can be unusable. */
class SessionFileTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private SessionFile file() {
        return new SessionFile(dir.resolve("session.json"), CLOCK);
    }

    private static SessionEntry entry(String hexByte, boolean paused) {
        return new SessionEntry(hexByte.repeat(20), "n" + hexByte, null, true, "/data/" + hexByte,
                List.of(List.of("http://127.0.0.1:9/a", "udp://127.0.0.1:9"), List.of("http://127.0.0.1:9/b")), paused, !paused,
                paused ? 0L : 50_000L, paused ? 0L : 20_000L, List.of("127.0.0.1:6881", "[::1]:6882"),
                paused ? new SeedingRecord(new SeedingGoal(1.5, null), 3_000_000L, 600L, "ratio 1.50 reached (limit 1.5)") : null);
    }

    @Test
    void whatIsSavedLoadsBackAndIsOwnerOnly() throws Exception {
        List<SessionEntry> entries = List.of(entry("aa", true), entry("bb", false),
                new SessionEntry("cc".repeat(20), null, "magnet:?xt=urn:btih:" + "cc".repeat(20), false, "/m", List.of(), false, false, 0L, 0L, List.of(), null));
        file().save(entries);
        SessionFile.Loaded loaded = file().load();
        assertEquals(entries, loaded.entries());
        assertTrue(loaded.problems().isEmpty());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("session.json"))));
        assertTrue(Files.readString(dir.resolve("session.json")).contains("\"version\" : 1"));
    }

    @Test
    void anEntryWrittenBeforeRateLimitsWereKeptLoadsWithNone() throws Exception {
        // Session 2's writer had no limit fields; its files must keep loading, not be set aside.
        Files.writeString(dir.resolve("session.json"), "{\"version\":1,\"torrents\":[{\"infoHash\":\""
                + "dd".repeat(20) + "\",\"name\":\"old\",\"magnet\":null,\"metadataKnown\":true,"
                + "\"downloadDir\":\"/d\",\"trackers\":[],\"paused\":false,\"sequential\":false}]}");
        SessionFile.Loaded loaded = file().load();
        assertTrue(loaded.problems().isEmpty(), loaded.problems().toString());
        SessionEntry e = loaded.entries().get(0);
        assertEquals(0L, e.downloadLimit());
        assertEquals(0L, e.uploadLimit());
        assertFalse(e.hasRateLimits());
        assertTrue(e.peers().isEmpty(), "nor peers added by hand");
    }

    @Test
    void noFileIsAnEmptySessionWithoutComplaint() {
        SessionFile.Loaded loaded = file().load();
        assertTrue(loaded.entries().isEmpty());
        assertTrue(loaded.problems().isEmpty());
        assertNull(loaded.setAsideTo());
    }

    @Test
    void invalidJsonIsSetAsideWithAMessageNamingBothFiles() throws Exception {
        Files.writeString(dir.resolve("session.json"), "{\"version\":1,\"torrents\":[");
        SessionFile.Loaded loaded = file().load();
        assertTrue(loaded.entries().isEmpty());
        assertEquals(dir.resolve("session.json.corrupt-1234"), loaded.setAsideTo());
        assertEquals("{\"version\":1,\"torrents\":[", Files.readString(loaded.setAsideTo()));
        assertFalse(Files.exists(dir.resolve("session.json")));
        String problem = loaded.problems().get(0);
        assertTrue(problem.contains("not valid JSON") && problem.contains("session.json.corrupt-1234")
                && problem.contains("add them again"), problem);
    }

    @Test
    void anotherVersionOrShapeIsSetAside() throws Exception {
        for (String content : List.of("{\"version\":2,\"torrents\":[]}", "{\"torrents\":[]}", "[1,2]", "{\"version\":1}", "")) {
            Files.writeString(dir.resolve("session.json"), content);
            SessionFile.Loaded loaded = file().load();
            assertTrue(loaded.entries().isEmpty(), content);
            assertEquals(1, loaded.problems().size(), content);
            assertEquals(content, Files.readString(loaded.setAsideTo()), content);
        }
    }

    @Test
    void badEntriesAreSkippedOneByOne() throws Exception {
        file().save(List.of(entry("aa", true), entry("bb", false)));
        String json = Files.readString(dir.resolve("session.json"));
        // Break the first entry (a null where a list belongs) and add one with a wrong info-hash.
        String broken = json.replaceFirst("\"trackers\" : \\[", "\"trackers\" : null, \"x\" : [")
                .replace("\"torrents\" : [", "\"torrents\" : [ {\"infoHash\":\"zz\",\"downloadDir\":\"/d\"}, 17,");
        Files.writeString(dir.resolve("session.json"), broken);
        SessionFile.Loaded loaded = file().load();
        assertEquals(List.of(entry("bb", false)), loaded.entries());
        assertEquals(3, loaded.problems().size(), loaded.problems().toString());
        assertNull(loaded.setAsideTo());
    }

    @Test
    void entriesCheckTheirFields() {
        assertThrows(IllegalArgumentException.class,
                () -> new SessionEntry("AB".repeat(20), null, null, true, "/d", List.of(), false, false, 0L, 0L, List.of(), null));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionEntry("ab".repeat(20), null, null, true, " ", List.of(), false, false, 0L, 0L, List.of(), null));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionEntry("ab".repeat(20), null, null, false, "/d", List.of(), false, false, 0L, 0L, List.of(), null));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionEntry("ab".repeat(20), null, null, true, "/d", List.of(), false, false, -1L, 0L, List.of(), null));
    }
}
