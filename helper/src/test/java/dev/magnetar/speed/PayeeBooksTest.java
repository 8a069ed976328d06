package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The seller's books across a restart: what it saves, and the receipt rules of a resumed session (spec §6.2). */
class PayeeBooksTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SpeedNetwork NET = new SpeedNetwork("devnet", 777, TestAddresses.BTT);
    private static final InfoHash IH = InfoHash.fromHex("bb".repeat(20));
    private static final long MIB = 1L << 20;
    private static final BigInteger D = BigInteger.valueOf(1_000_000_000_000L);
    private static final BigInteger LOW = BigInteger.valueOf(1L << 30);   // 1 base unit per byte
    private static final BigInteger HIGH = BigInteger.valueOf(3L << 30);  // 3 base units per byte

    @TempDir
    Path dir;

    private final TronKey payer = TronKey.generate(RANDOM);
    private final TronKey payee = TronKey.generate(RANDOM);
    private final ReceiptSigner signer = new ReceiptSigner(payer, NET);

    private SignedReceipt receipt(long bytes, BigInteger amount, long seq) throws Exception {
        return signer.sign(new Receipt(payer.address(), payee.address(), IH, NET.chainId(), bytes, amount, seq));
    }

    private static BigInteger units(long n) {
        return BigInteger.valueOf(n);
    }

    /** A seller that served 10 MiB at LOW then HIGH, accepted a receipt for 8 MiB, saved, then served 3 MiB more and died. */
    private PayeeAccount restartedAfterUnrecordedBytes() throws Exception {
        PayeeAccount before = new PayeeAccount(NET, payee.address(), payer.address(), IH, D);
        before.setChargedRate(Optional.of(LOW));
        before.served(5 * MIB);
        before.setChargedRate(Optional.of(HIGH));
        before.served(5 * MIB);
        before.accept(receipt(8 * MIB, units(5 * MIB + 3 * 3 * MIB), 7));
        PayeeBooks books = PayeeBooks.open(dir.resolve("books.json"));
        books.put(IH, payer.address(), before.book());
        before.served(3 * MIB); // never saved: the process was killed
        PayeeBooks.Book book = PayeeBooks.open(dir.resolve("books.json")).get(IH, payer.address()).orElseThrow();
        return PayeeAccount.resumed(NET, payee.address(), payer.address(), IH, D, book, units(4 * MIB));
    }

    @Test
    void booksSurviveAReopenAndAResumedAccountContinuesTheMeterAndTheCredits() throws Exception {
        PayeeAccount after = restartedAfterUnrecordedBytes();
        assertEquals(10 * MIB, after.paidBytesServed());
        assertEquals(units(5 * MIB + 3 * 5 * MIB), after.owedByMeter(), "the meter goes on from the saved Σ bytes·rate");
        assertEquals(units(4 * MIB), after.credited(), "credits come from the payment ledger");
        assertEquals(units(5 * MIB + 3 * 5 * MIB - 4 * MIB), after.unpaidDebt());
    }

    @Test
    void aResumedPayersHonestReceiptForBytesTheSellerDidNotRecordIsAccepted() throws Exception {
        PayeeAccount after = restartedAfterUnrecordedBytes();
        after.setChargedRate(Optional.of(HIGH));
        after.served(MIB);
        // The payer received 10 + 3 + 1 MiB; it owes 5 MiB at LOW and 9 MiB at HIGH.
        SignedReceipt honest = receipt(14 * MIB, units(5 * MIB + 3 * 9 * MIB), 8);
        after.accept(honest);
        assertEquals(honest, after.lastAcceptedReceipt().orElseThrow());
        assertEquals(14 * MIB, after.book().acceptedBytes());
    }

    @Test
    void aResumedSessionStillRefusesReplaysBackwardsReceiptsAndBytesFarBeyondWhatItCouldHaveServed() throws Exception {
        PayeeAccount after = restartedAfterUnrecordedBytes();
        assertEquals(SpeedErrorCode.STALE_SEQUENCE,
                assertThrows(ReceiptRejectedException.class, () -> after.accept(receipt(9 * MIB, units(30 * MIB), 7))).code(),
                "the last accepted sequence survived the restart");
        assertEquals(SpeedErrorCode.NOT_MONOTONIC,
                assertThrows(ReceiptRejectedException.class, () -> after.accept(receipt(7 * MIB, units(30 * MIB), 8))).code());
        long tooFar = 10 * MIB + PayeeAccount.UNRECORDED_ALLOWANCE + 1;
        assertEquals(SpeedErrorCode.BYTES_NOT_SERVED,
                assertThrows(ReceiptRejectedException.class, () -> after.accept(receipt(tooFar, units(3 * tooFar), 8))).code());
        // Below the last accepted amount plus the lowest rate ever charged for the bytes since.
        assertEquals(SpeedErrorCode.AMOUNT_TOO_LOW,
                assertThrows(ReceiptRejectedException.class, () -> after.accept(receipt(12 * MIB, units(5 * MIB + 9 * MIB + 4 * MIB - 1), 8))).code());
        assertTrue(after.lastAcceptedReceipt().isEmpty(), "nothing was accepted");
    }

    @Test
    void aCorruptBooksFileIsAClearErrorAndIsLeftAsItWas() throws Exception {
        Path file = dir.resolve("books.json");
        Files.writeString(file, "{not json");
        IOException e = assertThrows(IOException.class, () -> PayeeBooks.open(file));
        assertTrue(e.getMessage().contains("move the file aside"), e.getMessage());
        assertEquals("{not json", Files.readString(file));
    }

    @Test
    void aSellerThatNeverChargedThisPayerAllowsNoUnrecordedBytes() throws Exception {
        PayeeAccount fresh = new PayeeAccount(NET, payee.address(), payer.address(), IH, D);
        fresh.served(MIB); // free bytes
        PayeeAccount after = PayeeAccount.resumed(NET, payee.address(), payer.address(), IH, D, fresh.book(), BigInteger.ZERO);
        assertFalse(after.checkpointDue());
        assertEquals(SpeedErrorCode.BYTES_NOT_SERVED,
                assertThrows(ReceiptRejectedException.class, () -> after.accept(receipt(1, units(1), 1))).code());
    }
}
