package dev.magnetar.speed;

import static dev.magnetar.speed.SpeedNode.BTT;
import static dev.magnetar.speed.SpeedNode.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.TronKey;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Magnetar payer on the embedded devnet against seeders that cheat, each written from the spec
 * over a plain socket ({@link DishonestSeeder}): 4 MiB torrent, 256 KiB pieces, ask 100 BTT/GiB, bid
 * 200 BTT/GiB. Whatever the seeder does, the payer's BTT loss — measured on chain — stays within its
 * own price × (verified bytes + one piece per seeder) (protocol-spec/speed-extension.md §8), and
 * within the approved cap.
 */
class DishonestSeederTest {

    private static final long MIB = 1L << 20;
    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 4 * MIB;
    private static final BigInteger ASK = BTT.multiply(BigInteger.valueOf(100));
    private static final BigInteger BID = BTT.multiply(BigInteger.valueOf(200));
    private static final BigInteger CAP = BTT.multiply(BigInteger.valueOf(50));
    private static final long PRICE_REFUSED = SpeedErrorCode.PRICE_REFUSED.code();

    @TempDir
    Path root;

    private Devnet devnet;
    private TorrentInfo info;
    private byte[] content;
    private SpeedNode payer;
    private final List<DishonestSeeder> seeders = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        devnet = BlockProducingDevnet.start(root.resolve("devnet"));
        info = TestTorrents.singleFile(root.resolve("content"), "cheat.bin", PIECE, SIZE);
        content = Files.readAllBytes(root.resolve("content").resolve("cheat.bin"));
        // The payer sells nothing; it pays every 0.05 BTT (about half a MiB at the ask), a receipt every 0.0125 BTT; a
        // confirmed payment's notice left unanswered is proved again after a second (§4.5).
        SpeedSettings settings = new SpeedSettings(BigInteger.ZERO, 1, BTT.divide(BigInteger.valueOf(20)), BTT.divide(BigInteger.TEN),
                BTT.divide(BigInteger.valueOf(80)), BTT.multiply(BigInteger.valueOf(100)), Duration.ofSeconds(120), Duration.ofSeconds(1));
        payer = new SpeedNode("payer", root, devnet, settings, 25, 0, null);
    }

    @AfterEach
    void stop() throws Exception {
        for (DishonestSeeder s : seeders) {
            s.close();
        }
        payer.close();
        devnet.close();
    }

    private DishonestSeeder seeder(DishonestSeeder.Cheat cheat) throws Exception {
        TronKey key = TronKey.generate(new SecureRandom());
        SpeedNetwork n = payer.network;
        DishonestSeeder s = new DishonestSeeder(cheat,
                new DishonestSeeder.Terms(key.address().toBase58(), n.name(), n.chainId(), n.token().toBase58(), ASK),
                info.infoHash().bytes(), content, PIECE);
        seeders.add(s);
        return s;
    }

    /** What the payer lost, read from the chain once every payment it made has landed. */
    private record Outcome(BigInteger lossBaseUnits, long verifiedBytes) {}

    /**
     * Stops the download (final receipts and payments, spec P6/P7), lets the chain settle and returns
     * the payer's BTT loss on chain.
     */
    private Outcome settle(Torrent t, BigInteger bttBefore) throws Exception {
        long verified = t.verifiedBytes();
        payer.engine.close();
        payer.economy.close(); // waits for the final payments on the chain thread
        BigInteger sent = payer.ledgerSum(PaymentEntry.Direction.SENT);
        awaitCondition(() -> {
            try {
                return bttBefore.subtract(payer.btt()).equals(sent);
            } catch (Exception e) {
                return false;
            }
        }, "every payment in the payer's ledger is on chain");
        return new Outcome(bttBefore.subtract(payer.btt()), verified);
    }

    /** The §8 bound: own price × (verified bytes + one piece per seller), and the cap. */
    private void assertWithinTheBound(Outcome o, BigInteger ownPrice, int sellers, String what) {
        BigInteger bound = ownPrice.multiply(BigInteger.valueOf(o.verifiedBytes() + (long) sellers * PIECE)).shiftRight(30);
        System.out.printf("%s: payer lost %s BTT on chain; verified %d bytes; bound %s BTT; cap %s BTT%n", what,
                new java.math.BigDecimal(o.lossBaseUnits(), 18).stripTrailingZeros().toPlainString(), o.verifiedBytes(),
                new java.math.BigDecimal(bound, 18).stripTrailingZeros().toPlainString(),
                new java.math.BigDecimal(CAP, 18).stripTrailingZeros().toPlainString());
        assertTrue(o.lossBaseUnits().compareTo(bound) <= 0, what + ": lost " + o.lossBaseUnits() + " > bound " + bound);
        assertTrue(o.lossBaseUnits().compareTo(CAP) <= 0, what + ": lost " + o.lossBaseUnits() + " > cap " + CAP);
    }

    private Torrent boostedDownloadFrom(BigInteger approvedRate, DishonestSeeder... from) throws Exception {
        payer.approveBoost("boost", info, CAP, approvedRate);
        Torrent t = payer.add(info, root.resolve("payer"));
        for (DishonestSeeder s : from) {
            t.addPeer(s.address());
        }
        return t;
    }

    // ------------------------------------------------------------------ P2: prices never agreed to

    @Test
    void wonAtTenThousandBttPerGibIsRefusedAndNothingIsPaid() throws Exception {
        assertPriceRefusedAndNothingPaid(DishonestSeeder.Cheat.OVERCHARGES, BID, "overcharge");
    }

    @Test
    void wonAboveOurBidIsRefusedAndNothingIsPaid() throws Exception {
        BigInteger approved = BTT.multiply(BigInteger.valueOf(50)); // below the ask: the bid can never win honestly
        assertPriceRefusedAndNothingPaid(DishonestSeeder.Cheat.WINS_ABOVE_THE_BID, approved, "won above the bid");
    }

    @Test
    void wonBelowTheSellersOwnAskIsRefusedAndNothingIsPaid() throws Exception {
        assertPriceRefusedAndNothingPaid(DishonestSeeder.Cheat.WINS_BELOW_ITS_ASK, BID, "won below the ask");
    }

    /**
     * A seeder that cheats on the price: the payer answers PRICE_REFUSED, its data (good, and free)
     * completes the torrent, and no BTT and no receipt change hands for bytes at the refused price.
     */
    private void assertPriceRefusedAndNothingPaid(DishonestSeeder.Cheat cheat, BigInteger approvedRate, String what)
            throws Exception {
        DishonestSeeder s = seeder(cheat);
        BigInteger before = payer.btt();
        Torrent t = boostedDownloadFrom(approvedRate, s);
        t.completion().get(90, TimeUnit.SECONDS);
        awaitCondition(() -> s.errorCodesReceived().contains(PRICE_REFUSED), "the payer answered PRICE_REFUSED");
        Outcome o = settle(t, before);
        assertWithinTheBound(o, approvedRate, 1, what);
        assertEquals(BigInteger.ZERO, o.lossBaseUnits(), what + ": a refused price is never paid");
        assertEquals(0, s.receiptsReceived(), what + ": no receipt for bytes at a refused price");
    }

    // ------------------------------------------------------------------ P3/P4: blocks nobody asked for

    @Test
    void everyBlockTenTimesIsPaidOnceAtMostAndTheSeederIsCutOff() throws Exception {
        DishonestSeeder s = seeder(DishonestSeeder.Cheat.SENDS_EVERY_BLOCK_TEN_TIMES);
        BigInteger before = payer.btt();
        Torrent t = boostedDownloadFrom(BID, s);
        awaitCondition(() -> s.connectionsClosedByPeer() >= 1, "the payer disconnected the seeder");
        Outcome o = settle(t, before);
        assertWithinTheBound(o, BID, 1, "duplicates");
        assertTrue(t.verifiedBytes() < SIZE, "cut off before the end");
    }

    @Test
    void unrequestedBlocksAreNeverPaidAndTheSeederIsCutOff() throws Exception {
        DishonestSeeder s = seeder(DishonestSeeder.Cheat.SENDS_UNREQUESTED_BLOCKS);
        BigInteger before = payer.btt();
        Torrent t = boostedDownloadFrom(BID, s);
        awaitCondition(() -> s.connectionsClosedByPeer() >= 1, "the payer disconnected the seeder");
        Outcome o = settle(t, before);
        assertWithinTheBound(o, BID, 1, "unrequested");
    }

    // ------------------------------------------------------------------ P5: data that fails the hash

    @Test
    void garbageIsSignedForAtMostOnePieceAndTheSeederIsBanned() throws Exception {
        DishonestSeeder s = seeder(DishonestSeeder.Cheat.SENDS_GARBAGE);
        BigInteger before = payer.btt();
        Torrent t = boostedDownloadFrom(BID, s);
        awaitCondition(() -> s.connectionsClosedByPeer() >= 1, "the payer banned the seeder");
        assertEquals(1, t.bannedPeers().get(10, TimeUnit.SECONDS));
        Outcome o = settle(t, before);
        assertEquals(0, o.verifiedBytes());
        assertWithinTheBound(o, BID, 1, "garbage");
    }

    // ------------------------------------------------------------------ the seeder walks away

    @Test
    void aSeederThatStopsAfterThePaymentKeepsOnlyWhatItServed() throws Exception {
        DishonestSeeder s = seeder(DishonestSeeder.Cheat.STOPS_AFTER_PAYMENT);
        BigInteger before = payer.btt();
        Torrent t = boostedDownloadFrom(BID, s);
        awaitCondition(() -> s.paymentsReceived() >= 1, "the payer paid once");
        Outcome o = settle(t, before);
        assertTrue(o.lossBaseUnits().signum() > 0, "the honest part was paid for");
        assertWithinTheBound(o, BID, 1, "stops after payment");
    }

    // ------------------------------------------------------------------ several at once, one budget

    @Test
    void threeCheatingSeedersAtOnceStayWithinTheBoundAndTheCap() throws Exception {
        DishonestSeeder over = seeder(DishonestSeeder.Cheat.OVERCHARGES);
        DishonestSeeder dup = seeder(DishonestSeeder.Cheat.SENDS_EVERY_BLOCK_TEN_TIMES);
        DishonestSeeder garbage = seeder(DishonestSeeder.Cheat.SENDS_GARBAGE);
        BigInteger before = payer.btt();
        Torrent t = boostedDownloadFrom(BID, over, dup, garbage);
        awaitCondition(() -> dup.connectionsClosedByPeer() >= 1 && garbage.connectionsClosedByPeer() >= 1,
                "the duplicating and the garbage seeder were cut off");
        // The overcharger's data is good (and free); it may still be banned if it shared a failed piece twice.
        awaitCondition(() -> t.completion().isDone() || over.connectionsClosedByPeer() >= 1, "the download ended");
        Outcome o = settle(t, before);
        assertWithinTheBound(o, BID, 3, "three cheaters");
        assertTrue(over.errorCodesReceived().contains(PRICE_REFUSED));
    }

    // ------------------------------------------------------------------ P7, §4.5: acknowledging proofs

    /** What the whole file costs at the seeder's ask: an honest seeder charges that much and no more. */
    private static final BigInteger FILE_AT_THE_ASK = ASK.multiply(BigInteger.valueOf(SIZE)).shiftRight(30);

    /**
     * A seeder that answers every payment notice "not held" — a lie, the transaction is on chain — gets
     * the same transaction proved again, a bounded number of times, and never a second payment.
     */
    @Test
    void aSeederThatDeniesHavingAProofGetsTheSameTransactionAgainNeverASecondPayment() throws Exception {
        DishonestSeeder s = seeder(DishonestSeeder.Cheat.DENIES_PAYMENTS);
        payer.engine.setRateLimits(128 * 1024, 0); // the download lasts while notices are proved again
        BigInteger before = payer.btt();
        Torrent t = boostedDownloadFrom(BID, s);
        awaitCondition(() -> s.noticesPerTxid().values().stream().anyMatch(n -> n == 1 + ProofResends.MAX_RESENDS),
                "the payer proved one payment again as often as it may");
        payer.engine.setRateLimits(0, 0); // the repeats are seen: the rest of the file need not crawl
        t.completion().get(120, TimeUnit.SECONDS);
        Outcome o = settle(t, before);
        assertProvedAgainNotPaidAgain(s, o, "denies payments");
    }

    /** A seeder that never acknowledges a notice gets it again after the timeout, a bounded number of times; nothing is paid twice. */
    @Test
    void aSeederThatNeverAcknowledgesGetsBoundedRepeatsAndNoExtraPayment() throws Exception {
        DishonestSeeder s = seeder(DishonestSeeder.Cheat.NEVER_ACKNOWLEDGES);
        payer.engine.setRateLimits(128 * 1024, 0);
        BigInteger before = payer.btt();
        Torrent t = boostedDownloadFrom(BID, s);
        awaitCondition(() -> s.noticesPerTxid().values().stream().anyMatch(n -> n == 1 + ProofResends.MAX_RESENDS),
                "the payer proved an unanswered payment again as often as it may");
        payer.engine.setRateLimits(0, 0); // the repeats are seen: the rest of the file need not crawl
        t.completion().get(120, TimeUnit.SECONDS);
        Outcome o = settle(t, before);
        assertProvedAgainNotPaidAgain(s, o, "never acknowledges");
    }

    private void assertProvedAgainNotPaidAgain(DishonestSeeder s, Outcome o, String what) {
        assertWithinTheBound(o, BID, 1, what);
        Map<String, Integer> notices = s.noticesPerTxid();
        List<PaymentEntry> sent = payer.ledger.entries().stream().filter(e -> e.direction() == PaymentEntry.Direction.SENT).toList();
        System.out.printf("%s: %d payments, notices per payment %s%n", what, sent.size(), notices.values());
        // The last payment may be made once the engine has closed its connections (settle), so it has no notice.
        assertTrue(sent.stream().map(PaymentEntry::txid).collect(java.util.stream.Collectors.toSet()).containsAll(notices.keySet()),
                "every notice names a payment of the ledger, none a new one: " + notices.keySet());
        assertTrue(notices.values().stream().allMatch(n -> n <= 1 + ProofResends.MAX_RESENDS), "bounded repeats: " + notices);
        assertTrue(o.lossBaseUnits().compareTo(FILE_AT_THE_ASK) <= 0,
                what + ": paid " + o.lossBaseUnits() + ", more than the whole file at the ask " + FILE_AT_THE_ASK);
    }
}
