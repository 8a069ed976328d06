package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.daemon.LibtorrentSeeder;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.EngineFixtures;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming while downloading from a real libtorrent seeder on 127.0.0.1, capped in rate so the
 * download takes a while: a read of bytes not downloaded yet waits for them and returns the right
 * bytes, and a read at 80 % of the file is served before the pieces between the start and there —
 * the pieces a reader needs are fetched first (deadline picking), even in sequential mode, which
 * alone would fetch them last.
 */
class StreamFromSeederTest {

    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 24L * 1024 * 1024 + 4321;
    /** About 12 s for the whole file: a read at 80 % that waited for everything before it would see no gap. */
    private static final long SEEDER_RATE = 2L * 1024 * 1024;

    @TempDir
    Path root;

    private StreamHarness h;
    private LibtorrentSeeder seeder;

    @AfterEach
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        if (seeder != null) {
            seeder.close();
        }
    }

    @Test
    void aReadAtEightyPercentWaitsForItsPieceAndIsServedBeforeThePiecesBetween() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "film.mp4", PIECE, SIZE);
        byte[] film = Files.readAllBytes(content.resolve("film.mp4"));
        seeder = LibtorrentSeeder.start(TorrentFiles.write(info, root.resolve("film.torrent")), content, SEEDER_RATE);
        h = new StreamHarness(root.resolve("helper"), EngineFixtures.GUARD);
        Path downloads = root.resolve("downloads");
        Files.createDirectories(downloads);
        // Sequential: without time-critical pieces the read at 80 % would come after every piece before it.
        Torrent torrent = h.engine.add(info, downloads, List.of(), new AddOptions(downloads.toString(), false, true, false));
        String hash = info.infoHash().hex();

        JsonNode grant = h.api("POST", "/api/v1/torrents/" + hash + "/files/0/stream", "{}").json();
        String path = StreamHarness.pathOf(grant.path("url").asText());
        torrent.addPeer(new InetSocketAddress("127.0.0.1", seeder.port()));

        long at = SIZE * 8 / 10;
        StreamHarness.Answer read = h.content("GET", path, "Range: bytes=" + at + "-" + (at + 99_999) + "\r\n");
        JsonNode status = h.api("GET", "/api/v1/streams/" + grant.path("id").asText(), null).json();

        assertEquals(206, read.status(), read.text());
        assertArrayEquals(Arrays.copyOfRange(film, (int) at, (int) at + 100_000), read.body());
        JsonNode ranges = status.path("downloadedRanges");
        long middleStart = 2L << 20;
        long verifiedBetween = 0;
        for (JsonNode r : ranges) {
            verifiedBetween += Math.max(0, Math.min(at, r.get(1).asLong()) - Math.max(middleStart, r.get(0).asLong()));
        }
        assertTrue(verifiedBetween < (at - middleStart) / 4,
                "most bytes between 2 MiB and 80 % were downloaded before the read at 80 % returned: " + ranges);
        assertTrue(status.path("bufferedAhead").asLong() >= 100_000, status.toString());

        // The rest keeps coming, and the file is whole and right at the end.
        torrent.completion().get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
        StreamHarness.Answer whole = h.content("GET", path, "");
        assertEquals(200, whole.status());
        assertArrayEquals(film, whole.body());
    }

    @Test
    void openingAFileStillDownloadingHandsItsStreamUrlToTheDesktop() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "song.flac", 64 * 1024, 3L * 1024 * 1024);
        seeder = LibtorrentSeeder.start(TorrentFiles.write(info, root.resolve("song.torrent")), content, 256 * 1024);
        h = new StreamHarness(root.resolve("helper"), Duration.ofSeconds(5));
        Path downloads = root.resolve("downloads");
        Files.createDirectories(downloads);
        h.engine.add(info, downloads, List.of(), AddOptions.defaults());
        String hash = info.infoHash().hex();

        StreamHarness.Answer a = h.api("POST", "/api/v1/torrents/" + hash + "/files/0/open", "{}");
        assertEquals(202, a.status(), a.text());
        assertEquals("STREAM", a.json().path("opened").asText());
        JsonNode listed = h.api("GET", "/api/v1/streams", null).json().path("streams");
        assertEquals(1, listed.size());
        assertEquals(listed.get(0).path("url").asText(), a.json().path("target").asText());
        assertEquals(List.of(listed.get(0).path("url").asText()), h.opened);
        assertTrue(listed.get(0).path("playable").asBoolean());
        assertEquals("audio/flac", listed.get(0).path("contentType").asText());
    }

    @Test
    void aPieceThatDoesNotComeInTimeIs503WithRetryAfter() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "clip.webm", 64 * 1024, 1024 * 1024);
        h = new StreamHarness(root.resolve("helper"), Duration.ofMillis(300));
        Path downloads = root.resolve("downloads");
        Files.createDirectories(downloads);
        h.engine.add(info, downloads, List.of(), AddOptions.defaults()); // no peer: nothing will come
        String hash = info.infoHash().hex();
        JsonNode grant = h.api("POST", "/api/v1/torrents/" + hash + "/files/0/stream", "{}").json();

        StreamHarness.Answer a = h.content("GET", StreamHarness.pathOf(grant.path("url").asText()), "Range: bytes=0-99\r\n");
        assertEquals(503, a.status());
        assertEquals("PIECE_NOT_READY", a.code());
        assertEquals("2", a.header("Retry-After"));
        assertTrue(a.json().path("message").asText().contains("not been downloaded yet"), a.text());
    }
    /**
     * A player that jumps opens a new range request while its old one still waits for a piece at the old
     * position; the new one is answered at once from what is verified, and the old one is not cut short:
     * it goes on with the right bytes once the piece comes. (Chromium sends its seek's request only when its
     * old read returns, so a server that held the second request behind the first would add to every seek.)
     */
    @Test
    void aSecondRangeOfTheSameGrantIsAnsweredWhileTheFirstWaitsForAMissingPiece() throws Exception {
        int piece = 64 * 1024;
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "clip.webm", piece, 1024 * 1024);
        byte[] clip = Files.readAllBytes(content.resolve("clip.webm"));
        Path downloads = root.resolve("downloads");
        Files.createDirectories(downloads);
        // The first half already on disk and zeros after it: the pieces of the second half are missing.
        byte[] half = Arrays.copyOf(clip, clip.length);
        Arrays.fill(half, clip.length / 2, clip.length, (byte) 0);
        Files.write(downloads.resolve("clip.webm"), half);
        h = new StreamHarness(root.resolve("helper"), EngineFixtures.GUARD);
        Torrent torrent = h.engine.add(info, downloads, List.of(), AddOptions.defaults()); // no peer yet
        String hash = info.infoHash().hex();
        String path = StreamHarness.pathOf(h.api("POST", "/api/v1/torrents/" + hash + "/files/0/stream", "{}").json().path("url").asText());

        try (StreamHarness.Pending first = h.send("GET", path, "Range: bytes=" + (clip.length / 2 - 1000) + "-\r\n")) {
            // Its first bytes are out, then it waits at the first missing piece: no peer has it.
            byte[] begun = first.readAtLeast(1000);
            assertTrue(new String(begun, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 206"));

            StreamHarness.Answer second = h.content("GET", path, "Range: bytes=" + piece + "-" + (3 * piece - 1) + "\r\n");
            assertEquals(206, second.status(), second.text());
            assertArrayEquals(Arrays.copyOfRange(clip, piece, 3 * piece), second.body());
            assertTrue(first.stillOpen(Duration.ofMillis(200)), "the first request ended before its missing piece came");

            seeder = LibtorrentSeeder.start(TorrentFiles.write(info, root.resolve("clip.torrent")), content, 0);
            torrent.addPeer(new InetSocketAddress("127.0.0.1", seeder.port()));
            StreamHarness.Answer rest = first.answer();
            assertEquals(206, rest.status(), rest.text());
            assertArrayEquals(Arrays.copyOfRange(clip, clip.length / 2 - 1000, clip.length), rest.body());
        }
    }

    /**
     * A player that asks before the torrent's storage is open — the torrent waits for the user's choice of
     * files, or is still checking what is on disk, as after every restart — waits for the check, not for a
     * peer: the pieces the check finds on disk answer it. (A read that waited for "piece verified" alone
     * never heard of pieces a check verified and timed out although the bytes were on disk; it failed once
     * in CI, a read reaching the helper while the file's check ran.)
     */
    @Test
    void aReadWaitingBeforeTheCheckIsAnsweredFromThePiecesTheCheckFindsOnDisk() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "clip.webm", 64 * 1024, 1024 * 1024);
        byte[] clip = Files.readAllBytes(content.resolve("clip.webm"));
        Path downloads = root.resolve("downloads");
        Files.createDirectories(downloads);
        Files.write(downloads.resolve("clip.webm"), clip); // all on disk; no peer will ever come
        h = new StreamHarness(root.resolve("helper"), EngineFixtures.GUARD);
        Torrent torrent = h.engine.add(info, downloads, List.of(), new AddOptions(downloads.toString(), false, false, true));
        String hash = info.infoHash().hex();
        String path = StreamHarness.pathOf(h.api("POST", "/api/v1/torrents/" + hash + "/files/0/stream", "{}").json().path("url").asText());

        try (StreamHarness.Pending read = h.send("GET", path, "Range: bytes=70000-79999\r\n")) {
            assertTrue(read.stillOpen(Duration.ofMillis(200)), "answered before the torrent had storage to read from");
            torrent.startWithChoice(downloads, java.util.Map.of()).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            StreamHarness.Answer a = read.answer();
            assertEquals(206, a.status(), a.text());
            assertArrayEquals(Arrays.copyOfRange(clip, 70_000, 80_000), a.body());
        }
    }

    /**
     * A player waiting for a piece holds no API thread: more streams wait than the API has threads, and an
     * ordinary call still answers at once; when the piece comes, every waiting stream gets its bytes. (A
     * thread per waiting read would leave the call queued behind reads that only the seeder, added after
     * the call, can end.)
     */
    @Test
    void moreWaitingStreamsThanApiThreadsLeaveTheApiAnswering() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "clip.webm", 64 * 1024, 1024 * 1024);
        byte[] clip = Files.readAllBytes(content.resolve("clip.webm"));
        h = new StreamHarness(root.resolve("helper"), EngineFixtures.GUARD, new SlowClientGuard.Limits(Duration.ofSeconds(10), 1_000));
        Path downloads = root.resolve("downloads");
        Files.createDirectories(downloads);
        Torrent torrent = h.engine.add(info, downloads, List.of(), AddOptions.defaults()); // no peer yet
        String hash = info.infoHash().hex();
        String path = StreamHarness.pathOf(h.api("POST", "/api/v1/torrents/" + hash + "/files/0/stream", "{}").json().path("url").asText());

        int waiting = 2 * ApiServer.THREADS;
        List<StreamHarness.Pending> streams = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < waiting; i++) {
                streams.add(h.send("GET", path, "Range: bytes=" + (i * 1000) + "-" + (i * 1000 + 999) + "\r\n"));
            }
            StreamHarness.Answer health = h.api("GET", "/api/v1/health", null);
            assertEquals(200, health.status(), health.text());

            seeder = LibtorrentSeeder.start(TorrentFiles.write(info, root.resolve("clip.torrent")), content, 0);
            torrent.addPeer(new InetSocketAddress("127.0.0.1", seeder.port()));
            for (int i = 0; i < waiting; i++) {
                StreamHarness.Answer a = streams.get(i).answer();
                assertEquals(206, a.status(), a.text());
                assertArrayEquals(Arrays.copyOfRange(clip, i * 1000, i * 1000 + 1000), a.body());
            }
        } finally {
            for (StreamHarness.Pending p : streams) {
                p.close();
            }
        }
    }
}
