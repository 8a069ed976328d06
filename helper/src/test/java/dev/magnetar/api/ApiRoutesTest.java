package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every route against a real server, the engine replaced by its in-memory double. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRoutesTest {

    static final String HASH = "0123456789abcdef0123456789abcdef01234567";
    static final String MAGNET = "{\"uri\":\"magnet:?xt=urn:btih:" + HASH.toUpperCase() + "&dn=test\"}";

    ApiHarness api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        api = new ApiHarness(dir, 64);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void healthAndVersion() throws Exception {
        assertEquals("ok", api.get("/api/v1/health").json().path("status").asText());
        assertEquals("off", api.get("/api/v1/health").json().path("chain").asText(), "no chain behind this harness");
        JsonNode v = api.get("/api/v1/version").json();
        assertEquals("test", v.path("version").asText());
        assertEquals(1, v.path("protocolVersion").asInt());
    }

    @Test
    void torrentLifecycle() throws Exception {
        ApiHarness.Answer added = api.post("/api/v1/torrents/magnet", MAGNET);
        assertEquals(201, added.status());
        assertEquals(HASH, added.json().path("infoHash").asText());
        assertEquals(1, api.get("/api/v1/torrents").json().path("torrents").size());

        JsonNode detail = api.get("/api/v1/torrents/" + HASH).json();
        assertEquals(1, detail.path("files").size());
        assertEquals("working", detail.path("trackers").get(0).path("status").asText());

        assertEquals("PAUSED", api.post("/api/v1/torrents/" + HASH + "/pause", "{}").json().path("state").asText());
        assertEquals("DOWNLOADING", api.post("/api/v1/torrents/" + HASH + "/resume", "").json().path("state").asText());
        assertEquals("CHECKING", api.post("/api/v1/torrents/" + HASH + "/recheck", "{}").json().path("state").asText());
        api.post("/api/v1/torrents/" + HASH + "/pause", "{}");
        assertEquals("INVALID_TRANSITION", api.post("/api/v1/torrents/" + HASH + "/recheck", "{}").code());
        api.post("/api/v1/torrents/" + HASH + "/resume", "{}");
        assertEquals("TORRENT_NOT_FOUND", api.post("/api/v1/torrents/" + "ab".repeat(20) + "/recheck", "{}").code());
        assertEquals(200, api.post("/api/v1/torrents/" + HASH + "/sequential", "{\"sequential\":true}").status());
        JsonNode prio = api.post("/api/v1/torrents/" + HASH + "/files/0/priority", "{\"priority\":7}").json();
        assertEquals(7, prio.path("files").get(0).path("priority").asInt());
        ApiHarness.Answer badPrio = api.postInvalid("/api/v1/torrents/" + HASH + "/files/0/priority", "{\"priority\":8}");
        assertEquals("INVALID_REQUEST", badPrio.code());
        assertEquals("INVALID_TORRENT", api.post("/api/v1/torrents/" + HASH + "/files/3/priority", "{\"priority\":1}").code());

        ApiHarness.Answer removed = api.delete("/api/v1/torrents/" + HASH, "{\"deleteData\":true}");
        assertTrue(removed.json().path("dataDeleted").asBoolean());
        assertEquals(0, api.get("/api/v1/torrents").json().path("torrents").size());
        assertEquals("TORRENT_NOT_FOUND", api.get("/api/v1/torrents/" + HASH).code());
        assertEquals("TORRENT_NOT_FOUND", api.delete("/api/v1/torrents/" + HASH, "").code());
        assertEquals("INVALID_REQUEST", api.get("/api/v1/torrents/not-a-hash").code());
    }

    /** Both limits are stated every time; the detail shows them; nonsense is refused before the engine sees it. */
    @Test
    void aTorrentsOwnRateLimitsAreSetAndShownInItsDetail() throws Exception {
        api.post("/api/v1/torrents/magnet", MAGNET);
        String limits = "/api/v1/torrents/" + HASH + "/limits";
        assertEquals(0, api.get("/api/v1/torrents/" + HASH).json().path("limits").path("downloadBytesPerSecond").asLong(-1));

        JsonNode set = api.post(limits, "{\"downloadBytesPerSecond\":300000,\"uploadBytesPerSecond\":70000}").json();

        assertEquals(300_000, set.path("limits").path("downloadBytesPerSecond").asLong());
        assertEquals(70_000, api.get("/api/v1/torrents/" + HASH).json().path("limits").path("uploadBytesPerSecond").asLong());
        assertEquals("INVALID_REQUEST", api.postInvalid(limits, "{\"downloadBytesPerSecond\":-1,\"uploadBytesPerSecond\":0}").code());
        assertEquals("INVALID_REQUEST", api.postInvalid(limits, "{\"downloadBytesPerSecond\":1000}").code());
        assertEquals("INVALID_REQUEST", api.postInvalid(limits, "{\"downloadBytesPerSecond\":0,\"uploadBytesPerSecond\":9223372036854775807}")
                .code(), "beyond what a limiter takes: refused, not a 500");
        assertEquals(300_000, api.get("/api/v1/torrents/" + HASH).json().path("limits").path("downloadBytesPerSecond").asLong(),
                "a refused request changes nothing");
        assertEquals("TORRENT_NOT_FOUND", api.post("/api/v1/torrents/" + "f".repeat(40) + "/limits",
                "{\"downloadBytesPerSecond\":0,\"uploadBytesPerSecond\":0}").code());
    }

    /** A torrent's own goal, or the settings' one; limits out of range are refused and change nothing. */
    @Test
    void aTorrentsSeedingGoalIsSetShownAndCheckedBeforeTheEngineSeesIt() throws Exception {
        api.post("/api/v1/torrents/magnet", MAGNET);
        String goal = "/api/v1/torrents/" + HASH + "/seeding-goal";
        JsonNode before = api.get("/api/v1/torrents/" + HASH).json().path("seeding");
        assertTrue(before.path("ownGoal").isNull(), "a new torrent follows the settings' goal");

        JsonNode set = api.post(goal, "{\"ratioLimit\":1.5,\"seedingTimeLimitMinutes\":90}").json();

        assertEquals(1.5, set.path("seeding").path("ownGoal").path("ratioLimit").asDouble());
        assertEquals(90, api.get("/api/v1/torrents/" + HASH).json().path("seeding").path("ownGoal").path("seedingTimeLimitMinutes").asLong());
        assertEquals("INVALID_REQUEST", api.postInvalid(goal, "{\"ratioLimit\":0}").code());
        assertEquals("INVALID_REQUEST", api.postInvalid(goal, "{\"seedingTimeLimitMinutes\":-5}").code());
        assertEquals("INVALID_REQUEST", api.post(goal, "{\"useGlobal\":true,\"ratioLimit\":2}").code(), "one or the other");
        assertEquals(1.5, api.get("/api/v1/torrents/" + HASH).json().path("seeding").path("ownGoal").path("ratioLimit").asDouble(),
                "a refused request changes nothing");

        JsonNode forEver = api.post(goal, "{}").json().path("seeding").path("ownGoal");
        assertTrue(forEver.path("ratioLimit").isNull() && forEver.path("seedingTimeLimitMinutes").isNull(), "no limits: seeds for ever");
        assertTrue(api.post(goal, "{\"useGlobal\":true}").json().path("seeding").path("ownGoal").isNull());
        assertEquals("TORRENT_NOT_FOUND", api.post("/api/v1/torrents/" + "f".repeat(40) + "/seeding-goal", "{}").code());
    }

    @Test
    void theGlobalSeedingGoalIsASettingAndNonsenseIsRefused() throws Exception {
        JsonNode s = api.post("/api/v1/settings", "{\"seedRatioLimit\":2.5,\"seedingTimeLimitMinutes\":600}").json();
        assertEquals(2.5, s.path("seedRatioLimit").asDouble());
        assertEquals(600, api.get("/api/v1/settings").json().path("seedingTimeLimitMinutes").asLong());
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/settings", "{\"seedRatioLimit\":-1}").code());
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/settings", "{\"seedingTimeLimitMinutes\":600000}").code());
        assertEquals(2.5, api.get("/api/v1/settings").json().path("seedRatioLimit").asDouble(), "unchanged");
        JsonNode off = api.post("/api/v1/settings", "{\"seedRatioLimit\":0,\"seedingTimeLimitMinutes\":0}").json();
        assertEquals(0, off.path("seedRatioLimit").asDouble());
    }

    /** The add dialog's answer: only for a torrent that waits for it, into an existing folder, with at least one file. */
    @Test
    void aTorrentAddedToAwaitAChoiceStartsInTheChosenFolder(@TempDir Path chosen) throws Exception {
        String hash = "ab".repeat(20);
        String start = "/api/v1/torrents/" + hash + "/start";
        ApiHarness.Answer added = api.post("/api/v1/torrents/magnet", "{\"uri\":\"magnet:?xt=urn:btih:" + hash + "\",\"awaitChoice\":true,\"paused\":true}");
        assertEquals(201, added.status());

        assertEquals("INVALID_REQUEST", api.post(start, "{\"downloadDir\":\"relative/dir\"}").code());
        ApiHarness.Answer missing = api.post(start, "{\"downloadDir\":\"" + chosen.resolve("not-there") + "\"}");
        assertEquals("INVALID_REQUEST", missing.code());
        assertTrue(missing.json().path("message").asText().contains("does not exist"), missing.json().toString());
        assertEquals("INVALID_REQUEST", api.post(start, "{\"downloadDir\":\"" + chosen + "\",\"skipFiles\":[0]}").code(), "not every file");
        assertEquals("INVALID_REQUEST", api.postInvalid(start, "{\"downloadDir\":\"" + chosen + "\",\"skipFiles\":[-1]}").code());
        ApiHarness.Answer playOther = api.post(start, "{\"downloadDir\":\"" + chosen + "\",\"playFile\":99}");
        assertEquals("INVALID_REQUEST", playOther.code(), "Play on a file the torrent does not have");
        assertTrue(playOther.json().path("message").asText().contains("playFile 99"), playOther.json().toString());
        assertEquals("INVALID_REQUEST", api.postInvalid(start, "{\"downloadDir\":\"" + chosen + "\",\"playFile\":-1}").code());
        assertEquals("PAUSED", api.get("/api/v1/torrents/" + hash).json().path("status").path("state").asText(), "refusals change nothing");

        JsonNode started = api.post(start, "{\"downloadDir\":\"" + chosen + "\",\"skipFiles\":[],\"playFile\":0}").json();
        assertEquals("DOWNLOADING", started.path("status").path("state").asText());
        assertEquals("INVALID_TRANSITION", api.post(start, "{\"downloadDir\":\"" + chosen + "\"}").code(), "started already");
        api.delete("/api/v1/torrents/" + hash, "{}");
    }

    @Test
    void torrentFileUploadIsBase64InJson() throws Exception {
        String torrent = Base64.getEncoder().encodeToString("d4:infod4:name4:testee".getBytes());
        ApiHarness.Answer a = api.post("/api/v1/torrents/file", "{\"torrentBase64\":\"" + torrent + "\"}");
        assertEquals(201, a.status());
        String hash = a.json().path("infoHash").asText();
        assertEquals(200, api.delete("/api/v1/torrents/" + hash, "{}").status());
        assertEquals("INVALID_TORRENT", api.post("/api/v1/torrents/file", "{\"torrentBase64\":\"" + Base64.getEncoder().encodeToString("junk".getBytes()) + "\"}").code());
        assertEquals("INVALID_TORRENT", api.post("/api/v1/torrents/file", "{\"torrentBase64\":\"%%%\"}").code());
    }

    @Test
    void addPeersMustBeIpLiteralsWithAPortAndOneBadEntryAddsNothing() throws Exception {
        String hash = "fedcba9876543210fedcba9876543210fedcba98";
        String magnet = "\"uri\":\"magnet:?xt=urn:btih:" + hash + "\"";
        for (String bad : new String[] {"\"localhost:6881\"", "\"127.0.0.1\"", "\"127.0.0.1:0\"", "\"127.0.0.1:70000\"",
                "\"::1:6881\"", "null", "\"127.0.0.1:6881 \""}) {
            ApiHarness.Answer a = api.postInvalid("/api/v1/torrents/magnet", "{" + magnet + ",\"peers\":[\"127.0.0.1:6881\"," + bad + "]}");
            assertEquals(400, a.status(), bad);
            assertEquals("INVALID_REQUEST", a.code(), bad);
            assertTrue(a.json().path("message").asText().startsWith("peers[1] "), a.body());
            assertEquals(404, api.get("/api/v1/torrents/" + hash).status(), "nothing added for " + bad);
        }
        String tooMany = java.util.stream.IntStream.rangeClosed(1, TorrentRoutes.MAX_PEERS_PER_ADD + 1)
                .mapToObj(i -> "\"127.0.0.1:" + i + "\"").collect(java.util.stream.Collectors.joining(","));
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/torrents/magnet", "{" + magnet + ",\"peers\":[" + tooMany + "]}").code());
        assertEquals(404, api.get("/api/v1/torrents/" + hash).status());

        ApiHarness.Answer added = api.post("/api/v1/torrents/magnet", "{" + magnet + ",\"peers\":[\"127.0.0.1:6881\",\"[::1]:6881\"]}");
        assertEquals(201, added.status(), added.body());
        assertEquals(200, api.delete("/api/v1/torrents/" + hash, "{}").status());
    }

    @Test
    void magnetWithoutInfoHashIsATypedError() throws Exception {
        ApiHarness.Answer a = api.post("/api/v1/torrents/magnet", "{\"uri\":\"magnet:?dn=nothing\"}");
        assertEquals(400, a.status());
        assertEquals("INVALID_TORRENT", a.code());
        assertTrue(a.json().path("message").asText().contains("info-hash"));
    }

    @Test
    void networkSaysThePeerPortAndThePortMappingState() throws Exception {
        JsonNode n = api.get("/api/v1/network").json();
        assertEquals(0, n.path("peerPort").asInt(), "this harness runs no engine");
        assertEquals("off", n.path("portMapping").path("state").asText());
        assertFalse(n.path("portMapping").path("message").asText().isEmpty(), "off says why");
    }

    @Test
    void portMappingIsOnByDefaultAndCanBeSwitchedOff() throws Exception {
        assertTrue(api.get("/api/v1/settings").json().path("portMapping").asBoolean());
        assertFalse(api.post("/api/v1/settings", "{\"portMapping\":false}").json().path("portMapping").asBoolean());
        assertFalse(api.settings.get().portMapping());
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/settings", "{\"portMapping\":\"maybe\"}").code());
        assertFalse(api.settings.get().portMapping(), "a refused change changes nothing");
        assertTrue(api.post("/api/v1/settings", "{\"portMapping\":true}").json().path("portMapping").asBoolean());
    }

    @Test
    void settingsReadAndUpdate() throws Exception {
        JsonNode s = api.get("/api/v1/settings").json();
        assertEquals("devnet", s.path("network").asText());
        JsonNode updated = api.post("/api/v1/settings", "{\"quitWithBrowser\":true}").json();
        assertTrue(updated.path("quitWithBrowser").asBoolean());
        assertTrue(api.settings.get().quitWithBrowser());
        assertEquals("INVALID_REQUEST", api.post("/api/v1/settings", "{\"downloadDir\":\"relative/dir\"}").code());
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/settings", "{\"extensionIds\":[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]}").code());
        api.post("/api/v1/settings", "{\"quitWithBrowser\":false}");
        assertEquals(0, s.get("downloadBytesPerSecond").asLong(), "no global limit unless set");
        JsonNode limited = api.post("/api/v1/settings", "{\"downloadBytesPerSecond\":1048576}").json();
        assertEquals(1_048_576, limited.get("downloadBytesPerSecond").asLong());
        assertEquals(0, limited.get("uploadBytesPerSecond").asLong(), "the other limit stays as it was");
        assertEquals(1_048_576L, api.settings.get().downloadBytesPerSecond());
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/settings", "{\"uploadBytesPerSecond\":-1}").code());
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/settings", "{\"uploadBytesPerSecond\":8589934593}").code());
        assertEquals(0L, api.settings.get().uploadBytesPerSecond(), "a refused change changes nothing");
        api.post("/api/v1/settings", "{\"downloadBytesPerSecond\":0}");
    }

    @Test
    void utpSwitchIsSavedWhileAMalformedOneChangesNothing() throws Exception {
        assertTrue(api.get("/api/v1/settings").json().path("utp").asBoolean(), "on by default");
        api.post("/api/v1/settings", "{\"utp\":true}");
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/settings", "{\"utp\":\"sometimes\"}").code());
        assertTrue(api.settings.get().utp(), "a refused change changes nothing");
        JsonNode off = api.post("/api/v1/settings", "{\"utp\":false}").json();
        assertFalse(off.path("utp").asBoolean());
        assertFalse(api.settings.get().utp());
        assertFalse(SettingsStore.open(SettingsStore.defaultFile(api.dir), Settings.defaults(api.dir)).get().utp(),
                "saved in settings.json for the next start");
        api.post("/api/v1/settings", "{\"utp\":true}");
    }

    @Test
    void aDownloadFolderThatDoesNotExistOrIsAFileIsRefusedWithWhatToDo() throws Exception {
        String before = api.settings.get().downloadDir();
        assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of(before)), "the default folder is not made until a download needs it");
        assertEquals(200, api.post("/api/v1/settings", "{\"downloadDir\":\"" + before + "\",\"quitWithBrowser\":false}").status(),
                "the options page sends the folder with every save: an unchanged one is not checked again");
        java.nio.file.Path missing = api.dir.resolve("no-such-folder");
        ApiHarness.Answer refused = api.postInvalid("/api/v1/settings", "{\"downloadDir\":\"" + missing + "\"}");
        assertEquals(400, refused.status());
        assertEquals("INVALID_REQUEST", refused.code());
        assertEquals("the download folder " + missing + " does not exist: create it first, or choose another",
                refused.json().path("message").asText());
        java.nio.file.Path file = java.nio.file.Files.writeString(api.dir.resolve("a-file"), "x");
        assertTrue(api.postInvalid("/api/v1/settings", "{\"downloadDir\":\"" + file + "\"}").json().path("message").asText()
                .contains("is a file, not a folder"));
        assertEquals(before, api.settings.get().downloadDir(), "a refused folder changes nothing");

        java.nio.file.Path made = java.nio.file.Files.createDirectories(api.dir.resolve("made"));
        assertEquals(made.toString(), api.post("/api/v1/settings", "{\"downloadDir\":\"" + made + "\"}").json().path("downloadDir").asText());
    }

    @Test
    void theAskAndTheChainEndpointAreSettingsAndBadValuesChangeNothing() throws Exception {
        JsonNode s = api.get("/api/v1/settings").json();
        assertEquals("0", s.path("askPerGiBBtt").asText(), "sells nothing unless the user sets a price");
        assertTrue(s.path("chainEndpoint").isNull());

        JsonNode selling = api.post("/api/v1/settings", "{\"askPerGiBBtt\":\"100.50\",\"chainEndpoint\":\"127.0.0.1:50999\"}").json();
        assertEquals("100.5", selling.path("askPerGiBBtt").asText(), "amounts come back the way the API prints them");
        assertEquals("127.0.0.1:50999", selling.path("chainEndpoint").asText());

        for (String bad : new String[] {"{\"askPerGiBBtt\":\"-1\"}", "{\"askPerGiBBtt\":\"1,000\"}", "{\"askPerGiBBtt\":\"lots\"}",
                "{\"chainEndpoint\":\"http://127.0.0.1:50051\"}", "{\"chainEndpoint\":\"127.0.0.1\"}", "{\"chainEndpoint\":\"127.0.0.1:70000\"}"}) {
            ApiHarness.Answer refused = api.post("/api/v1/settings", bad);
            assertEquals(400, refused.status(), bad);
            assertEquals("INVALID_REQUEST", refused.code(), bad);
        }
        assertEquals("100.5", api.settings.get().askPerGiBBtt(), "a refused change changes nothing");
        assertEquals("127.0.0.1:50999", api.settings.get().chainEndpoint());

        JsonNode back = api.post("/api/v1/settings", "{\"askPerGiBBtt\":\"0\",\"chainEndpoint\":\"\"}").json();
        assertEquals("0", back.path("askPerGiBBtt").asText());
        assertTrue(back.path("chainEndpoint").isNull(), "\"\" goes back to the network's own node");
    }

    @Test
    void shutdownAsksTheDaemonToStop() throws Exception {
        ApiHarness.Answer a = api.post("/api/v1/shutdown", "{}");
        assertEquals(202, a.status());
        assertTrue(api.shutdownRequested.await(EventsClient.HANG_GUARD_SECONDS, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, api.shutdownRequests.get());
    }

    @Test
    void eventsWithoutUpgradeExplainsTheWebSocket() throws Exception {
        ApiHarness.Answer a = api.get("/api/v1/events");
        assertEquals(400, a.status());
        assertTrue(a.json().path("message").asText().contains("WebSocket"));
    }

    @Test
    void everyServedRouteIsInTheSpec() {
        java.util.Set<String> served = new java.util.TreeSet<>();
        for (Route r : api.server.routes()) {
            served.add(r.method() + " " + r.path().template());
        }
        // Served beside the route table, without the token: the player's capability URLs.
        served.add("GET " + StreamContentHandler.PATH_TEMPLATE);
        served.add("HEAD " + StreamContentHandler.PATH_TEMPLATE);
        assertEquals(api.spec.specRoutes(), served, "route table and protocol-spec/http-api.yaml differ");
    }
}
