package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.TronKey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayerSessionsTest {

    private static final InfoHash IH = InfoHash.fromHex("cc".repeat(20));
    private static final SpeedNetwork NET = new SpeedNetwork("devnet", 777, TestAddresses.BTT);
    private static final BigInteger HUGE = BigInteger.TEN.pow(40); // beyond a long: numerators are exact

    @TempDir
    Path dir;

    private final TronKey payee = TronKey.generate(new SecureRandom());

    @Test
    void countersSurviveAReopen() throws Exception {
        Path file = dir.resolve("sessions.json");
        PayerSessions.Counters c = new PayerSessions.Counters(5L << 30, HUGE, BigInteger.valueOf(42), 1_700_000_000_000_001L);
        PayerSessions.open(file).put(IH, payee.address(), c);
        assertEquals(Optional.of(c), PayerSessions.open(file).get(IH, payee.address()));
        assertEquals(Optional.empty(), PayerSessions.open(file).get(InfoHash.fromHex("dd".repeat(20)), payee.address()));
    }

    @Test
    void aDamagedFileIsAClearErrorAndIsLeftAlone() throws Exception {
        Path file = dir.resolve("sessions.json");
        Files.writeString(file, "{ not json");
        IOException e = assertThrows(IOException.class, () -> PayerSessions.open(file));
        assertTrue(e.getMessage().contains("move it aside"), e.getMessage());
        assertEquals("{ not json", Files.readString(file));
    }

    @Test
    void aFailedWriteKeepsWhatWasThere() throws Exception {
        Path file = dir.resolve("sub").resolve("sessions.json");
        PayerSessions s = PayerSessions.open(file);
        PayerSessions.Counters first = new PayerSessions.Counters(1, BigInteger.ONE, BigInteger.ZERO, 1);
        s.put(IH, payee.address(), first);
        Files.delete(file);
        Files.delete(file.getParent());
        Files.writeString(file.getParent(), "a file where the folder was"); // the next write cannot succeed
        assertThrows(IOException.class, () -> s.put(IH, payee.address(), new PayerSessions.Counters(2, BigInteger.TWO, BigInteger.ONE, 2)));
        assertEquals(Optional.of(first), s.get(IH, payee.address()));
    }

    @Test
    void aResumedAccountSignsAboveItsLastReceipt() throws Exception {
        TronKey payer = TronKey.generate(new SecureRandom());
        BigInteger rate = BigInteger.ONE.shiftLeft(30).add(BigInteger.ONE); // 1 + 2^-30 base units per byte: floors matter
        PayerAccount before = new PayerAccount(payer.address(), payee.address(), IH, NET, new ReceiptSigner(payer, NET));
        before.onBidResult(new SpeedMessage.BidResult(true, rate, 1, 1));
        before.received(0, 1000);
        before.pieceVerified(0);
        Receipt first = before.signReceipt(0).receipt();

        PayerAccount after = new PayerAccount(payer.address(), payee.address(), IH, NET, new ReceiptSigner(payer, NET), 0,
                Optional.of(before.counters()));
        after.onBidResult(new SpeedMessage.BidResult(true, rate, 1, 2));
        after.received(1, 1000);
        after.pieceVerified(1);
        Receipt next = after.signReceipt(0).receipt();
        assertEquals(2000, next.bytes());
        assertTrue(next.sequence() > first.sequence());
        // One floor over the whole sum, as the payee takes it (spec §6.3): 2000 + ⌊2000 / 2^30⌋ = 2000.
        assertEquals(Amounts.floorPerGib(Amounts.priceNumerator(2000, rate)), next.amount());
    }
}
