package dev.magnetar.speed;

import static dev.magnetar.speed.SpeedNode.BTT;
import static dev.magnetar.speed.SpeedNode.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.WalletLockedException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 acceptance: a payer hacked to cheat — it stops paying, or replays an old receipt, or claims
 * fake transaction ids — loses its paid slot once its unpaid debt reaches the seeder's disconnect
 * threshold D, and the seeder's loss stays within D plus one block written (spec §8). It still
 * completes, unboosted.
 */
class CheatingPayerTest {

    static final long MIB = 1L << 20;
    static final int BLOCK = 16 * 1024;

    enum Cheat { STOPS_PAYING, REPLAYS_OLD_RECEIPT, CLAIMS_FAKE_TXID }

    @TempDir
    Path root;

    private Devnet devnet;

    @BeforeEach
    void startDevnet() throws Exception {
        devnet = BlockProducingDevnet.start(root.resolve("devnet"));
    }

    @AfterEach
    void stopDevnet() {
        devnet.close();
    }

    @ParameterizedTest
    @EnumSource(Cheat.class)
    void cheaterLosesPaidServiceWithinTheDisconnectThreshold(Cheat cheat) throws Exception {
        BigInteger ask = BTT.multiply(BigInteger.valueOf(100));
        BigInteger d = BTT.divide(BigInteger.TEN); // D = 0.1 BTT = 1 MiB of paid data at the ask, well within the 6 MiB torrent
        SpeedSettings seller = new SpeedSettings(ask, 1, BTT.divide(BigInteger.valueOf(20)), d, BTT.divide(BigInteger.valueOf(80)),
                BTT.multiply(BigInteger.valueOf(100)), Duration.ofSeconds(120));
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "cheat.bin", 256 * 1024, 6 * MIB);
        // Whatever else it does, the cheater never gets a transfer signed.
        PaymentService.KeySource neverPays = () -> {
            throw new WalletLockedException("hacked payer: never pays");
        };
        try (SpeedNode seeder = new SpeedNode("seeder", root, devnet, seller, 25, 2 * MIB, null);
                SpeedNode cheater = new SpeedNode("cheater", root, devnet, seller.withAsk(BigInteger.ZERO), 25, 0, neverPays)) {
            Torrent seeding = seeder.add(info, root.resolve("content"));
            seeding.completion().get(60, TimeUnit.SECONDS);
            cheater.approveBoost("boost", info, BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(200)));
            BigInteger seederBtt = seeder.btt();

            Torrent t = cheater.add(info, root.resolve("cheater"));
            cheater.speed(t).extension().tamperWithOutgoing(hack(cheat));
            t.addPeer(seeder.address());
            t.completion().get(90, TimeUnit.SECONDS);

            SeedingSpeed s = seeder.speed(seeding).seeding();
            awaitCondition(() -> s.account(cheater.key.address()).isPresent(), "the seeder knows the cheater");
            PayeeAccount account = s.account(cheater.key.address()).orElseThrow();
            BigInteger oneWrite = ask.multiply(BigInteger.valueOf(BLOCK)).shiftRight(30);
            System.out.printf("%s: seeder served %d paid bytes, unpaid debt %s (D = %s)%n", cheat, account.paidBytesServed(),
                    account.unpaidDebt(), d);
            assertTrue(account.shouldStopPaidService(), "the cheater ran into the disconnect threshold");
            assertTrue(account.unpaidDebt().compareTo(d.add(oneWrite)) <= 0, "exposure " + account.unpaidDebt() + " <= D + one block");
            assertEquals(0, s.paidPeers(), "no paid slot for the cheater any more");
            assertEquals(BigInteger.ZERO, account.credited(), "nothing credited");
            assertEquals(seederBtt, seeder.btt(), "no BTT moved");
            assertTrue(seeder.ledger.entries().isEmpty(), "nothing in the seeder's ledger");
            if (cheat == Cheat.REPLAYS_OLD_RECEIPT) {
                assertEquals(1, account.lastAcceptedReceipt().orElseThrow().receipt().sequence() - firstSequence.get() + 1,
                        "only the first receipt was ever accepted");
            }
        }
    }

    private final AtomicReference<SpeedMessage.ReceiptMessage> first = new AtomicReference<>();
    private final AtomicReference<Long> firstSequence = new AtomicReference<>(0L);

    private Function<SpeedMessage, List<SpeedMessage>> hack(Cheat cheat) {
        return m -> {
            if (!(m instanceof SpeedMessage.ReceiptMessage r)) {
                return List.of(m);
            }
            if (first.compareAndSet(null, r)) {
                firstSequence.set(r.receipt().receipt().sequence());
            }
            return switch (cheat) {
                case STOPS_PAYING -> List.of(m);
                case REPLAYS_OLD_RECEIPT -> List.of(first.get());
                case CLAIMS_FAKE_TXID -> {
                    byte[] fake = new byte[32];
                    new SecureRandom().nextBytes(fake);
                    yield List.of(m, new SpeedMessage.Payment(new PaymentProof.Trc20Transaction(fake), r.receipt().receipt().amount()));
                }
            };
        };
    }
}
