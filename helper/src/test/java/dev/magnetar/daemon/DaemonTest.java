package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import dev.magnetar.engine.Engine;

import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.engine.RateLimits;
import dev.magnetar.wallet.ScryptParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One daemon per data directory, its token and state file, and a clean stop through the API. */
class DaemonTest {

    @TempDir
    Path dir;

    @Test
    void aSecondDaemonIsRefusedAndShutdownCleansUp() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Daemon daemon = Daemon.start(Daemon.Options.of(dir, 0));
        try {
            DaemonState state = DaemonStateFile.read(DaemonStateFile.defaultFile(dir)).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), state.pid());
            assertEquals(daemon.port(), state.port());
            Path tokenFile = Path.of(state.tokenFile());
            String token = ApiToken.read(tokenFile);
            assertEquals(43, token.length());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));

            DaemonAlreadyRunningException second = assertThrows(DaemonAlreadyRunningException.class, () -> Daemon.start(Daemon.Options.of(dir, 0)));
            assertTrue(second.getMessage().contains("already running"));

            HttpResponse<String> stop = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/api/v1/shutdown"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, stop.statusCode());
            daemon.awaitStopped();
            assertFalse(Files.exists(DaemonStateFile.defaultFile(dir)), "daemon.json must go with the daemon");
            // The lock is free again: a new daemon starts, with a fresh token.
            Daemon again = Daemon.start(Daemon.Options.of(dir, 0));
            again.close();
            assertFalse(token.equals(ApiToken.read(tokenFile)));
        } finally {
            daemon.close();
        }
    }

    /** A settings file with only some fields is written out whole by the start (after the announcement), so the user sees every one. */
    @Test
    void theStartWritesEverySettingIntoTheFileForTheUserToEdit() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        assertFalse(Files.readString(dir.resolve("settings.json")).contains("\"utp\""), "the fixture leaves fields out");
        Engine[] opened = new Engine[1];
        try (Daemon daemon = Daemon.start(DaemonFixtures.offlineOptions(dir, opened))) {
            com.fasterxml.jackson.databind.JsonNode saved = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("settings.json").toFile());
            assertTrue(saved.has("utp") && saved.has("portMapping") && saved.has("seedRatioLimit"), saved.toString());
            assertEquals(dir.resolve("dl").toString(), saved.path("downloadDir").asText());
            assertTrue(daemon.port() > 0);
        }
    }

    /** The test suite binds peers to loopback (MAGNETAR_PEER_BIND): the daemon must not ask any router then. */
    @Test
    void networkShowsTheEnginesPeerPortAndWhyNothingIsMapped() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Engine[] opened = new Engine[1];
        Daemon.EngineFactory engine = (dataDir, s) -> opened[0] = Engine.open(
                EngineLauncher.settingsFor(dataDir, s).toBuilder().discovery(PeerDiscoverySettings.offline()).build());
        Daemon daemon = Daemon.start(new Daemon.Options(dir, 0, engine, ScryptParams.DEFAULT));
        try {
            String token = ApiToken.read(ApiToken.defaultFile(dir));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/api/v1/network"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            assertEquals(opened[0].listenAddress().getPort(), n.path("peerPort").asInt());
            assertEquals("off", n.path("portMapping").path("state").asText());
            assertTrue(n.path("portMapping").path("message").asText().contains("loopback"), r.body());
        } finally {
            daemon.close();
        }
    }

    /** A settings file from before the limits (writeLocalSettings has none) reads as "no limit". */
    @Test
    void globalRateLimitsApplyAtOnceAndComeBackAfterARestart() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Engine[] opened = new Engine[1];
        Daemon.EngineFactory engine = (dataDir, s) -> opened[0] = Engine.open(
                EngineLauncher.settingsFor(dataDir, s).toBuilder().discovery(PeerDiscoverySettings.offline()).build());
        Daemon.Options options = new Daemon.Options(dir, 0, engine, ScryptParams.DEFAULT);
        Daemon daemon = Daemon.start(options);
        try {
            assertEquals(RateLimits.NONE, opened[0].rateLimits());
            String token = ApiToken.read(ApiToken.defaultFile(dir));
            HttpResponse<String> set = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/api/v1/settings"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"downloadBytesPerSecond\":2097152,\"uploadBytesPerSecond\":65536}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, set.statusCode(), set.body());
            assertEquals(new RateLimits(2_097_152, 65_536), opened[0].rateLimits(), "applied without a restart");
        } finally {
            daemon.close();
        }
        Daemon again = Daemon.start(options);
        try {
            assertEquals(new RateLimits(2_097_152, 65_536), opened[0].rateLimits(), "saved in settings.json");
        } finally {
            again.close();
        }
    }

    @Test
    void damagedSettingsAreAStartErrorNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("settings.json"), "{\"network\":\"moonnet\"");
        DaemonStartException e = assertThrows(DaemonStartException.class, () -> Daemon.start(Daemon.Options.of(dir, 0)));
        assertTrue(e.getMessage().contains("settings.json"), e.getMessage());
        assertFalse(Files.exists(DaemonStateFile.defaultFile(dir)));
    }
}
