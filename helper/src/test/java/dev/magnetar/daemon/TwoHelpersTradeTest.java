package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.devnet.DevnetEndpointFile;
import dev.magnetar.engine.Engine;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Selling with the product: two helpers, each a real daemon with its own data folder, trade on one
 * devnet — the seller's, which the buyer reaches through its settings' {@code chainEndpoint}. The
 * seller only sets an ask; the buyer boosts through the API the way the extension does. The BTT the
 * buyer sends arrives on the seller's address, and the seller's helper shows it as earned.
 */
class TwoHelpersTradeTest {

    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 12L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aSellerWithAnAskIsPaidInBttByABuyerOnItsDevnet() throws Exception {
        Path seller = Files.createDirectory(dir.resolve("seller"));
        Path buyer = Files.createDirectory(dir.resolve("buyer"));
        TorrentInfo info = TestTorrents.singleFile(seller.resolve("dl"), "paid.bin", PIECE, SIZE);
        byte[] torrentFile = Files.readAllBytes(TorrentFiles.write(info, dir.resolve("paid.torrent")));

        // The seller's user: a wallet, an ask of 1000 BTT/GiB and an upload cap (a home line), nothing else.
        TronAddress sellerAddress = BoostingBuyer.createWallet(seller);
        DaemonFixtures.writeSettings(seller, "\"devnetPort\":0,\"askPerGiBBtt\":\"1000\",\"uploadBytesPerSecond\":2097152");
        BoostingBuyer.fund(seller, BoostingBuyer.prepare(buyer)); // test money on the seller's devnet, before its helper runs

        Engine[] sellerEngine = new Engine[1];
        try (Daemon sellerDaemon = Daemon.start(DaemonFixtures.offlineOptions(seller, sellerEngine))) {
            DaemonApi sellerApi = new DaemonApi(sellerDaemon);
            sellerApi.awaitChain();
            String devnet = DevnetEndpointFile.read(seller.resolve("devnet")).orElseThrow();
            String ih = info.infoHash().hex();
            sellerApi.seed(torrentFile, seller.resolve("dl"), ih);

            BoostingBuyer.Trade trade = BoostingBuyer.buy(buyer, devnet, ih, sellerEngine[0].listenAddress().getPort(),
                    seller.resolve("dl").resolve("paid.bin"), sellerAddress);
            assertEquals(Long.toString(trade.chainId()), trade.approval().path("chainId").asText(),
                    "the approval names the chain the buyer pays on, read from the seller's devnet");
            // Fees before approval: the estimate is what the first payment (to a seller holding no BTT yet) burnt;
            // later ones, to a holder, burn less; the budget's estimate covers a payment every 1 BTT of the 40 BTT cap.
            long perPayment = Long.parseLong(trade.approval().path("feePerPaymentSun").asText());
            assertEquals(40, trade.approval().path("feePayments").asLong());
            assertEquals(perPayment * 40, Long.parseLong(trade.approval().path("feeForBudgetSun").asText()));
            long highest = 0;
            for (JsonNode e : trade.ledger().path("entries")) {
                if (e.path("status").asText().equals("CONFIRMED")) {
                    assertTrue(e.path("feeSun").asLong() <= perPayment, e.toString());
                    highest = Math.max(highest, e.path("feeSun").asLong());
                }
            }
            assertEquals(perPayment, highest);

            // The seller's helper checked the payments on chain and shows what it earned on the torrent.
            JsonNode earned = sellerApi.await("/api/v1/torrents/" + ih,
                    t -> new BigInteger(t.path("status").path("boost").path("earnedBaseUnits").asText("0")).signum() > 0, "the seller's earnings");
            BigInteger earnedOnTorrent = new BigInteger(earned.path("status").path("boost").path("earnedBaseUnits").asText());
            assertTrue(earnedOnTorrent.compareTo(trade.paid()) <= 0, "credited at most what reached the chain: " + earnedOnTorrent + " of " + trade.paid());
            assertTrue(BoostingBuyer.sum(sellerApi.get("/api/v1/wallet/ledger").json(), "RECEIVED", null).signum() > 0,
                    "the seller's ledger lists them");
        }
    }

    /**
     * A buyer with TRX for one payment's fee: the first payment goes through; the next is never sent (it
     * would burn the TRX left and fail), the boost stops bidding and says why, and the download goes on
     * unboosted to the end. No TRX is burnt beyond the payment that went through.
     */
    @Test
    void aBuyerWhoseTrxCannotCoverTheNextFeeStopsPayingAndSaysWhy() throws Exception {
        Path seller = Files.createDirectory(dir.resolve("seller"));
        Path buyer = Files.createDirectory(dir.resolve("buyer"));
        TorrentInfo info = TestTorrents.singleFile(seller.resolve("dl"), "paid.bin", PIECE, SIZE);
        byte[] torrentFile = Files.readAllBytes(TorrentFiles.write(info, dir.resolve("paid.torrent")));
        TronAddress sellerAddress = BoostingBuyer.createWallet(seller);
        DaemonFixtures.writeSettings(seller, "\"devnetPort\":0,\"askPerGiBBtt\":\"1000\",\"uploadBytesPerSecond\":2097152");
        TronAddress buyerAddress = BoostingBuyer.prepare(buyer);
        BoostingBuyer.fund(seller, buyerAddress, "8"); // one payment to a new holder burns about 6.2 TRX

        Engine[] sellerEngine = new Engine[1];
        try (Daemon sellerDaemon = Daemon.start(DaemonFixtures.offlineOptions(seller, sellerEngine))) {
            DaemonApi sellerApi = new DaemonApi(sellerDaemon);
            sellerApi.awaitChain();
            String devnet = DevnetEndpointFile.read(seller.resolve("devnet")).orElseThrow();
            String ih = info.infoHash().hex();
            sellerApi.seed(torrentFile, seller.resolve("dl"), ih);

            DaemonFixtures.writeSettings(buyer, "\"devnetPort\":0,\"chainEndpoint\":\"" + devnet + "\"");
            try (TronChainClient chain = new TronChainClient(TronNetwork.devnet(devnet));
                 Daemon buyerDaemon = Daemon.start(DaemonFixtures.offlineOptions(buyer, new Engine[1]))) {
                DaemonApi api = new DaemonApi(buyerDaemon);
                JsonNode approval = BoostingBuyer.boost(api, ih, sellerEngine[0].listenAddress().getPort());
                assertTrue(Long.parseLong(approval.path("feeForBudgetSun").asText()) > 8_000_000L,
                        "the approval could tell: the budget's fees exceed the 8 TRX held");

                JsonNode stopped = api.await("/api/v1/torrents/" + ih,
                        t -> t.path("status").path("boost").path("note").asText("").contains("cannot cover the network fee"),
                        "the boost to say it stopped paying for want of TRX");
                assertTrue(stopped.path("status").path("boost").path("note").asText().contains("add TRX"), stopped.toString());
                api.await("/api/v1/torrents/" + ih, t -> t.path("status").path("verifiedBytes").asLong() == SIZE,
                        "the download to finish unboosted");
                JsonNode done = api.get("/api/v1/torrents/" + ih).json();
                assertEquals(false, done.path("status").path("boost").path("boosted").asBoolean(), done.toString());

                JsonNode ledger = api.await("/api/v1/wallet/ledger", l -> l.path("entries").size() > 0
                        && l.path("entries").get(0).path("status").asText().equals("CONFIRMED"), "the one payment to confirm");
                long feesBurnt = 0;
                for (JsonNode e : ledger.path("entries")) {
                    assertEquals("CONFIRMED", e.path("status").asText(), "no payment was sent that could not pay its fee: " + e);
                    feesBurnt += e.path("feeSun").asLong();
                }
                assertEquals(8_000_000L - feesBurnt, chain.trxBalanceSun(buyerAddress), "no TRX burnt by a failing transfer");
                assertEquals(BoostingBuyer.sum(ledger, "SENT", "CONFIRMED"), chain.bttBalance(sellerAddress));
            }
        }
    }
}
