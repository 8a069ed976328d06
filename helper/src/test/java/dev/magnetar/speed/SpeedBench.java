package dev.magnetar.speed;

import static dev.magnetar.speed.SpeedNode.BTT;

import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.PaymentEntry;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test (run it with {@code bench/speed}): two capped seeders (2 MiB/s each, ask
 * 100 BTT/GiB, one paid slot each), a boosted downloader A at several bid levels, a competing boosted
 * downloader C bidding 150 BTT/GiB and an unboosted downloader B, all at once. Prints A's speed-up over
 * B (B's download time ÷ A's) and A's payment overhead (BTT paid ÷ BTT owed for the paid data it
 * received, per its own meter), plus the TRX fees. Asserts nothing.
 */
@EnabledIfSystemProperty(named = "bench.speed", matches = "true")
class SpeedBench {

    static final long MIB = 1L << 20;

    @Test
    void speedUpAndPaymentOverheadAtSeveralBidLevels() throws Exception {
        long[] bids = {50, 120, 300};
        System.out.println("bid A (BTT/GiB) | A s | B s | speed-up B/A | A paid BTT | A owed BTT | paid/owed | A fees TRX");
        for (long bid : bids) {
            Path root = Files.createTempDirectory("speed-bench");
            try (Devnet devnet = Devnet.start(new Devnet.Config(root.resolve("devnet"), 0, Duration.ofMillis(200), 2, Clock.systemUTC()))) {
                round(root, devnet, bid);
            }
        }
    }

    private void round(Path root, Devnet devnet, long bidA) throws Exception {
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "bench.bin", 256 * 1024, 32 * MIB);
        SpeedSettings seller = SpeedSwarmTest.sellerSettings();
        SpeedSettings buyer = seller.withAsk(BigInteger.ZERO);
        try (SpeedNode s1 = new SpeedNode("seeder1", root, devnet, seller, 25, 2 * MIB, null);
                SpeedNode s2 = new SpeedNode("seeder2", root, devnet, seller, 25, 2 * MIB, null);
                SpeedNode a = new SpeedNode("a", root, devnet, buyer, 25, 0, null);
                SpeedNode b = new SpeedNode("b", root, devnet, buyer, 25, 0, null);
                SpeedNode c = new SpeedNode("c", root, devnet, buyer, 25, 0, null)) {
            s1.add(info, root.resolve("content")).completion().get(60, TimeUnit.SECONDS);
            s2.add(info, root.resolve("content")).completion().get(60, TimeUnit.SECONDS);
            // Budgets large enough that the auto-bidder bids the approved rate (budget / remaining GiB is higher).
            a.approveBoost("a", info, BTT.multiply(BigInteger.valueOf(100)), BTT.multiply(BigInteger.valueOf(bidA)));
            c.approveBoost("c", info, BTT.multiply(BigInteger.valueOf(100)), BTT.multiply(BigInteger.valueOf(150)));
            long start = System.nanoTime();
            Torrent ta = a.add(info, root.resolve("a"));
            Torrent tb = b.add(info, root.resolve("b"));
            Torrent tc = c.add(info, root.resolve("c"));
            for (Torrent t : List.of(ta, tb, tc)) {
                t.addPeer(s1.address());
                t.addPeer(s2.address());
            }
            CompletableFuture<Double> doneA = ta.completion().thenApply(v -> (System.nanoTime() - start) / 1e9);
            CompletableFuture<Double> doneB = tb.completion().thenApply(v -> (System.nanoTime() - start) / 1e9);
            double secondsA = doneA.get(180, TimeUnit.SECONDS);
            double secondsB = doneB.get(180, TimeUnit.SECONDS);
            tc.completion().get(180, TimeUnit.SECONDS);
            TorrentSpeed speed = a.speed(ta);
            SpeedNode.awaitCondition(() -> List.of(s1, s2).stream().allMatch(s -> speed.download().account(s.key.address())
                    .map(x -> x.unpaid().signum() == 0 && x.unacknowledged().signum() == 0).orElse(true)), "A settled");
            SpeedNode.awaitCondition(() -> a.ledger.unsettled().isEmpty(), "A's payments confirmed");
            BigInteger owed = BigInteger.ZERO;
            for (SpeedNode s : List.of(s1, s2)) {
                owed = owed.add(speed.download().account(s.key.address()).map(PayerAccount::owed).orElse(BigInteger.ZERO));
            }
            BigInteger paid = a.ledgerSum(PaymentEntry.Direction.SENT);
            String ratio = owed.signum() == 0 ? "n/a (nothing owed)" : new java.math.BigDecimal(paid)
                    .divide(new java.math.BigDecimal(owed), 6, java.math.RoundingMode.HALF_UP).toPlainString();
            System.out.printf("%15d | %4.1f | %4.1f | %12.2f | %10s | %10s | %9s | %.6f%n", bidA, secondsA, secondsB, secondsB / secondsA,
                    BttAmount.formatBtt(paid), BttAmount.formatBtt(owed), ratio, a.ledgerFees() / 1e6);
        }
    }
}
