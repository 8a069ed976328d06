package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.devnet.DevnetEndpointFile;
import dev.magnetar.engine.Engine;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filing a boost through the API once a seller is connected: a boost that could buy nothing from it — a
 * rate below its ask, a cap below what the helper needs before it bids — is refused with what to raise,
 * and nothing is filed; one that can buy is filed. Two real helpers on one devnet, the seller with an ask.
 */
class BoostFilingTest {

    private static final long SIZE = 32L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aBoostThatCouldBuyNothingFromTheConnectedSellerIsRefusedSayingWhatToRaise() throws Exception {
        Path seller = Files.createDirectory(dir.resolve("seller"));
        Path buyer = Files.createDirectory(dir.resolve("buyer"));
        TorrentInfo info = TestTorrents.singleFile(seller.resolve("dl"), "paid.bin", 256 * 1024, SIZE);
        byte[] torrentFile = Files.readAllBytes(TorrentFiles.write(info, dir.resolve("paid.torrent")));
        String ih = info.infoHash().hex();
        BoostingBuyer.createWallet(seller);
        // A slow seller (1 MiB/s), so it is still connected while the buyer files its boosts.
        DaemonFixtures.writeSettings(seller, "\"devnetPort\":0,\"askPerGiBBtt\":\"1000\",\"uploadBytesPerSecond\":1048576");
        BoostingBuyer.fund(seller, BoostingBuyer.prepare(buyer)); // the buyer pays every 1 BTT: its receipt step is 0.25 BTT

        Engine[] sellerEngine = new Engine[1];
        try (Daemon sellerDaemon = Daemon.start(DaemonFixtures.offlineOptions(seller, sellerEngine))) {
            DaemonApi sellerApi = new DaemonApi(sellerDaemon);
            sellerApi.awaitChain();
            String devnet = DevnetEndpointFile.read(seller.resolve("devnet")).orElseThrow();
            sellerApi.seed(torrentFile, seller.resolve("dl"), ih);

            DaemonFixtures.writeSettings(buyer, "\"devnetPort\":0,\"chainEndpoint\":\"" + devnet + "\"");
            try (Daemon buyerDaemon = Daemon.start(DaemonFixtures.offlineOptions(buyer, new Engine[1]))) {
                DaemonApi api = new DaemonApi(buyerDaemon);
                api.awaitChain();
                String magnet = "magnet:?xt=urn:btih:" + ih + "&x.pe=127.0.0.1:" + sellerEngine[0].listenAddress().getPort();
                assertEquals(201, api.post("/api/v1/torrents/magnet", "{\"uri\":\"" + magnet + "\"}").status());
                // Data from the seller means its BEP 10 handshake, which carries its ask, came first (spec §3).
                JsonNode unboosted = api.await("/api/v1/torrents/" + ih, t -> t.path("status").path("verifiedBytes").asLong() > 0,
                        "the first verified piece from the seller");
                assertTrue(unboosted.path("status").path("boost").isNull() || unboosted.path("status").path("boost").isMissingNode(),
                        "never boosted: " + unboosted.path("status"));

                DaemonApi.Answer lowRate = api.post("/api/v1/torrents/" + ih + "/boost", "{\"capBtt\":\"40\",\"ratePerGiBBtt\":\"500\"}");
                assertEquals(422, lowRate.status(), lowRate.json().toString());
                assertEquals("BOOST_CANNOT_BUY", lowRate.json().path("code").asText());
                assertTrue(lowRate.json().path("message").asText().contains("raise the rate to at least 1000 BTT/GiB"), lowRate.json().toString());

                DaemonApi.Answer tinyCap = api.post("/api/v1/torrents/" + ih + "/boost", "{\"capBtt\":\"0.1\",\"ratePerGiBBtt\":\"2000\"}");
                assertEquals(422, tinyCap.status(), tinyCap.json().toString());
                assertEquals("BOOST_CANNOT_BUY", tinyCap.json().path("code").asText());
                assertTrue(tinyCap.json().path("message").asText().contains("raise the cap to at least 0.25 BTT"), tinyCap.json().toString());

                assertEquals(0, api.get("/api/v1/approvals").json().path("approvals").size(), "nothing filed for the refused boosts");

                DaemonApi.Answer enough = api.post("/api/v1/torrents/" + ih + "/boost", "{\"capBtt\":\"40\",\"ratePerGiBBtt\":\"2000\"}");
                assertEquals(201, enough.status(), enough.json().toString());
                assertEquals("PENDING", enough.json().path("state").asText(), enough.json().toString());
                assertEquals(1, api.get("/api/v1/approvals").json().path("approvals").size());
                // 40 BTT at the ask of 1000 BTT/GiB buys 40 MiB and more: the whole torrent, whatever is left of it.
                assertEquals("1000", enough.json().path("lowestAskPerGiBBtt").asText(), enough.json().toString());
                assertTrue(enough.json().path("capBuysBytes").asLong() >= enough.json().path("bytesLeft").asLong(), enough.json().toString());

                // 0.5 BTT buys 0.5 MiB at that ask: filed (it boosts the end), and the request says how much of the torrent it buys.
                DaemonApi.Answer partial = api.post("/api/v1/torrents/" + ih + "/boost", "{\"capBtt\":\"0.5\",\"ratePerGiBBtt\":\"2000\"}");
                assertEquals(201, partial.status(), partial.json().toString());
                assertEquals(512L * 1024 * 1024 / 1000, partial.json().path("capBuysBytes").asLong(), partial.json().toString());
                long left = partial.json().path("bytesLeft").asLong();
                assertTrue(left > 512L * 1024 && left < SIZE, "what was left to download when it was filed: " + partial.json());
            }
        }
    }
}
