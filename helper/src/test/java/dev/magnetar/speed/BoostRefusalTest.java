package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which boosts could buy nothing from the sellers connected, and what the refusal tells the user to raise. */
class BoostRefusalTest {

    private static final BigInteger BTT = BigInteger.TEN.pow(18);
    private static final BigInteger ASK = BTT.multiply(BigInteger.valueOf(100));
    private static final BigInteger STEP = BTT.divide(BigInteger.valueOf(4));

    @Test
    void aRateBelowTheLowestAskIsRefusedNamingTheAsk() {
        String why = BoostRefusal.of(BTT.multiply(BigInteger.TEN), BTT.multiply(BigInteger.valueOf(99)), Optional.of(ASK), STEP).orElseThrow();
        assertTrue(why.contains("raise the rate to at least 100 BTT/GiB"), why);
    }

    @Test
    void aCapBelowOneReceiptStepIsRefusedNamingTheLeastCap() {
        String why = BoostRefusal.of(BTT.divide(BigInteger.TEN), ASK, Optional.of(ASK), STEP).orElseThrow();
        assertTrue(why.contains("raise the cap to at least 0.25 BTT"), why);
        assertEquals(Optional.empty(), BoostRefusal.of(STEP, ASK, Optional.of(ASK), STEP), "exactly one step can buy");
    }

    @Test
    void aCapBelowOneBlockAtAHighAskIsRefusedEvenWithATinyStep() {
        BigInteger highAsk = BTT.multiply(BigInteger.valueOf(1L << 20)); // one 16 KiB block costs 16 BTT
        String why = BoostRefusal.of(BTT.multiply(BigInteger.TEN), highAsk, Optional.of(highAsk), BigInteger.ONE).orElseThrow();
        assertTrue(why.contains("raise the cap to at least 16 BTT"), why);
    }

    @Test
    void nothingIsRefusedWithoutASellerOrForABudgetThatBuysOnlyTheEnd() {
        assertEquals(Optional.empty(), BoostRefusal.of(BigInteger.ONE, BigInteger.ONE, Optional.empty(), STEP), "no seller: nothing known");
        // 2 BTT for a large torrent at 100 BTT/GiB covers only its last 20 MiB: filed, the status note explains.
        assertEquals(Optional.empty(), BoostRefusal.of(BTT.multiply(BigInteger.TWO), ASK, Optional.of(ASK), STEP));
    }
}
