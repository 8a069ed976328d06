package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.TronKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Receipts and the payee's rules R2–R9, and the debt limit, without a chain. */
class ReceiptTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SpeedNetwork NET = new SpeedNetwork("devnet", 777, TestAddresses.BTT);
    private static final InfoHash IH = InfoHash.fromHex("aa".repeat(20));
    private static final long GIB = 1L << 30;
    private static final BigInteger RATE = BigInteger.valueOf(1_000_000_000L); // base units per GiB

    private final TronKey payer = TronKey.generate(RANDOM);
    private final TronKey payee = TronKey.generate(RANDOM);
    private final ReceiptSigner signer = new ReceiptSigner(payer, NET);
    private PayeeAccount account;

    @BeforeEach
    void serveOneGib() {
        account = new PayeeAccount(NET, payee.address(), payer.address(), IH, BigInteger.valueOf(5_000_000_000L));
        account.setChargedRate(Optional.of(RATE));
        account.served(GIB);
    }

    private Receipt receipt(long bytes, BigInteger amount, long seq) {
        return new Receipt(payer.address(), payee.address(), IH, NET.chainId(), bytes, amount, seq);
    }

    private ReceiptRejectedException rejected(SignedReceipt r) {
        return assertThrows(ReceiptRejectedException.class, () -> account.accept(r));
    }

    @Test
    void signedReceiptVerifiesAndIsAccepted() throws Exception {
        SignedReceipt r = signer.sign(receipt(GIB / 2, RATE.divide(BigInteger.TWO), 1));
        new ReceiptVerifier(NET).verify(r);
        account.accept(r);
        assertEquals(r, account.lastAcceptedReceipt().orElseThrow());
    }

    @Test
    void everyTamperedFieldBreaksTheSignature() throws Exception {
        SignedReceipt good = signer.sign(receipt(GIB / 2, RATE, 1));
        Receipt g = good.receipt();
        byte[] sig = good.signature();
        for (Receipt tampered : new Receipt[] {
                new Receipt(g.payer(), g.payee(), g.infoHash(), g.chainId(), g.bytes() - 1, g.amount(), g.sequence()),
                new Receipt(g.payer(), g.payee(), g.infoHash(), g.chainId(), g.bytes(), g.amount().add(BigInteger.ONE), g.sequence()),
                new Receipt(g.payer(), g.payee(), g.infoHash(), g.chainId(), g.bytes(), g.amount(), g.sequence() + 1)}) {
            assertEquals(SpeedErrorCode.BAD_SIGNATURE, rejected(new SignedReceipt(tampered, sig)).code());
        }
        byte[] flipped = sig.clone();
        flipped[10] ^= 1;
        assertEquals(SpeedErrorCode.BAD_SIGNATURE, rejected(new SignedReceipt(g, flipped)).code());
    }

    @Test
    void receiptSignedByAnotherKeyIsRejected() {
        TronKey mallory = TronKey.generate(RANDOM);
        SignedReceipt forged = new SignedReceipt(receipt(GIB / 2, RATE, 1), mallory.sign(receipt(GIB / 2, RATE, 1).digest(NET)));
        assertEquals(SpeedErrorCode.BAD_SIGNATURE, rejected(forged).code());
    }

    @Test
    void receiptForAnotherNetworkTokenOrChainIsRejected() throws Exception {
        SpeedNetwork nile = new SpeedNetwork("nile", NET.chainId(), NET.token());
        assertEquals(SpeedErrorCode.BAD_SIGNATURE, rejected(new ReceiptSigner(payer, nile).sign(receipt(1, RATE, 1))).code());
        SpeedNetwork otherToken = new SpeedNetwork("devnet", NET.chainId(), payee.address());
        assertEquals(SpeedErrorCode.BAD_SIGNATURE, rejected(new ReceiptSigner(payer, otherToken).sign(receipt(1, RATE, 1))).code());
        SpeedNetwork otherChain = new SpeedNetwork("devnet", 778, NET.token());
        SignedReceipt r = new ReceiptSigner(payer, otherChain).sign(new Receipt(payer.address(), payee.address(), IH, 778, 1, RATE, 1));
        assertEquals(SpeedErrorCode.WRONG_NETWORK, rejected(r).code());
    }

    @Test
    void receiptForAnotherTorrentOrOtherPartiesIsRejected() throws Exception {
        Receipt otherTorrent = new Receipt(payer.address(), payee.address(), InfoHash.fromHex("bb".repeat(20)), NET.chainId(), 1, RATE, 1);
        assertEquals(SpeedErrorCode.WRONG_TORRENT, rejected(signer.sign(otherTorrent)).code());
        TronKey stranger = TronKey.generate(RANDOM);
        Receipt toStranger = new Receipt(payer.address(), stranger.address(), IH, NET.chainId(), 1, RATE, 1);
        assertEquals(SpeedErrorCode.WRONG_PARTIES, rejected(signer.sign(toStranger)).code());
        Receipt fromStranger = new Receipt(stranger.address(), payee.address(), IH, NET.chainId(), 1, RATE, 1);
        assertEquals(SpeedErrorCode.WRONG_PARTIES, rejected(new ReceiptSigner(stranger, NET).sign(fromStranger)).code());
    }

    @Test
    void replayedAndStaleReceiptsAreRejected() throws Exception {
        SignedReceipt first = signer.sign(receipt(GIB / 4, RATE, 1));
        SignedReceipt second = signer.sign(receipt(GIB / 2, RATE, 2));
        account.accept(first);
        account.accept(second);
        assertEquals(SpeedErrorCode.STALE_SEQUENCE, rejected(second).code(), "replay");
        assertEquals(SpeedErrorCode.STALE_SEQUENCE, rejected(first).code(), "stale");
        assertEquals(second, account.lastAcceptedReceipt().orElseThrow());
    }

    @Test
    void amountsMustNotGoBackwardsAndMustPayForTheBytes() throws Exception {
        BigInteger half = RATE.divide(BigInteger.TWO);
        account.accept(signer.sign(receipt(GIB / 2, half, 1)));
        assertEquals(SpeedErrorCode.NOT_MONOTONIC, rejected(signer.sign(receipt(GIB / 2, half.subtract(BigInteger.ONE), 2))).code());
        assertEquals(SpeedErrorCode.NOT_MONOTONIC, rejected(signer.sign(receipt(GIB / 4, RATE, 3))).code());
        assertEquals(SpeedErrorCode.BYTES_NOT_SERVED, rejected(signer.sign(receipt(GIB + 1, BigInteger.TEN.pow(20), 4))).code());
        assertEquals(SpeedErrorCode.AMOUNT_TOO_LOW, rejected(signer.sign(receipt(GIB, RATE.subtract(BigInteger.ONE), 5))).code());
        account.accept(signer.sign(receipt(GIB, RATE, 6)));
    }

    @Test
    void priceFollowsTheRateInForceWhenEachByteWasServed() throws Exception {
        account.setChargedRate(Optional.empty());
        account.served(GIB); // free: not metered
        account.setChargedRate(Optional.of(RATE.multiply(BigInteger.valueOf(3))));
        account.served(GIB / 2);
        assertEquals(GIB + GIB / 2, account.paidBytesServed());
        assertEquals(RATE.add(RATE.multiply(BigInteger.valueOf(3)).divide(BigInteger.TWO)), account.owedByMeter());
        // 1 GiB at RATE plus 1/4 GiB at 3×RATE
        assertEquals(SpeedErrorCode.AMOUNT_TOO_LOW, rejected(signer.sign(receipt(GIB + GIB / 4, RATE.add(RATE.divide(BigInteger.TWO)), 1))).code());
        account.accept(signer.sign(receipt(GIB + GIB / 4, RATE.add(RATE.multiply(BigInteger.valueOf(3)).divide(BigInteger.valueOf(4))), 1)));
    }

    @Test
    void aBlockThePayerCancelledAndNeverReceivedBeforeThePriceFellDoesNotMakeItsHonestReceiptTooLow() throws Exception {
        // The fixture served 1 GiB at RATE; one 16 KiB block of it was cancelled by the payer and never arrived.
        long block = 16 * 1024;
        BigInteger lower = RATE.divide(BigInteger.TWO);
        account.setChargedRate(Optional.of(lower));
        account.served(GIB);
        long received = 2 * GIB - block;
        // What the payer counts: its own blocks, each at the rate in force when it was served (spec §6.3).
        BigInteger honest = Amounts.floorPerGib(Amounts.priceNumerator(GIB - block, RATE).add(Amounts.priceNumerator(GIB, lower)));
        assertEquals(SpeedErrorCode.AMOUNT_TOO_LOW, rejected(signer.sign(receipt(received, honest.subtract(BigInteger.ONE), 1))).code(),
                "still below the price of the cheapest bytes served");
        account.accept(signer.sign(receipt(received, honest, 2)));
        assertEquals(received, account.lastAcceptedReceipt().orElseThrow().receipt().bytes());
    }

    @Test
    void payerThatNeverPaysLosesPaidServiceAtTheDisconnectThresholdAndTheLossIsBounded() {
        BigInteger d = BigInteger.valueOf(5_000_000_000L);
        long chunk = 16 * 1024;
        long served = GIB; // from @BeforeEach
        while (account.served(chunk)) {
            served += chunk;
            assertTrue(served < 10 * GIB, "service never stopped");
        }
        assertTrue(account.shouldStopPaidService());
        BigInteger loss = account.unpaidDebt();
        BigInteger oneChunk = RATE.multiply(BigInteger.valueOf(chunk)).shiftRight(30).add(BigInteger.ONE);
        assertTrue(loss.compareTo(d) >= 0);
        assertTrue(loss.compareTo(d.add(oneChunk)) <= 0, "loss " + loss + " exceeds D + one write at the rate");
        account.credit("tx", loss);
        assertFalse(account.shouldStopPaidService(), "paying brings service back");
    }
}
