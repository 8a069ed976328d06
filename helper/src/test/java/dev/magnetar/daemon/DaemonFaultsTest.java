package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.PeerDiscoverySettings;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults as the extension meets them, over the daemon's HTTP API: what it answers, and that ERROR can be left. */
class DaemonFaultsTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private Daemon start() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Daemon.EngineFactory engine = (dataDir, s) -> Engine.open(
                EngineLauncher.settingsFor(dataDir, s).toBuilder().discovery(PeerDiscoverySettings.offline()).build());
        return Daemon.start(new Daemon.Options(dir, 0, engine, ScryptParams.DEFAULT));
    }

    /** The folder refused at once, with a reason and nothing added (not an ERROR discovered later). */
    @Test
    void aDownloadFolderTheHelperCannotWriteIsRefusedWhenAdding() throws Exception {
        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        boolean root = "root".equals(System.getProperty("user.name"));
        // root writes through permission bits; a read-only mount stops it too
        boolean mounted = root && run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", readOnly.toString()) == 0;
        if (!mounted) {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try (Daemon daemon = start()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(mounted || !root, "root without mount: no folder it cannot write");
            HttpResponse<String> added = post(daemon, "/api/v1/torrents/magnet", "{\"uri\":\"magnet:?xt=urn:btih:"
                    + "ab".repeat(20) + "\",\"downloadDir\":\"" + readOnly + "\"}");
            assertEquals(400, added.statusCode(), added.body());
            JsonNode error = json.readTree(added.body());
            assertEquals("INVALID_REQUEST", error.path("code").asText(), added.body());
            assertTrue(error.path("message").asText().contains("cannot write to the download folder " + readOnly), added.body());
            assertEquals(0, torrents(daemon).size(), "nothing was added");
        } finally {
            if (mounted) {
                run("umount", readOnly.toString());
            } else {
                Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    /**
     * A seeded folder deleted behind the helper's back: ERROR "files missing"; POST resume answers with
     * the torrent out of ERROR (rechecking, then downloading what is gone), and POST recheck works too.
     */
    @Test
    void resumeOverTheApiLeavesAnErrorWithoutARestart() throws Exception {
        Path content = dir.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "kept.bin", 64 * 1024, 500_000, 31);
        String torrent = Base64.getEncoder().encodeToString(Files.readAllBytes(TorrentFiles.write(info, dir.resolve("kept.torrent"))));
        String hash = info.infoHash().hex();
        try (Daemon daemon = start()) {
            HttpResponse<String> added = post(daemon, "/api/v1/torrents/file",
                    "{\"torrentBase64\":\"" + torrent + "\",\"downloadDir\":\"" + content + "\"}");
            assertEquals(201, added.statusCode(), added.body());
            await(daemon, t -> t.path("state").asText().equals("SEEDING"), "seeding its data");

            deleteRecursively(content);
            JsonNode failed = await(daemon, t -> t.path("state").asText().equals("ERROR"), "the missing data noticed");
            assertTrue(failed.path("error").asText().startsWith("files missing: kept.bin: missing"), failed.toString());

            HttpResponse<String> resumed = post(daemon, "/api/v1/torrents/" + hash + "/resume", "{}");
            assertEquals(200, resumed.statusCode(), resumed.body());
            JsonNode after = json.readTree(resumed.body());
            // Out of ERROR in the answer itself (CHECKING, or already past it on a fast disk).
            assertNotEquals("ERROR", after.path("state").asText(), "out of ERROR at once: " + resumed.body());
            assertTrue(after.path("error").isNull(), resumed.body());
            JsonNode downloading = await(daemon, t -> t.path("state").asText().equals("DOWNLOADING"), "the recheck after resume");
            assertEquals(0, downloading.path("verifiedBytes").asLong(), "nothing is claimed of the deleted data: " + downloading);

            HttpResponse<String> recheck = post(daemon, "/api/v1/torrents/" + hash + "/recheck", "{}");
            assertEquals(200, recheck.statusCode(), recheck.body());
            await(daemon, t -> t.path("state").asText().equals("DOWNLOADING"), "the recheck");
        }
    }

    private JsonNode await(Daemon d, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            JsonNode list = torrents(d);
            if (list.size() == 1 && condition.test(list.get(0))) {
                return list.get(0);
            }
            assertTrue(System.nanoTime() < deadline, what + " did not happen within the hang guard: " + list);
            TimeUnit.MILLISECONDS.sleep(50); // poll interval of a condition wait, not synchronisation
        }
    }

    private JsonNode torrents(Daemon d) throws Exception {
        HttpResponse<String> list = send(d, HttpRequest.newBuilder(uri(d, "/api/v1/torrents")).GET());
        assertEquals(200, list.statusCode(), list.body());
        return json.readTree(list.body()).path("torrents");
    }

    private HttpResponse<String> post(Daemon d, String path, String body) throws Exception {
        return send(d, HttpRequest.newBuilder(uri(d, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static URI uri(Daemon d, String path) {
        return URI.create("http://127.0.0.1:" + d.port() + path);
    }

    private HttpResponse<String> send(Daemon d, HttpRequest.Builder request) throws Exception {
        String token = ApiToken.read(ApiToken.defaultFile(dir));
        return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void deleteRecursively(Path p) throws Exception {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
