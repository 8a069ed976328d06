package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.EngineFixtures;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The player's capability URLs against the real engine seeding a complete torrent: what is served
 * (whole file, HEAD, every kind of range, If-Range) and each refusal (wrong capability, another file,
 * traversal, foreign Host and Origin, a range past the end, a removed torrent, expired and revoked
 * grants). Bytes are compared with the files the torrent was made from.
 */
class StreamApiTest {

    private static final int PIECE = 32 * 1024;
    private static final long MP4_SIZE = 1_300_017; // not a multiple of the piece length
    private static final long MKV_SIZE = 70_001;

    @TempDir
    Path root;

    private StreamHarness h;
    private TorrentInfo info;
    private String hash;
    private byte[] mp4;
    private byte[] mkv;
    private Path content;

    @BeforeEach
    void seedATorrent() throws Exception {
        content = root.resolve("content");
        info = TestTorrents.builder("movie", PIECE).file("clip one.mp4", MP4_SIZE).file("extras/notes.mkv", MKV_SIZE).file("extras/setup.sh", 1_000).build(content);
        hash = info.infoHash().hex();
        mp4 = Files.readAllBytes(info.files().get(0).resolveIn(content));
        mkv = Files.readAllBytes(info.files().get(1).resolveIn(content));
        Files.writeString(root.resolve("secret.txt"), "TOP-SECRET-OUTSIDE-THE-TORRENT");
        h = new StreamHarness(root.resolve("helper"), Duration.ofSeconds(5));
        Torrent t = h.engine.add(info, content, List.of(), AddOptions.defaults());
        t.completion().get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private JsonNode grant(int file) throws Exception {
        StreamHarness.Answer a = h.api("POST", "/api/v1/torrents/" + hash + "/files/" + file + "/stream", "{}");
        assertEquals(201, a.status(), a.text());
        return a.json();
    }

    private String path(JsonNode grant) {
        return StreamHarness.pathOf(grant.path("url").asText());
    }

    @Test
    void grantNamesTheFileAndItsUrlServesTheWholeFileWithoutTheToken() throws Exception {
        JsonNode g = grant(0);
        assertEquals(hash, g.path("infoHash").asText());
        assertEquals(0, g.path("fileIndex").asInt());
        assertEquals("clip one.mp4", g.path("fileName").asText());
        assertEquals(MP4_SIZE, g.path("size").asLong());
        assertEquals("video/mp4", g.path("contentType").asText());
        assertTrue(g.path("playable").asBoolean());
        assertTrue(g.path("url").asText().startsWith("http://127.0.0.1:" + h.port() + "/stream/"));
        assertTrue(g.path("url").asText().endsWith("/clip%20one.mp4"), g.path("url").asText());

        StreamHarness.Answer a = h.content("GET", path(g), "");
        assertEquals(200, a.status());
        assertArrayEquals(mp4, a.body());
        assertEquals("bytes", a.header("Accept-Ranges"));
        assertEquals("video/mp4", a.header("Content-Type"));
        assertEquals("no-store", a.header("Cache-Control"));
        assertEquals(Long.toString(MP4_SIZE), a.header("Content-Length"));
    }

    @Test
    void headAnswersTheHeadersOfAGetWithoutTheBody() throws Exception {
        JsonNode g = grant(0);
        StreamHarness.Answer a = h.content("HEAD", path(g), "");
        assertEquals(200, a.status());
        assertEquals(Long.toString(MP4_SIZE), a.header("Content-Length"));
        assertEquals("bytes", a.header("Accept-Ranges"));
        StreamHarness.Answer ranged = h.content("HEAD", path(g), "Range: bytes=10-19\r\n");
        assertEquals(206, ranged.status());
        assertEquals("bytes 10-19/" + MP4_SIZE, ranged.header("Content-Range"));
    }

    @Test
    void rangesAtTheStartInTheMiddleAtTheEndAndOpenEndedAre206WithTheirBytes() throws Exception {
        String p = path(grant(0));
        assertRange(p, "bytes=0-99", 0, 99);
        assertRange(p, "bytes=30000-200000", 30_000, 200_000); // across several pieces
        assertRange(p, "bytes=-500", MP4_SIZE - 500, MP4_SIZE - 1);
        assertRange(p, "bytes=" + (MP4_SIZE - 10) + "-", MP4_SIZE - 10, MP4_SIZE - 1);
        assertRange(p, "bytes=1000-99999999", 1000, MP4_SIZE - 1); // a last byte past the end is clipped
    }

    private void assertRange(String path, String range, long first, long last) throws Exception {
        StreamHarness.Answer a = h.content("GET", path, "Range: " + range + "\r\n");
        assertEquals(206, a.status(), range);
        assertEquals("bytes " + first + "-" + last + "/" + MP4_SIZE, a.header("Content-Range"), range);
        assertArrayEquals(Arrays.copyOfRange(mp4, (int) first, (int) last + 1), a.body(), range);
    }

    @Test
    void aRangePastTheEndIs416WithTheSize() throws Exception {
        String p = path(grant(0));
        for (String range : List.of("bytes=" + MP4_SIZE + "-", "bytes=" + (MP4_SIZE + 5) + "-" + (MP4_SIZE + 10), "bytes=-0")) {
            StreamHarness.Answer a = h.content("GET", p, "Range: " + range + "\r\n");
            assertEquals(416, a.status(), range);
            assertEquals("bytes */" + MP4_SIZE, a.header("Content-Range"), range);
            assertEquals("RANGE_NOT_SATISFIABLE", a.code());
        }
    }

    @Test
    void aMalformedOrMultipleRangeGetsTheWholeFile() throws Exception {
        String p = path(grant(0));
        for (String range : List.of("bytes=9-2", "items=0-5", "bytes=0-1,5-9")) {
            StreamHarness.Answer a = h.content("GET", p, "Range: " + range + "\r\n");
            assertEquals(200, a.status(), range);
            assertArrayEquals(mp4, a.body(), range);
        }
    }

    @Test
    void ifRangeWithTheETagGetsTheRangeAndWithAStaleOneTheWholeFile() throws Exception {
        String p = path(grant(0));
        String etag = h.content("HEAD", p, "").header("ETag");
        StreamHarness.Answer fresh = h.content("GET", p, "Range: bytes=5-9\r\nIf-Range: " + etag + "\r\n");
        assertEquals(206, fresh.status());
        assertArrayEquals(Arrays.copyOfRange(mp4, 5, 10), fresh.body());
        StreamHarness.Answer stale = h.content("GET", p, "Range: bytes=5-9\r\nIf-Range: \"something-else\"\r\n");
        assertEquals(200, stale.status());
        assertArrayEquals(mp4, stale.body());
        StreamHarness.Answer dated = h.content("GET", p, "Range: bytes=5-9\r\nIf-Range: Sat, 05 Dec 2026 10:00:00 GMT\r\n");
        assertEquals(200, dated.status(), "no Last-Modified is given out, so a date never matches");
    }

    @Test
    void aFileBrowsersCannotDecodeIsNotPlayableButStillServed() throws Exception {
        JsonNode g = grant(1);
        assertEquals("notes.mkv", g.path("fileName").asText());
        assertEquals("video/x-matroska", g.path("contentType").asText());
        assertFalse(g.path("playable").asBoolean());
        assertArrayEquals(mkv, h.content("GET", path(g), "").body());
    }

    @Test
    void aWrongOrAlteredCapabilityIs404LikeAnyUnknownOne() throws Exception {
        String p = path(grant(0));
        String capability = p.split("/")[2];
        char last = capability.charAt(capability.length() - 1);
        String altered = capability.substring(0, capability.length() - 1) + (last == 'A' ? 'B' : 'A');
        for (String wrong : List.of("/stream/" + altered + "/clip.mp4", "/stream/nope/clip.mp4", "/stream/", "/stream/" + capability.substring(1) + "/x")) {
            StreamHarness.Answer a = h.content("GET", wrong, "");
            assertEquals(404, a.status(), wrong);
            assertEquals("NOT_FOUND", a.code(), wrong);
        }
    }

    @Test
    void aCapabilityServesOnlyItsOwnFileWhateverTheNameSegmentSays() throws Exception {
        JsonNode forMp4 = grant(0);
        String capability = path(forMp4).split("/")[2];
        StreamHarness.Answer a = h.content("GET", "/stream/" + capability + "/notes.mkv", "");
        assertEquals(200, a.status());
        assertArrayEquals(mp4, a.body(), "the name segment is cosmetic: file 0's capability never reaches file 1");
        JsonNode forMkv = grant(1);
        assertNotEquals(forMp4.path("url").asText(), forMkv.path("url").asText());
        assertArrayEquals(mkv, h.content("GET", path(forMkv), "").body());
    }

    @Test
    void traversalAttemptsInThePathNeverServeAByteOutsideTheFile() throws Exception {
        String capability = path(grant(0)).split("/")[2];
        byte[] secret = "TOP-SECRET".getBytes(StandardCharsets.UTF_8);
        for (String attempt : List.of(
                "/stream/" + capability + "/../../../secret.txt",
                "/stream/" + capability + "/%2e%2e/%2e%2e/secret.txt",
                "/stream/" + capability + "/..%2f..%2f..%2fsecret.txt",
                "/stream/" + capability + "%2f..%2f..%2fsecret.txt",
                "/stream/..%2fapi%2fv1%2ftorrents",
                "/stream/%2e%2e/api/v1/torrents",
                "/stream/" + capability + "/%00secret.txt")) {
            StreamHarness.Answer a = h.raw("GET", attempt, "Host: " + h.host() + "\r\n", new byte[0]);
            assertFalse(contains(a.body(), secret), attempt + " leaked a file outside the torrent");
            assertFalse(a.text().contains(hash) && a.text().contains("\"torrents\""), attempt + " reached the API without the token");
            if (a.status() == 200) {
                assertArrayEquals(mp4, a.body(), attempt + ": only the granted file, if anything");
            } else {
                assertTrue(a.status() >= 400, attempt + " answered " + a.status());
            }
        }
    }

    @Test
    void aForeignHostOrAWebPageOriginIsRefusedBeforeTheCapabilityIsLookedAt() throws Exception {
        String p = path(grant(0));
        StreamHarness.Answer rebinding = h.raw("GET", p, "Host: attacker.example:" + h.port() + "\r\n", new byte[0]);
        assertEquals(403, rebinding.status());
        assertEquals("FORBIDDEN_HOST", rebinding.code());
        StreamHarness.Answer page = h.content("GET", p, "Origin: https://attacker.example\r\n");
        assertEquals(403, page.status());
        assertEquals("FORBIDDEN_ORIGIN", page.code());
        StreamHarness.Answer extension = h.content("GET", p, "Origin: " + ApiHarness.EXTENSION_ORIGIN + "\r\nRange: bytes=0-9\r\n");
        assertEquals(206, extension.status());
        assertEquals(ApiHarness.EXTENSION_ORIGIN, extension.header("Access-Control-Allow-Origin"));
    }

    @Test
    void theGrantRoutesStillNeedTheToken() throws Exception {
        StreamHarness.Answer a = h.raw("GET", "/api/v1/streams", "Host: " + h.host() + "\r\n", new byte[0]);
        assertEquals(401, a.status());
        StreamHarness.Answer post = h.raw("POST", "/api/v1/torrents/" + hash + "/files/0/stream",
                "Host: " + h.host() + "\r\nContent-Type: application/json\r\n", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, post.status());
    }

    @Test
    void onlyGetAndHeadReachAStream() throws Exception {
        String p = path(grant(0));
        StreamHarness.Answer a = h.raw("POST", p, "Host: " + h.host() + "\r\nContent-Type: application/json\r\n", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(405, a.status());
        assertEquals("GET, HEAD", a.header("Allow"));
    }

    @Test
    void removingTheTorrentRevokesItsGrants() throws Exception {
        JsonNode g = grant(0);
        assertEquals(200, h.api("DELETE", "/api/v1/torrents/" + hash, "{}").status());
        StreamHarness.Answer a = h.content("GET", path(g), "");
        assertEquals(404, a.status());
        assertEquals("NOT_FOUND", a.code());
        assertEquals(0, h.api("GET", "/api/v1/streams", null).json().path("streams").size());
        assertEquals("STREAM_NOT_FOUND", h.api("GET", "/api/v1/streams/" + g.path("id").asText(), null).code());
    }

    @Test
    void anExpiredGrantIs404AndAskingAgainInTimeRenewsIt() throws Exception {
        StreamHarness.Answer first = h.api("POST", "/api/v1/torrents/" + hash + "/files/0/stream", "{\"ttlSeconds\": 60}");
        assertEquals(201, first.status());
        h.clock.advance(Duration.ofSeconds(50));
        JsonNode renewed = h.api("POST", "/api/v1/torrents/" + hash + "/files/0/stream", "{\"ttlSeconds\": 60}").json();
        assertEquals(first.json().path("id").asText(), renewed.path("id").asText());
        assertEquals(first.json().path("url").asText(), renewed.path("url").asText());
        assertTrue(renewed.path("expiresAt").asText().compareTo(first.json().path("expiresAt").asText()) > 0);
        h.clock.advance(Duration.ofSeconds(30)); // past the first expiry, within the renewed one
        assertEquals(206, h.content("GET", path(renewed), "Range: bytes=0-0\r\n").status());
        h.clock.advance(Duration.ofSeconds(31));
        StreamHarness.Answer expired = h.content("GET", path(renewed), "Range: bytes=0-0\r\n");
        assertEquals(404, expired.status());
        assertEquals("NOT_FOUND", expired.code());
        assertEquals(0, h.api("GET", "/api/v1/streams", null).json().path("streams").size());
        JsonNode fresh = grant(0);
        assertNotEquals(renewed.path("url").asText(), fresh.path("url").asText(), "an expired capability never comes back");
    }

    @Test
    void aRevokedGrantIs404AndIsNoLongerListed() throws Exception {
        JsonNode g = grant(0);
        JsonNode listed = h.api("GET", "/api/v1/streams", null).json().path("streams");
        assertEquals(1, listed.size());
        assertEquals(g, listed.get(0));
        String id = g.path("id").asText();
        assertEquals(204, h.api("DELETE", "/api/v1/streams/" + id, "{}").status());
        assertEquals(404, h.content("GET", path(g), "").status());
        assertEquals("STREAM_NOT_FOUND", h.api("DELETE", "/api/v1/streams/" + id, "{}").code());
        assertEquals(0, h.api("GET", "/api/v1/streams", null).json().path("streams").size());
    }

    @Test
    void theStatusOfAStreamShowsWhatIsDownloadedAndBufferedAhead() throws Exception {
        JsonNode g = grant(0);
        assertEquals(206, h.content("GET", path(g), "Range: bytes=1000000-1000099\r\n").status());
        JsonNode s = h.api("GET", "/api/v1/streams/" + g.path("id").asText(), null).json();
        assertEquals(g, s.path("grant"));
        assertEquals(1, s.path("downloadedRanges").size());
        assertEquals(0, s.path("downloadedRanges").get(0).get(0).asLong());
        assertEquals(MP4_SIZE, s.path("downloadedRanges").get(0).get(1).asLong());
        assertEquals(MP4_SIZE - 1_000_000, s.path("bufferedAhead").asLong());
        assertEquals("SEEDING", s.path("state").asText());
    }

    @Test
    void unknownTorrentsFilesAndBadLifetimesAreRefused() throws Exception {
        String other = "ab".repeat(20);
        assertEquals("TORRENT_NOT_FOUND", h.api("POST", "/api/v1/torrents/" + other + "/files/0/stream", "{}").code());
        StreamHarness.Answer noFile = h.api("POST", "/api/v1/torrents/" + hash + "/files/3/stream", "{}");
        assertEquals(404, noFile.status());
        assertEquals("FILE_NOT_FOUND", noFile.code());
        for (String body : List.of("{\"ttlSeconds\": 0}", "{\"ttlSeconds\": 99999999}", "{\"ttlSeconds\": \"soon\"}", "{\"file\": 1}")) {
            StreamHarness.Answer a = h.raw("POST", "/api/v1/torrents/" + hash + "/files/0/stream", "Host: " + h.host()
                    + "\r\nAuthorization: Bearer " + h.token + "\r\nContent-Type: application/json\r\n", body.getBytes(StandardCharsets.UTF_8));
            assertEquals(400, a.status(), body);
            assertEquals("INVALID_REQUEST", a.code(), body);
        }
        assertEquals(0, h.api("GET", "/api/v1/streams", null).json().path("streams").size(), "a refused request grants nothing");
    }

    @Test
    void aMagnetWithoutMetadataHasNothingToStreamOrOpenYet() throws Exception {
        String pending = "cd".repeat(20);
        h.engine.addMagnet("magnet:?xt=urn:btih:" + pending, new AddOptions(root.resolve("dl").toString(), false, false, false));
        StreamHarness.Answer stream = h.api("POST", "/api/v1/torrents/" + pending + "/files/0/stream", "{}");
        assertEquals(409, stream.status());
        assertEquals("METADATA_PENDING", stream.code());
        StreamHarness.Answer open = h.api("POST", "/api/v1/torrents/" + pending + "/files/0/open", "{}");
        assertEquals(409, open.status());
        assertEquals("NOTHING_TO_OPEN", open.code());
        assertTrue(h.opened.isEmpty());
    }

    @Test
    void openingACompleteFileHandsItsPathToTheDesktop() throws Exception {
        StreamHarness.Answer a = h.api("POST", "/api/v1/torrents/" + hash + "/files/1/open", "{}");
        assertEquals(202, a.status());
        assertEquals("FILE", a.json().path("opened").asText());
        String expected = info.files().get(1).resolveIn(content).toAbsolutePath().toString();
        assertEquals(expected, a.json().path("target").asText());
        assertEquals(List.of(expected), h.opened);
    }

    @Test
    void aFileThatIsNotAudioOrVideoIsNeverHandedToTheDesktop() throws Exception {
        StreamHarness.Answer a = h.api("POST", "/api/v1/torrents/" + hash + "/files/2/open", "{}");
        assertEquals(422, a.status());
        assertEquals("NOT_A_MEDIA_FILE", a.code());
        assertTrue(a.json().path("message").asText().contains("setup.sh"), a.json().toString());
        assertTrue(h.opened.isEmpty());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
