package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.devnet.DevnetEndpointFile;
import dev.magnetar.engine.Engine;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's API is up before its TRON connection: the embedded devnet and the chain client start
 * only when something needs them (a wallet route, or a torrent's speed economy when a wallet exists),
 * and a chain that cannot start leaves the daemon serving and the wallet routes saying why.
 */
class DaemonChainStartTest {

    @TempDir
    Path dir;

    @Test
    void withoutAWalletTheDaemonServesWithoutStartingTheDevnetUntilAWalletRouteNeedsTheChain() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        try (Daemon daemon = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            DaemonApi api = new DaemonApi(daemon);
            assertEquals("off", api.get("/api/v1/health").json().get("chain").asText(), "nothing has needed the chain yet");
            JsonNode status = api.get("/api/v1/wallet").json();
            assertFalse(status.get("exists").asBoolean(), status.toString());
            assertEquals("devnet", status.get("network").asText());
            assertTrue(DevnetEndpointFile.read(dir.resolve("devnet")).isEmpty(), "no devnet started for a daemon without a wallet");

            assertEquals(201, api.post("/api/v1/wallet/import", "{\"privateKeyHex\":\"" + someKeyHex() + "\",\"password\":\"correct horse\"}")
                    .status());
            // The balance needs the chain: the route starts it and waits for it rather than failing.
            DaemonApi.Answer balance = api.get("/api/v1/wallet/balance");
            assertEquals(200, balance.status(), balance.json().toString());
            assertEquals("0", balance.json().get("trxSun").asText(), balance.json().toString());
            assertTrue(DevnetEndpointFile.read(dir.resolve("devnet")).isPresent(), "the daemon serves the devnet it started");
            assertEquals("ready", api.get("/api/v1/health").json().get("chain").asText());
        }
        assertTrue(DevnetEndpointFile.read(dir.resolve("devnet")).isEmpty(), "a stopped daemon leaves no devnet behind");
    }

    @Test
    void withAWalletAndNoTorrentsTheChainStaysOffUntilTheFirstBalanceRequest() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        BoostingBuyer.createWallet(dir);
        try (Daemon daemon = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            DaemonApi api = new DaemonApi(daemon);
            assertEquals(200, api.get("/api/v1/torrents").status());
            assertTrue(api.get("/api/v1/wallet").json().get("exists").asBoolean());
            assertEquals("off", api.get("/api/v1/health").json().get("chain").asText(), "nothing has needed the chain yet");
            assertTrue(DevnetEndpointFile.read(dir.resolve("devnet")).isEmpty(), "no devnet started for an idle daemon");

            DaemonApi.Answer balance = api.get("/api/v1/wallet/balance");
            assertEquals(200, balance.status(), balance.json().toString());
            assertEquals("ready", api.get("/api/v1/health").json().get("chain").asText());
            assertTrue(DevnetEndpointFile.read(dir.resolve("devnet")).isPresent(), "the balance started the devnet");
        }
    }

    @Test
    void withAWalletTheFirstTorrentStartsTheChainForItsSpeedEconomy() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        BoostingBuyer.createWallet(dir);
        try (Daemon daemon = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            DaemonApi api = new DaemonApi(daemon);
            assertEquals("off", api.get("/api/v1/health").json().get("chain").asText());
            DaemonApi.Answer added = api.post("/api/v1/torrents/magnet", pausedMagnet("0123456789abcdef0123456789abcdef01234567"));
            assertEquals(201, added.status(), added.json().toString());
            // The torrent took its economy when it was created, so the start had ended by the answer.
            assertEquals("ready", api.get("/api/v1/health").json().get("chain").asText());
        }
    }

    @Test
    void aDevnetThatCannotStartLeavesTheDaemonServingAndTheWalletRoutesSayWhy() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Files.writeString(dir.resolve("devnet"), "a file where the devnet's folder belongs");
        try (Daemon daemon = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            DaemonApi api = new DaemonApi(daemon);
            assertEquals(200, api.get("/api/v1/health").status());
            assertEquals(201, api.post("/api/v1/wallet/import", "{\"privateKeyHex\":\"" + someKeyHex() + "\",\"password\":\"correct horse\"}")
                    .status());
            DaemonApi.Answer balance = api.get("/api/v1/wallet/balance");
            assertEquals(502, balance.status(), balance.json().toString());
            assertEquals("CHAIN_UNAVAILABLE", balance.json().get("code").asText());
            assertTrue(balance.json().get("message").asText().contains("cannot start the embedded devnet in " + dir.resolve("devnet")),
                    balance.json().toString());
            // Nothing was lost: the wallet is there and the torrent routes still answer.
            assertTrue(api.get("/api/v1/wallet").json().get("exists").asBoolean());
            assertEquals(200, api.get("/api/v1/torrents").status());
        }
        assertEquals("a file where the devnet's folder belongs", Files.readString(dir.resolve("devnet")));
    }

    /**
     * The devnet's folder is held by another process that never says where it serves, so the chain's
     * start hangs (its own wait for that process is 15 s): the last session's torrent and a magnet added
     * meanwhile go on without the economy once the daemon's patience (1 s here) has run out, and the
     * wallet routes say why instead of hanging.
     */
    @Test
    void aChainStartThatHangsLetsTorrentsGoOnWithoutTheEconomyAndTheWalletRoutesSayWhy() throws Exception {
        String restored = "0123456789abcdef0123456789abcdef01234567";
        String addedMeanwhile = "89abcdef0123456789abcdef0123456789abcdef";
        DaemonFixtures.writeLocalSettings(dir);
        try (Daemon first = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            assertEquals(201, new DaemonApi(first).post("/api/v1/torrents/magnet", pausedMagnet(restored)).status());
        }
        BoostingBuyer.createWallet(dir); // with a wallet the daemon starts the chain for the speed economy
        Path devnet = Files.createDirectories(dir.resolve("devnet"));
        Daemon.Options impatient = new Daemon.Options(dir, 0, DaemonFixtures.offlineEngine(new Engine[1]), DaemonFixtures.FAST_SCRYPT,
                Duration.ofSeconds(1));
        try (FileChannel lockFile = FileChannel.open(devnet.resolve("devnet.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock heldElsewhere = lockFile.lock();
                Daemon daemon = Daemon.start(impatient)) {
            DaemonApi api = new DaemonApi(daemon);
            DaemonApi.Answer added = api.post("/api/v1/torrents/magnet", pausedMagnet(addedMeanwhile));
            assertEquals(201, added.status(), added.json().toString());
            api.await("/api/v1/torrents/" + restored, t -> restored.equals(t.path("status").path("infoHash").asText()), "the last session's torrent");
            assertEquals(addedMeanwhile, api.get("/api/v1/torrents/" + addedMeanwhile).json().path("status").path("infoHash").asText());

            DaemonApi.Answer balance = api.get("/api/v1/wallet/balance");
            assertEquals(502, balance.status(), balance.json().toString());
            assertEquals("CHAIN_UNAVAILABLE", balance.json().get("code").asText());
            assertTrue(balance.json().get("message").asText().contains("did not finish within 1 s"), balance.json().toString());
            DaemonApi.Answer health = api.get("/api/v1/health");
            assertEquals(200, health.status(), "the API itself is fine");
            assertEquals("unavailable", health.json().get("chain").asText(), health.json().toString());
            assertTrue(heldElsewhere.isValid(), "the other holder's lock is untouched");
        }
    }

    private static String pausedMagnet(String infoHash) {
        return "{\"uri\":\"magnet:?xt=urn:btih:" + infoHash + "\",\"paused\":true}";
    }

    private static String someKeyHex() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        key[0] = 0x01; // below the secp256k1 group order, never zero
        return java.util.HexFormat.of().formatHex(key);
    }
}
