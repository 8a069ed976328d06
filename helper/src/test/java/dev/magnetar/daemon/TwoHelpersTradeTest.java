package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.cli.WalletCommand;
import dev.magnetar.devnet.DevnetEndpointFile;
import dev.magnetar.engine.Engine;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.TronNetwork;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Selling with the product: two helpers, each a real daemon with its own data folder, trade on one
 * devnet — the seller's, which the buyer reaches through its settings' {@code chainEndpoint}. The
 * seller only sets an ask; the buyer boosts through the API the way the extension does (boost, the
 * approval with the wallet password, resume). The BTT the buyer sends arrives on the seller's address.
 */
class TwoHelpersTradeTest {

    private static final String PASSWORD = "seller and buyer";
    private static final BigInteger BTT = BigInteger.TEN.pow(18);
    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 12L * 1024 * 1024;

    @TempDir
    Path dir;

    private static TronAddress createWallet(Path data) throws Exception {
        Keystore keystore = new Keystore(Keystore.defaultFile(data), DaemonFixtures.FAST_SCRYPT, new SecureRandom());
        return keystore.create(TronKey.generate(new SecureRandom()), null, PASSWORD.toCharArray());
    }

    private static void faucet(Path data, TronAddress to) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new WalletCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int exit = cli.execute("faucet", "--address", to.toBase58(), "--trx", "1000", "--btt", "100", "--data-dir", data.toString());
        assertEquals(0, exit, err.toString());
    }

    private static BigInteger sum(JsonNode ledger, String direction, String status) {
        BigInteger total = BigInteger.ZERO;
        for (JsonNode e : ledger.path("entries")) {
            if (e.path("direction").asText().equals(direction) && (status == null || e.path("status").asText().equals(status))) {
                total = total.add(new BigInteger(e.path("amountBaseUnits").asText()));
            }
        }
        return total;
    }

    private static BigInteger balance(TronChainClient chain, TronAddress who) {
        try {
            return chain.bttBalance(who);
        } catch (Exception e) {
            throw new AssertionError("the seller's devnet did not answer: " + e.getMessage(), e);
        }
    }

    private static boolean allSentSettled(JsonNode ledger) {
        for (JsonNode e : ledger.path("entries")) {
            if (e.path("direction").asText().equals("SENT") && !e.path("status").asText().matches("CONFIRMED|FAILED")) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aSellerWithAnAskIsPaidInBttByABuyerOnItsDevnet() throws Exception {
        Path seller = Files.createDirectory(dir.resolve("seller"));
        Path buyer = Files.createDirectory(dir.resolve("buyer"));
        TorrentInfo info = TestTorrents.singleFile(seller.resolve("dl"), "paid.bin", PIECE, SIZE);
        byte[] torrentFile = Files.readAllBytes(TorrentFiles.write(info, dir.resolve("paid.torrent")));

        // The seller's user: a wallet, an ask of 1000 BTT/GiB and an upload cap (a home line), nothing else.
        TronAddress sellerAddress = createWallet(seller);
        TronAddress buyerAddress = createWallet(buyer);
        DaemonFixtures.writeSettings(seller, "\"devnetPort\":0,\"askPerGiBBtt\":\"1000\",\"uploadBytesPerSecond\":2097152");
        faucet(seller, buyerAddress); // test money on the seller's devnet, before its helper runs
        // The buyer pays every 1 BTT owed, so payments happen while the download runs.
        Files.writeString(buyer.resolve("speed.json"), "{\"paymentThresholdBtt\":\"1\",\"disconnectThresholdBtt\":\"3\"}");

        Engine[] sellerEngine = new Engine[1];
        try (Daemon sellerDaemon = Daemon.start(DaemonFixtures.offlineOptions(seller, sellerEngine))) {
            String devnet = DevnetEndpointFile.read(seller.resolve("devnet")).orElseThrow();
            DaemonFixtures.writeSettings(buyer, "\"devnetPort\":0,\"chainEndpoint\":\"" + devnet + "\"");
            DaemonApi sellerApi = new DaemonApi(sellerDaemon);
            String ih = info.infoHash().hex();
            assertEquals(201, sellerApi.post("/api/v1/torrents/file", "{\"torrentBase64\":\"" + Base64.getEncoder().encodeToString(torrentFile)
                    + "\",\"downloadDir\":\"" + seller.resolve("dl") + "\"}").status());
            sellerApi.await("/api/v1/torrents/" + ih, t -> t.path("status").path("state").asText().equals("SEEDING"), "the seller to seed");

            try (TronChainClient chain = new TronChainClient(TronNetwork.devnet(devnet));
                 Daemon buyerDaemon = Daemon.start(DaemonFixtures.offlineOptions(buyer, new Engine[1]))) {
                assertEquals(BigInteger.ZERO, chain.bttBalance(sellerAddress));
                assertTrue(Files.notExists(buyer.resolve("devnet").resolve("serving.json")), "the buyer runs no devnet of its own");
                DaemonApi buyerApi = new DaemonApi(buyerDaemon);
                String magnet = "magnet:?xt=urn:btih:" + ih + "&x.pe=127.0.0.1:" + sellerEngine[0].listenAddress().getPort();
                assertEquals(201, buyerApi.post("/api/v1/torrents/magnet", "{\"uri\":\"" + magnet + "\",\"paused\":true}").status());

                DaemonApi.Answer filed = buyerApi.post("/api/v1/torrents/" + ih + "/boost", "{\"capBtt\":\"40\",\"ratePerGiBBtt\":\"2000\"}");
                assertEquals(201, filed.status(), filed.json().toString());
                assertEquals(Long.toString(chain.chainId()), filed.json().path("chainId").asText(),
                        "the approval names the chain the buyer pays on, read from the seller's devnet");
                String budget = filed.json().path("id").asText();
                assertEquals(200, buyerApi.post("/api/v1/approvals/" + budget + "/approve", "{\"password\":\"" + PASSWORD + "\"}").status());
                assertEquals(200, buyerApi.post("/api/v1/torrents/" + ih + "/resume", "{}").status());

                buyerApi.await("/api/v1/torrents/" + ih, t -> t.path("status").path("verifiedBytes").asLong() == SIZE, "the download");
                assertArrayEquals(Files.readAllBytes(seller.resolve("dl").resolve("paid.bin")),
                        Files.readAllBytes(buyer.resolve("dl").resolve("paid.bin")));

                // Every confirmed BTT the buyer sent is on the seller's address (read together: a late payment may still be on its way).
                JsonNode sent = buyerApi.await("/api/v1/wallet/ledger", l -> allSentSettled(l) && sum(l, "SENT", "CONFIRMED").signum() > 0
                        && sum(l, "SENT", "CONFIRMED").equals(balance(chain, sellerAddress)), "the buyer's payments to reach the seller");
                BigInteger paid = sum(sent, "SENT", "CONFIRMED");
                assertTrue(paid.compareTo(BTT.multiply(BigInteger.valueOf(40))) <= 0, "never beyond the approved cap: " + paid);

                // The seller's helper checked the payments on chain and shows what it earned on the torrent.
                JsonNode earned = sellerApi.await("/api/v1/torrents/" + ih,
                        t -> new BigInteger(t.path("status").path("boost").path("earnedBaseUnits").asText("0")).signum() > 0, "the seller's earnings");
                BigInteger earnedOnTorrent = new BigInteger(earned.path("status").path("boost").path("earnedBaseUnits").asText());
                assertTrue(earnedOnTorrent.compareTo(paid) <= 0, "credited at most what reached the chain: " + earnedOnTorrent + " of " + paid);
                assertTrue(sum(sellerApi.get("/api/v1/wallet/ledger").json(), "RECEIVED", null).signum() > 0, "the seller's ledger lists them");
            }
        }
    }
}
