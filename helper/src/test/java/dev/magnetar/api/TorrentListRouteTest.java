package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/torrents} is served from a list kept between requests (the engine's list view and
 * the route's encoded body): what a client changed through the API is in the very next list, never a
 * kept copy from before the change.
 */
class TorrentListRouteTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aResumedTorrentIsNoLongerPausedInTheVeryNextList() throws Exception {
        try (EngineApiHarness h = new EngineApiHarness(dir)) {
            List<String> hashes = addPausedMagnets(h, 3);
            awaitAllPaused(h, hashes);
            list(h); // the list is now kept, and served again while nothing changes
            assertEquals(200, post(h, "/api/v1/torrents/" + hashes.get(1) + "/resume", "{}").statusCode());
            Map<String, String> states = states(list(h));
            assertNotEquals("PAUSED", states.get(hashes.get(1)), "the resumed torrent in the list after its resume returned");
            assertEquals("PAUSED", states.get(hashes.get(0)));
            assertEquals("PAUSED", states.get(hashes.get(2)));
        }
    }

    @Test
    void aRemovedTorrentIsGoneFromTheVeryNextList() throws Exception {
        try (EngineApiHarness h = new EngineApiHarness(dir)) {
            List<String> hashes = addPausedMagnets(h, 2);
            assertEquals(2, list(h).size());
            HttpResponse<String> removed = send(h, HttpRequest.newBuilder(uri(h, "/api/v1/torrents/" + hashes.get(0)))
                    .header("Content-Type", "application/json").method("DELETE", HttpRequest.BodyPublishers.ofString("{\"deleteData\":false}")));
            assertEquals(200, removed.statusCode(), removed.body());
            Map<String, String> states = states(list(h));
            assertFalse(states.containsKey(hashes.get(0)), "the removed torrent is still listed");
            assertTrue(states.containsKey(hashes.get(1)));
        }
    }

    @Test
    void theListHoldsEveryTorrentOnceSortedByName() throws Exception {
        try (EngineApiHarness h = new EngineApiHarness(dir)) {
            List<String> hashes = addPausedMagnets(h, 40);
            JsonNode rows = list(h);
            assertEquals(40, rows.size());
            List<String> names = new ArrayList<>();
            Map<String, String> states = states(rows);
            for (JsonNode row : rows) {
                names.add(row.path("name").asText());
            }
            assertEquals(40, states.size(), "an info-hash listed twice");
            assertTrue(states.keySet().containsAll(hashes));
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(null);
            assertEquals(sorted, names);
        }
    }

    /** Magnets nobody shares, added paused, named in no particular order; returns their info-hashes. */
    private static List<String> addPausedMagnets(EngineApiHarness h, int count) throws Exception {
        Random random = new Random(count);
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] hash = new byte[20];
            random.nextBytes(hash);
            String hex = HexFormat.of().formatHex(hash);
            HttpResponse<String> added = post(h, "/api/v1/torrents/magnet", "{\"uri\":\"magnet:?xt=urn:btih:" + hex + "&dn=t-"
                    + Integer.toHexString(random.nextInt()) + "\",\"paused\":true}");
            assertEquals(201, added.statusCode(), added.body());
            hashes.add(hex);
        }
        return hashes;
    }

    /** A paused add pauses on the torrent's own loop; waits until the list says so (a hang guard, not a timing). */
    private static void awaitAllPaused(EngineApiHarness h, List<String> hashes) throws Exception {
        long deadline = System.nanoTime() + dev.magnetar.engine.EngineFixtures.GUARD.toNanos();
        while (!states(list(h)).values().stream().allMatch("PAUSED"::equals) || states(list(h)).size() < hashes.size()) {
            assertTrue(System.nanoTime() < deadline, "the paused adds never showed as PAUSED: " + states(list(h)));
            Thread.sleep(20); // polling pace only
        }
    }

    private static Map<String, String> states(JsonNode rows) {
        Map<String, String> states = new HashMap<>();
        for (JsonNode row : rows) {
            states.put(row.path("infoHash").asText(), row.path("state").asText());
        }
        return states;
    }

    private static JsonNode list(EngineApiHarness h) throws Exception {
        HttpResponse<String> r = send(h, HttpRequest.newBuilder(uri(h, "/api/v1/torrents")).GET());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).path("torrents");
    }

    private static HttpResponse<String> post(EngineApiHarness h, String path, String json) throws Exception {
        return send(h, HttpRequest.newBuilder(uri(h, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> send(EngineApiHarness h, HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + h.token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(EngineApiHarness h, String path) {
        return URI.create("http://127.0.0.1:" + h.port() + path);
    }
}
