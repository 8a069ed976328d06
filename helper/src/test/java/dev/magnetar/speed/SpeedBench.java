package dev.magnetar.speed;

import static dev.magnetar.speed.SpeedNode.BTT;

import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.util.FileTrees;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.PaymentEntry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test (run it with {@code bench/speed}): a swarm shaped like real links. Two seeders
 * (upload capped at {@code bench.speed.seederKiB} KiB/s each, ask 100 BTT/GiB, the product's default paid
 * slots and unpaid share) and {@code bench.speed.downloaders} downloaders whose upload is capped like home
 * lines ({@code bench.speed.leecherKiB} KiB/s), all connected to each other as PEX would make them: a
 * boosted downloader A at several bid levels, a competing boosted downloader C bidding 150 BTT/GiB, and
 * unboosted downloaders B, D, E…. Measures the verified bytes each has when the first of them completes
 * (a window, so a finished downloader seeding to the others does not blur the figure), and prints A's bytes
 * ÷ B's, where each got its bytes from (seeders or other downloaders), A's payment overhead (BTT paid ÷ BTT
 * owed per its own meter) and its TRX fees per GiB bought. Rounds alternate the bid levels
 * ({@code bench.speed.rounds} passes) so load from other processes spreads over all of them. Asserts nothing.
 */
@EnabledIfSystemProperty(named = "bench.speed", matches = "true")
class SpeedBench {

    static final long MIB = 1L << 20;
    static final long KIB = 1L << 10;

    @Test
    void boostedBytesOverUnboostedAtSeveralBidLevels() throws Exception {
        long[] bids = java.util.Arrays.stream(System.getProperty("bench.speed.bids", "50,120,300").split(","))
                .mapToLong(Long::parseLong).toArray();
        int passes = Integer.getInteger("bench.speed.rounds", 2);
        System.out.println("bid A (BTT/GiB) | window s | A MiB | B MiB | A/B bytes | A from seeders/peers MiB | B from seeders/peers MiB | C from seeders MiB"
                + " | A paid BTT | A owed BTT | paid/owed | A fees TRX | fees TRX/GiB paid | load");
        for (int pass = 0; pass < passes; pass++) {
            for (long bid : bids) {
                Path root = Files.createTempDirectory("speed-bench");
                try (Devnet devnet = BlockProducingDevnet.start(root.resolve("devnet"))) {
                    round(root, devnet, bid);
                } finally {
                    FileTrees.delete(root); // each round writes ~450 MiB (content and eight downloaders' copies)
                }
            }
        }
    }

    private void round(Path root, Devnet devnet, long bidA) throws Exception {
        long seederUpload = Long.getLong("bench.speed.seederKiB", 4096) * KIB;
        long leecherUpload = Long.getLong("bench.speed.leecherKiB", 1024) * KIB;
        int downloaders = Math.max(4, Integer.getInteger("bench.speed.downloaders", 6));
        int unpaidPercent = Integer.getInteger("bench.speed.unpaidPercent", SpeedEconomy.DEFAULT_UNPAID_UPLOAD_PERCENT);
        long sizeMiB = Long.getLong("bench.speed.mib", 64);
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "bench.bin", 256 * 1024, sizeMiB * MIB);
        // The product's paid slots; P = 1 BTT so that A pays several times during the download, and D = 10 BTT
        // so that a chain thread slowed by a loaded machine does not cut an honest payer off (spec §7).
        SpeedSettings defaults = SpeedSettings.defaults();
        SpeedSettings seller = new SpeedSettings(BTT.multiply(BigInteger.valueOf(100)), Integer.getInteger("bench.speed.paidSlots", defaults.paidSlots()),
                BTT, BTT.multiply(BigInteger.TEN), BTT.shiftRight(2), defaults.confirmationThreshold(), defaults.noticeTimeout());
        SpeedSettings buyer = seller.withAsk(BigInteger.ZERO);
        List<SpeedNode> nodes = new ArrayList<>();
        try {
            SpeedNode s1 = node(nodes, new SpeedNode("seeder1", root, devnet, seller, unpaidPercent, seederUpload, null));
            SpeedNode s2 = node(nodes, new SpeedNode("seeder2", root, devnet, seller, unpaidPercent, seederUpload, null));
            List<SpeedNode> leechers = new ArrayList<>();
            String names = "abcdefghij";
            for (int i = 0; i < downloaders; i++) {
                leechers.add(node(nodes, new SpeedNode(String.valueOf(names.charAt(i)), root, devnet, buyer, unpaidPercent, leecherUpload, null)));
            }
            SpeedNode a = leechers.get(0);
            SpeedNode b = leechers.get(1);
            SpeedNode c = leechers.get(2);
            s1.add(info, root.resolve("content")).completion().get(60, TimeUnit.SECONDS);
            s2.add(info, root.resolve("content")).completion().get(60, TimeUnit.SECONDS);
            // Budgets large enough that the auto-bidder bids the approved rate (budget / remaining GiB is higher).
            a.approveBoost("a", info, BTT.multiply(BigInteger.valueOf(100)), BTT.multiply(BigInteger.valueOf(bidA)));
            c.approveBoost("c", info, BTT.multiply(BigInteger.valueOf(100)), BTT.multiply(BigInteger.valueOf(150)));
            List<Torrent> torrents = new ArrayList<>();
            for (SpeedNode l : leechers) {
                torrents.add(l.add(info, root.resolve(l.name)));
            }
            long start = System.nanoTime();
            for (int i = 0; i < torrents.size(); i++) {
                torrents.get(i).addPeer(s1.address());
                torrents.get(i).addPeer(s2.address());
                for (int j = 0; j < i; j++) {
                    torrents.get(i).addPeer(leechers.get(j).address()); // what PEX would tell them
                }
            }
            SpeedNode.awaitCondition(() -> torrents.stream().anyMatch(t -> t.verifiedBytes() == t.totalBytes()), "a downloader completes");
            double window = (System.nanoTime() - start) / 1e9;
            Torrent ta = torrents.get(0);
            Torrent tb = torrents.get(1);
            long bytesA = ta.verifiedBytes();
            long bytesB = tb.verifiedBytes();
            String sourcesA = sources(a, ta, s1, s2);
            String sourcesB = sources(b, tb, s1, s2);
            TorrentSpeed speedC = c.speed(torrents.get(2));
            double cFromSeeders = (speedC.pieceBytesReceivedFrom(s1.key.address()) + speedC.pieceBytesReceivedFrom(s2.key.address())) / (double) MIB;
            for (Torrent t : torrents) {
                t.completion().get(300, TimeUnit.SECONDS);
            }
            TorrentSpeed speed = a.speed(ta);
            String unsettled = "";
            try {
                SpeedNode.awaitCondition(() -> List.of(s1, s2).stream().allMatch(s -> speed.download().account(s.key.address())
                        .map(x -> x.unpaid().signum() == 0 && x.unacknowledged().signum() == 0).orElse(true)), "A settled");
                SpeedNode.awaitCondition(() -> a.ledger.unsettled().isEmpty(), "A's payments confirmed");
            } catch (AssertionError e) {
                StringBuilder why = new StringBuilder(" | NOT SETTLED:");
                for (SpeedNode s : List.of(s1, s2)) {
                    speed.download().account(s.key.address()).ifPresent(x -> why.append(" ").append(s.name).append(" unpaid ")
                            .append(BttAmount.formatBtt(x.unpaid())).append(" unacknowledged ").append(BttAmount.formatBtt(x.unacknowledged())));
                }
                unsettled = why.append(" ledger unsettled ").append(a.ledger.unsettled().size()).toString();
            }
            BigInteger owed = BigInteger.ZERO;
            long paidBytes = 0;
            for (SpeedNode s : List.of(s1, s2)) {
                owed = owed.add(speed.download().account(s.key.address()).map(PayerAccount::owed).orElse(BigInteger.ZERO));
                paidBytes += speed.download().account(s.key.address()).map(PayerAccount::paidBytes).orElse(0L);
            }
            BigInteger paid = a.ledgerSum(PaymentEntry.Direction.SENT);
            String ratio = owed.signum() == 0 ? "n/a" : new BigDecimal(paid).divide(new BigDecimal(owed), 6, RoundingMode.HALF_UP).toPlainString();
            double fees = a.ledgerFees() / 1e6;
            String feesPerGiB = paidBytes == 0 ? "n/a" : String.format("%.1f", fees / (paidBytes / (double) (1L << 30)));
            System.out.printf("%15d | %8.1f | %5.1f | %5.1f | %9.2f | %24s | %24s | %17.1f | %10s | %10s | %9s | %10.3f | %17s | %.1f%n", bidA, window,
                    bytesA / (double) MIB, bytesB / (double) MIB, bytesA / (double) Math.max(1, bytesB), sourcesA, sourcesB, cFromSeeders,
                    BttAmount.formatBtt(paid), BttAmount.formatBtt(owed), ratio, fees, feesPerGiB, loadAverage());
            if (!unsettled.isEmpty()) {
                System.out.println(bidA + unsettled);
            }
        } finally {
            for (SpeedNode n : nodes) {
                n.close();
            }
        }
    }

    private static SpeedNode node(List<SpeedNode> nodes, SpeedNode n) {
        nodes.add(n);
        return n;
    }

    /** Piece bytes (first copies of requested blocks) from the two seeders and from everyone else. */
    private static String sources(SpeedNode who, Torrent t, SpeedNode s1, SpeedNode s2) {
        TorrentSpeed speed = who.speed(t);
        long fromSeeders = speed.pieceBytesReceivedFrom(s1.key.address()) + speed.pieceBytesReceivedFrom(s2.key.address());
        long fromPeers = Math.max(0, t.status().downloadedBytes() - fromSeeders);
        return String.format("%.1f / %.1f", fromSeeders / (double) MIB, fromPeers / (double) MIB);
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
