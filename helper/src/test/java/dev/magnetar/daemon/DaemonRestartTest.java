package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import dev.magnetar.wallet.ScryptParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A torrent added through the API of one daemon is listed again by the next daemon on the same data. */
class DaemonRestartTest {

    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    /** The daemon's own engine settings (session list on), without DHT/LSD so the test stays on loopback; the daemon restores. */
    private Daemon start() throws Exception {
        Daemon.EngineFactory engine = (dataDir, s) -> Engine.open(
                EngineLauncher.settingsFor(dataDir, s).toBuilder().discovery(PeerDiscoverySettings.offline()).build());
        return Daemon.start(new Daemon.Options(dir, 0, engine, ScryptParams.DEFAULT));
    }

    @Test
    void aCorruptSessionListDoesNotStopTheDaemon() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Files.writeString(EngineLauncher.sessionFile(dir), "\u0000 not json");
        try (Daemon daemon = start()) {
            HttpResponse<String> list = send(daemon, HttpRequest.newBuilder(uri(daemon, "/api/v1/torrents")).GET());
            assertEquals(200, list.statusCode(), list.body());
            JsonNode torrents = new ObjectMapper().readTree(list.body());
            assertEquals(0, (torrents.isArray() ? torrents : torrents.path("torrents")).size(), list.body());
            try (var files = Files.list(dir)) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("session.json.corrupt-")).count(),
                        "the corrupt list is kept aside");
            }
        }
    }

    @Test
    void aRestartedDaemonListsItsTorrentAgain() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        try (Daemon first = start()) {
            HttpResponse<String> added = send(first, HttpRequest.newBuilder(uri(first, "/api/v1/torrents/magnet"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"uri\":\"magnet:?xt=urn:btih:" + HASH + "&dn=kept\",\"paused\":true}")));
            assertTrue(added.statusCode() / 100 == 2, added.statusCode() + " " + added.body());
        }
        assertTrue(Files.exists(EngineLauncher.sessionFile(dir)), "the daemon keeps a session list");
        try (Daemon second = start()) {
            HttpResponse<String> list = send(second, HttpRequest.newBuilder(uri(second, "/api/v1/torrents")).GET());
            assertEquals(200, list.statusCode(), list.body());
            JsonNode torrents = new ObjectMapper().readTree(list.body());
            JsonNode array = torrents.isArray() ? torrents : torrents.path("torrents");
            assertEquals(1, array.size(), list.body());
            assertEquals(HASH, array.get(0).path("infoHash").asText(), list.body());
            assertEquals("kept", array.get(0).path("name").asText(), list.body());
            assertTrue(array.get(0).path("state").asText().equalsIgnoreCase("paused"), "still paused: " + list.body());
        }
    }

    /**
     * kill -9 the instant the API has acknowledged a burst of adds and a removal (a real daemon process
     * that already holds a long list): the next daemon lists exactly what the answers said — every
     * torrent added, not the one removed.
     */
    @Test
    void whatTheApiAcknowledgedSurvivesAKillRightAfterTheAnswer() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        java.util.Set<String> listed = new java.util.TreeSet<>();
        // A list as long as a user's who keeps what they downloaded: rewriting it whole takes a while.
        com.fasterxml.jackson.databind.node.ObjectNode file = new ObjectMapper().createObjectNode().put("version", 1);
        com.fasterxml.jackson.databind.node.ArrayNode kept = file.putArray("torrents");
        for (int i = 0; i < 1500; i++) {
            String hash = String.format("%040x", i + 1);
            kept.addObject().put("infoHash", hash).put("name", "kept-" + i).put("magnet", "magnet:?xt=urn:btih:" + hash)
                    .put("metadataKnown", false).put("downloadDir", dir.resolve("dl").toString()).put("paused", true)
                    .put("sequential", false).putArray("trackers").addArray().add("http://127.0.0.1:9/announce-" + i);
            listed.add(hash);
        }
        Files.createDirectories(dir.resolve("dl"));
        Files.write(EngineLauncher.sessionFile(dir), new ObjectMapper().writeValueAsBytes(file));
        HelperProcess.Started first = HelperProcess.start("OfflineDaemonMain", dir.resolve("killed.log"),
                java.util.regex.Pattern.compile("daemon listening on 127\\.0\\.0\\.1:(\\d+)"),
                "daemon", "--data-dir", dir.toString(), "--port", "0");
        try (HelperProcess daemon = first.helper()) {
            DaemonApi api = new DaemonApi(first.port(), dir);
            java.util.Random random = new java.util.Random(23);
            for (int i = 0; i < 30; i++) {
                String hash = String.format("%040x", new java.math.BigInteger(160, random));
                DaemonApi.Answer added = api.post("/api/v1/torrents/magnet",
                        "{\"uri\":\"magnet:?xt=urn:btih:" + hash + "&dn=burst-" + i + "\",\"paused\":true}");
                assertEquals(201, added.status(), added.toString());
                listed.add(hash);
                if (i == 10) {
                    DaemonApi.Answer removed = api.delete("/api/v1/torrents/" + hash, "{\"deleteData\":false}");
                    assertEquals(200, removed.status(), removed.toString());
                    listed.remove(hash);
                }
            }
            daemon.kill(); // no shutdown hook: only what reached the disk before the answers counts
        }
        try (Daemon second = start()) {
            JsonNode array = new ObjectMapper().readTree(send(second, HttpRequest.newBuilder(uri(second, "/api/v1/torrents")).GET()).body())
                    .path("torrents");
            java.util.Set<String> restored = new java.util.TreeSet<>();
            array.forEach(t -> restored.add(t.path("infoHash").asText()));
            java.util.Set<String> lost = new java.util.TreeSet<>(listed);
            lost.removeAll(restored);
            restored.removeAll(listed);
            assertEquals(java.util.Set.of(), lost, "acknowledged torrents the restarted daemon does not list");
            assertEquals(java.util.Set.of(), restored, "torrents listed again although their removal was acknowledged");
        }
    }

    /**
     * The torrent's boost is found again by the next daemon (the link is the budget's info-hash, kept in
     * the approvals file), and a boost approved after the restart replaces it rather than adding to it.
     */
    @Test
    void aBoostIsStillLinkedToItsTorrentAfterARestartAndANewOneReplacesIt() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        BoostingBuyer.createWallet(dir);
        String budget;
        try (Daemon first = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            DaemonApi api = new DaemonApi(first);
            assertEquals(201, api.post("/api/v1/torrents/magnet", "{\"uri\":\"magnet:?xt=urn:btih:" + HASH + "&dn=kept\",\"paused\":true}").status());
            DaemonApi.Answer filed = api.post("/api/v1/torrents/" + HASH + "/boost", "{\"capBtt\":\"40\",\"ratePerGiBBtt\":\"2\"}");
            assertEquals(201, filed.status(), filed.json().toString());
            budget = filed.json().path("id").asText();
            assertEquals(200, api.post("/api/v1/approvals/" + budget + "/approve", "{\"password\":\"" + BoostingBuyer.PASSWORD + "\"}").status());
            assertEquals(budget, api.get("/api/v1/torrents/" + HASH).json().path("status").path("boost").path("budgetId").asText());
        }
        try (Daemon second = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            DaemonApi api = new DaemonApi(second);
            // With a wallet, the torrents come back once the chain has started, after the API is up.
            JsonNode boost = api.await("/api/v1/torrents/" + HASH, t -> t.path("status").path("boost").has("budgetId"),
                    "the restored torrent's boost").path("status").path("boost");
            assertEquals(budget, boost.path("budgetId").asText(), "linked again after the restart: " + boost);
            assertEquals("40", boost.path("budgetBtt").asText(), boost.toString());

            DaemonApi.Answer again = api.post("/api/v1/torrents/" + HASH + "/boost", "{\"capBtt\":\"5\",\"ratePerGiBBtt\":\"2\"}");
            String replacement = again.json().path("id").asText();
            assertEquals(200, api.post("/api/v1/approvals/" + replacement + "/approve", "{\"password\":\"" + BoostingBuyer.PASSWORD + "\"}").status());
            JsonNode approvals = api.get("/api/v1/approvals").json().path("approvals");
            for (JsonNode a : approvals) {
                assertEquals(a.path("id").asText().equals(budget) ? "REPLACED" : "APPROVED", a.path("state").asText(), approvals.toString());
            }
            JsonNode replaced = api.get("/api/v1/torrents/" + HASH).json().path("status").path("boost");
            assertEquals(replacement, replaced.path("budgetId").asText(), replaced.toString());
            assertEquals("5", replaced.path("budgetBtt").asText(), "not topped up: " + replaced);
        }
    }

    /**
     * A magnet whose only source is its x.pe peer (a real libtorrent seeder on loopback, upload-limited
     * so the download spans the restarts) keeps downloading across three daemon restarts in a row: each
     * daemon reconnects that peer, and the download completes byte for byte.
     */
    @Test
    void aMagnetWithOnlyAnXPePeerCompletesAcrossThreeRestarts() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Path content = dir.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "lan-only", 64 * 1024, 12L << 20, 17);
        Path torrentFile = TorrentFiles.write(info, dir.resolve("lan-only.torrent"));
        Path dl = dir.resolve("dl");
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(torrentFile, content, 1L << 20)) {
            String magnet = "magnet:?xt=urn:btih:" + info.infoHash().hex() + "&x.pe=127.0.0.1:" + seeder.port();
            long verified;
            try (Daemon first = start()) {
                HttpResponse<String> added = send(first, HttpRequest.newBuilder(uri(first, "/api/v1/torrents/magnet"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"uri\":\"" + magnet + "\",\"downloadDir\":\"" + dl + "\"}")));
                assertEquals(201, added.statusCode(), added.body());
                verified = awaitVerifiedAbove(first, info, 0);
            }
            for (int restart = 1; restart <= 3; restart++) {
                JsonNode entry = new ObjectMapper().readTree(EngineLauncher.sessionFile(dir).toFile()).path("torrents").get(0);
                assertEquals(MagnetParser.parse(magnet), MagnetParser.parse(entry.path("magnet").asText()),
                        "the magnet is listed before restart " + restart + ": " + entry);
                try (Daemon again = start()) {
                    verified = awaitVerifiedAbove(again, info, verified);
                    if (restart < 3) {
                        assertTrue(verified < info.totalLength(), "still downloading at restart " + restart + ": " + verified);
                    } else {
                        awaitVerifiedAbove(again, info, info.totalLength() - 1);
                    }
                }
            }
        }
        assertArrayEquals(Files.readAllBytes(content.resolve("lan-only")), Files.readAllBytes(dl.resolve("lan-only")));
    }

    /** Polls the daemon's list until the torrent has more than {@code bytes} verified; returns how many. */
    private long awaitVerifiedAbove(Daemon d, TorrentInfo info, long bytes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            HttpResponse<String> list = send(d, HttpRequest.newBuilder(uri(d, "/api/v1/torrents")).GET());
            JsonNode t = new ObjectMapper().readTree(list.body()).path("torrents").get(0);
            assertEquals(info.infoHash().hex(), t.path("infoHash").asText(), list.body());
            assertTrue(t.path("error").isNull(), list.body());
            long verified = t.path("verifiedBytes").asLong();
            if (verified > bytes) {
                return verified;
            }
            assertTrue(System.nanoTime() < deadline, "no more than " + bytes + " bytes verified within the hang guard: " + list.body());
            TimeUnit.MILLISECONDS.sleep(50); // poll interval of a condition wait, not synchronisation
        }
    }

    private static URI uri(Daemon d, String path) {
        return URI.create("http://127.0.0.1:" + d.port() + path);
    }

    private HttpResponse<String> send(Daemon d, HttpRequest.Builder request) throws Exception {
        String token = ApiToken.read(ApiToken.defaultFile(dir));
        return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
