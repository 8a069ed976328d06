package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.TronKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rule P5: bytes of pieces not verified are signed for up to one piece, and those that fail never beyond it. */
class PayerAccountTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SpeedNetwork NET = new SpeedNetwork("devnet", 777, TestAddresses.BTT);
    private static final long PIECE = 256 * 1024;
    private static final BigInteger RATE = BigInteger.ONE.shiftLeft(30); // 1 base unit per byte: amounts read as bytes

    private PayerAccount account;

    @BeforeEach
    void wonAtRate() {
        TronKey payer = TronKey.generate(RANDOM);
        account = new PayerAccount(payer.address(), TronKey.generate(RANDOM).address(), InfoHash.fromHex("bb".repeat(20)), NET,
                new ReceiptSigner(payer, NET));
        account.onBidResult(new SpeedMessage.BidResult(true, RATE, 1, 1));
    }

    @Test
    void upToOnePieceOfUnverifiedBytesMayBeSigned() throws Exception {
        account.received(0, PIECE);
        account.received(1, PIECE / 2);
        assertEquals(PIECE, account.signableBytes(PIECE));
        assertEquals(BigInteger.valueOf(PIECE), account.unreceipted(PIECE));
        account.pieceVerified(0);
        assertEquals(PIECE + PIECE / 2, account.signableBytes(PIECE));
        assertEquals(PIECE + PIECE / 2, account.signReceipt(PIECE).receipt().bytes());
    }

    @Test
    void failedPiecesAreNeverSignedForBeyondOnePieceWhateverFollows() throws Exception {
        for (int piece = 0; piece < 5; piece++) {
            account.received(piece, PIECE);
            account.pieceFailed(piece);
        }
        assertEquals(5 * PIECE, account.failedBytes());
        assertEquals(PIECE, account.signableBytes(PIECE));
        account.received(9, PIECE);
        account.pieceVerified(9);
        assertEquals(2 * PIECE, account.signableBytes(PIECE), "good data is signed for; bad data stays capped at one piece");
        assertEquals(BigInteger.valueOf(2 * PIECE), account.signReceipt(PIECE).receipt().amount());
    }

    @Test
    void freeBytesAreNeverHeldBackOrSigned() {
        account.onBidResult(SpeedMessage.BidResult.lost(1, 2));
        account.received(0, PIECE);
        account.pieceFailed(0);
        assertEquals(0, account.failedBytes());
        assertEquals(0, account.signableBytes(PIECE));
    }

    /**
     * A session resumed after a restart starts with its last receipt's amount owed and knows of no payment
     * until it has read the wallet's ledger: nothing is due before that, so what was paid before the restart
     * is never paid again.
     */
    @Test
    void aResumedSessionPaysNothingBeforeItHasReadWhatWasAlreadyPaid() {
        TronKey payer = TronKey.generate(RANDOM);
        BigInteger signed = BigInteger.valueOf(3 * PIECE);
        PayerAccount resumed = new PayerAccount(payer.address(), TronKey.generate(RANDOM).address(), InfoHash.fromHex("bb".repeat(20)),
                NET, new ReceiptSigner(payer, NET), 0,
                java.util.Optional.of(new PayerSessions.Counters(3 * PIECE, signed.shiftLeft(30), signed, 7)));
        assertEquals(java.util.Optional.empty(), resumed.due(BigInteger.ONE), "nothing due before the ledger is read");
        resumed.settle(BigInteger.valueOf(2 * PIECE), 0);
        assertEquals(BigInteger.valueOf(PIECE), resumed.due(BigInteger.ONE).orElseThrow().amount(), "only what the ledger has not paid");
    }
}
