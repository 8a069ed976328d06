package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.devnet.DevnetEndpointFile;
import dev.magnetar.engine.Engine;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentStatus;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a paid download, once the payer's helper and once the seller's, each a real
 * helper process ({@code magnetar daemon}, {@code magnetar seed --ask}) restarted on the same data
 * folder. Killed right after the first payment is confirmed (payer) or credited (seller), read from the
 * helper's own records — never after a sleep. Afterwards, on the devnet: nothing was paid twice (what the
 * payer paid is exactly what its last receipt acknowledged), no payment is lost (every BTT that left the
 * payer is on the seller's address and credited in the seller's ledger), and the seller's books accepted
 * the very receipt the payer last signed.
 */
class SpeedSessionKillTest {

    private static final int PIECE = 256 * 1024;
    /** 32 MiB from a seller capped at 1 MiB/s: long enough that a kill after the first payment is mid-session. */
    private static final long SIZE = 32L * 1024 * 1024;
    private static final BigInteger FUNDED = BoostingBuyer.BTT.multiply(BigInteger.valueOf(100));
    private static final Pattern DAEMON_LISTENING = Pattern.compile("daemon listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern SEEDING_ON = Pattern.compile("seeding .* on 127\\.0\\.0\\.1:(\\d+);");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aPayerKilledMidSessionGoesOnWithoutPayingTwiceOrLosingAPayment() throws Exception {
        Path seller = Files.createDirectory(dir.resolve("seller"));
        Path buyer = Files.createDirectory(dir.resolve("buyer"));
        TorrentInfo info = TestTorrents.singleFile(seller.resolve("dl"), "paid.bin", PIECE, SIZE);
        byte[] torrentFile = Files.readAllBytes(TorrentFiles.write(info, dir.resolve("paid.torrent")));
        String ih = info.infoHash().hex();
        TronAddress sellerAddress = BoostingBuyer.createWallet(seller);
        DaemonFixtures.writeSettings(seller, "\"devnetPort\":0,\"askPerGiBBtt\":\"1000\",\"uploadBytesPerSecond\":1048576");
        TronAddress buyerAddress = BoostingBuyer.prepare(buyer);
        BoostingBuyer.fund(seller, buyerAddress);

        Engine[] sellerEngine = new Engine[1];
        try (Daemon sellerDaemon = Daemon.start(DaemonFixtures.offlineOptions(seller, sellerEngine))) {
            DaemonApi sellerApi = new DaemonApi(sellerDaemon);
            sellerApi.awaitChain();
            String devnet = DevnetEndpointFile.read(seller.resolve("devnet")).orElseThrow();
            sellerApi.seed(torrentFile, seller.resolve("dl"), ih);
            DaemonFixtures.writeSettings(buyer, "\"devnetPort\":0,\"chainEndpoint\":\"" + devnet + "\"");

            try (TronChainClient chain = new TronChainClient(TronNetwork.devnet(devnet))) {
                HelperProcess.Started first = startPayer(buyer, 1);
                try (HelperProcess payer = first.helper()) {
                    DaemonApi api = new DaemonApi(first.port(), buyer);
                    BoostingBuyer.boost(api, ih, sellerEngine[0].listenAddress().getPort());
                    api.await("/api/v1/wallet/ledger", l -> BoostingBuyer.sum(l, "SENT", "CONFIRMED").signum() > 0,
                            "the payer's first confirmed payment");
                    payer.kill();
                }
                BigInteger sentBeforeKill = sent(buyer);
                long servedBeforeRestart = sellerApi.get("/api/v1/torrents/" + ih).json().path("status").path("uploadedBytes").asLong();
                assertTrue(servedBeforeRestart < SIZE, "killed mid-session: the seller had served " + servedBeforeRestart + " of " + SIZE);

                HelperProcess.Started second = startPayer(buyer, 2);
                try (HelperProcess payer = second.helper()) {
                    DaemonApi api = new DaemonApi(second.port(), buyer);
                    // The restarted helper's wallet is locked until its user unlocks it (the popup asks): it signs nothing before.
                    DaemonApi.Answer unlocked = api.post("/api/v1/wallet/unlock", "{\"password\":\"" + BoostingBuyer.PASSWORD + "\"}");
                    assertEquals(200, unlocked.status(), unlocked.json().toString());
                    api.await("/api/v1/torrents/" + ih, t -> t.path("status").path("verifiedBytes").asLong() == SIZE, "the resumed download");
                    assertArrayEquals(Files.readAllBytes(seller.resolve("dl").resolve("paid.bin")),
                            Files.readAllBytes(buyer.resolve("dl").resolve("paid.bin")));

                    Books books = new Books(buyer, seller, ih, buyerAddress, sellerAddress, chain);
                    awaitTrue(books::settled, "the payer's books, the seller's and the chain to settle: " , books);
                    books.assertAgree();
                    assertTrue(books.paid.compareTo(sentBeforeKill) > 0, "the restarted payer paid on: " + sentBeforeKill + " before the kill");
                }
            }
        }
    }

    @Test
    void aSellerKilledMidSessionGoesOnAndCreditsEveryPayment() throws Exception {
        Path seller = Files.createDirectory(dir.resolve("seller"));
        Path buyer = Files.createDirectory(dir.resolve("buyer"));
        TorrentInfo info = TestTorrents.singleFile(seller.resolve("content"), "sold.bin", PIECE, SIZE);
        Path torrent = TorrentFiles.write(info, dir.resolve("sold.torrent"));
        String ih = info.infoHash().hex();
        TronAddress sellerAddress = BoostingBuyer.createWallet(seller);
        DaemonFixtures.writeSettings(seller, "\"devnetPort\":0");
        TronAddress buyerAddress = BoostingBuyer.prepare(buyer);
        BoostingBuyer.fund(buyer, buyerAddress); // the buyer's helper serves the devnet: it outlives the seller's kill
        DaemonFixtures.writeSettings(buyer, "\"devnetPort\":0");

        try (Daemon buyerDaemon = Daemon.start(DaemonFixtures.offlineOptions(buyer, new Engine[1]))) {
            DaemonApi api = new DaemonApi(buyerDaemon);
            api.awaitChain();
            String devnet = DevnetEndpointFile.read(buyer.resolve("devnet")).orElseThrow();
            String[] seed = {"seed", torrent.toString(), "--dir", seller.resolve("content").toString(), "--port", "0", "--bind", "127.0.0.1",
                "--max-up", "1024", "--no-dht", "--no-pex", "--no-lsd", "--ask", "1000", "--data-dir", seller.toString(), "--endpoint", devnet};
            Path sellerLedger = seller.resolve("wallet").resolve("ledger-devnet.json");
            try (TronChainClient chain = new TronChainClient(TronNetwork.devnet(devnet))) {
                HelperProcess.Started first = HelperProcess.start("Main", dir.resolve("seller-1.log"), SEEDING_ON, seed);
                try (HelperProcess seller1 = first.helper()) {
                    BoostingBuyer.boost(api, ih, first.port());
                    awaitTrue(() -> credited(sellerLedger).signum() > 0, "the seller to credit a first payment", sellerLedger);
                    seller1.kill();
                }
                BigInteger creditedBeforeKill = credited(sellerLedger);
                long verifiedAtKill = api.get("/api/v1/torrents/" + ih).json().path("status").path("verifiedBytes").asLong();
                assertTrue(verifiedAtKill < SIZE, "killed mid-session: " + verifiedAtKill + " of " + SIZE + " bytes were verified");

                HelperProcess.Started second = HelperProcess.start("Main", dir.resolve("seller-2.log"), SEEDING_ON, seed);
                try (HelperProcess seller2 = second.helper()) {
                    // The user clicks the magnet again: its x.pe names where the seller listens now.
                    DaemonApi.Answer again = api.post("/api/v1/torrents/magnet",
                            "{\"uri\":\"magnet:?xt=urn:btih:" + ih + "&x.pe=127.0.0.1:" + second.port() + "\"}");
                    assertTrue(again.status() / 100 == 2, again.json().toString());
                    api.await("/api/v1/torrents/" + ih, t -> t.path("status").path("verifiedBytes").asLong() == SIZE, "the download after the restart");
                    assertArrayEquals(Files.readAllBytes(seller.resolve("content").resolve("sold.bin")),
                            Files.readAllBytes(buyer.resolve("dl").resolve("sold.bin")));

                    Books books = new Books(buyer, seller, ih, buyerAddress, sellerAddress, chain);
                    awaitTrue(books::settled, "the payer's books, the seller's and the chain to settle", books);
                    books.assertAgree();
                    assertTrue(books.credited.compareTo(creditedBeforeKill) > 0, "the restarted seller credited more: " + creditedBeforeKill + " before");
                }
            }
        }
    }

    private HelperProcess.Started startPayer(Path buyer, int run) throws Exception {
        return HelperProcess.start("OfflineDaemonMain", dir.resolve("payer-" + run + ".log"), DAEMON_LISTENING,
                "daemon", "--data-dir", buyer.toString(), "--port", "0");
    }

    /** What the payer's ledger says it sent (confirmed or on its way), read from its file. */
    private static BigInteger sent(Path buyer) throws Exception {
        BigInteger sum = BigInteger.ZERO;
        for (PaymentEntry e : PaymentLedger.open(buyer.resolve("wallet").resolve("ledger-devnet.json"), Clock.systemUTC()).entries()) {
            if (e.direction() == PaymentEntry.Direction.SENT && e.status() != PaymentStatus.FAILED) {
                sum = sum.add(e.amountBaseUnits());
            }
        }
        return sum;
    }

    /** What the seller's ledger credited (RECEIVED, not failed): written before each credit (spec §6.4). */
    static BigInteger credited(Path sellerLedger) {
        if (!Files.exists(sellerLedger)) {
            return BigInteger.ZERO;
        }
        try {
            BigInteger sum = BigInteger.ZERO;
            for (PaymentEntry e : PaymentLedger.open(sellerLedger, Clock.systemUTC()).entries()) {
                if (e.direction() == PaymentEntry.Direction.RECEIVED && e.status() != PaymentStatus.FAILED) {
                    sum = sum.add(e.amountBaseUnits());
                }
            }
            return sum;
        } catch (Exception e) {
            return BigInteger.ZERO; // being replaced right now: asked again
        }
    }

    private static void awaitTrue(BooleanSupplier done, String what, Object state) throws InterruptedException {
        long deadline = System.nanoTime() + DaemonApi.HANG_GUARD.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting for " + what + "; " + state);
            }
            Thread.sleep(200); // polling pace only
        }
    }

    /**
     * Everybody's record of the session, read from their files and the chain: the payer's ledger and its
     * last receipt (speed-sessions), the seller's ledger and its books (speed-sales), both balances.
     */
    private static final class Books {
        private final Path buyer;
        private final Path seller;
        private final String ih;
        private final TronAddress buyerAddress;
        private final TronAddress sellerAddress;
        private final TronChainClient chain;
        private BigInteger paid;
        private int sentEntries;
        private boolean unsettledSends;
        private Set<String> txids;
        private BigInteger lastReceipt;
        private BigInteger acceptedBySeller;
        private BigInteger credited;
        private BigInteger sellerBalance;
        private BigInteger buyerBalance;

        Books(Path buyer, Path seller, String ih, TronAddress buyerAddress, TronAddress sellerAddress, TronChainClient chain) {
            this.buyer = buyer;
            this.seller = seller;
            this.ih = ih;
            this.buyerAddress = buyerAddress;
            this.sellerAddress = sellerAddress;
            this.chain = chain;
        }

        boolean settled() {
            try {
                read();
            } catch (Exception e) {
                return false; // a file being replaced, the chain busy: asked again
            }
            return !unsettledSends && paid.signum() > 0 && paid.equals(lastReceipt) && paid.equals(credited) && paid.equals(sellerBalance)
                    && acceptedBySeller.signum() > 0 && acceptedBySeller.compareTo(lastReceipt) <= 0;
        }

        private void read() throws Exception {
            paid = BigInteger.ZERO;
            sentEntries = 0;
            unsettledSends = false;
            txids = new HashSet<>();
            for (PaymentEntry e : PaymentLedger.open(buyer.resolve("wallet").resolve("ledger-devnet.json"), Clock.systemUTC()).entries()) {
                if (e.direction() != PaymentEntry.Direction.SENT) {
                    continue;
                }
                sentEntries++;
                if (e.status() == PaymentStatus.CONFIRMED) {
                    paid = paid.add(e.amountBaseUnits());
                    txids.add(e.txid());
                } else if (e.status() != PaymentStatus.FAILED) {
                    unsettledSends = true;
                }
            }
            lastReceipt = new BigInteger(JSON.readTree(buyer.resolve("speed-sessions-devnet.json").toFile())
                    .path(ih + ":" + sellerAddress.toBase58()).path("amount").asText("0"));
            acceptedBySeller = new BigInteger(JSON.readTree(seller.resolve("speed-sales-devnet.json").toFile())
                    .path(ih + ":" + buyerAddress.toBase58()).path("acceptedAmount").asText("0"));
            credited = credited(seller.resolve("wallet").resolve("ledger-devnet.json"));
            sellerBalance = chain.bttBalance(sellerAddress);
            buyerBalance = chain.bttBalance(buyerAddress);
        }

        void assertAgree() {
            System.out.println("after the kill: " + this);
            assertEquals(lastReceipt, paid, "the payer paid exactly what its last receipt acknowledged: nothing twice, nothing short");
            assertEquals(paid, sellerBalance, "every BTT the payer paid reached the seller's address");
            assertEquals(paid, credited, "the seller credited every payment, each once");
            // The payer's last receipt can still be in flight when the finished download's connection closes
            // (two seeds part) and no later connection carries it, so the seller may hold the one before it
            // (seen once in CI under stress-ng: 29.57 of 30.06 BTT). What must agree is the money above; the
            // seller never holds a receipt for more than the payer signed.
            assertTrue(acceptedBySeller.signum() > 0 && acceptedBySeller.compareTo(lastReceipt) <= 0,
                    "the seller accepted the payer's receipts, none beyond the last: " + acceptedBySeller + " of " + lastReceipt);
            assertEquals(FUNDED.subtract(paid), buyerBalance, "the payer's BTT went only to the seller");
            assertTrue(txids.size() > 1, "more than one payment, before and after the kill: " + txids);
        }

        @Override
        public String toString() {
            return "paid " + paid + " in " + sentEntries + " sends (unsettled " + unsettledSends + "), last receipt " + lastReceipt
                    + ", seller accepted " + acceptedBySeller + ", credited " + credited + ", seller holds " + sellerBalance
                    + ", buyer holds " + buyerBalance;
        }
    }
}
