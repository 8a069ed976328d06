package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rule P2: the prices a payer accepts in a won bid_result. */
class PayerPriceRuleTest {

    private static final BigInteger ASK = BigInteger.valueOf(100);
    private static final BigInteger BID = BigInteger.valueOf(200);
    private static final BigInteger APPROVED = BigInteger.valueOf(250);

    private static Optional<String> check(boolean won, long price, Optional<BigInteger> namedBid, BigInteger approved) {
        SpeedMessage.BidResult r = won ? new SpeedMessage.BidResult(true, BigInteger.valueOf(price), 7, 3)
                : SpeedMessage.BidResult.lost(7, 3);
        return PayerPriceRule.refusal(r, namedBid, ASK, approved);
    }

    @Test
    void aPriceBetweenTheAskAndOurBidIsAccepted() {
        assertEquals(Optional.empty(), check(true, 100, Optional.of(BID), APPROVED));
        assertEquals(Optional.empty(), check(true, 200, Optional.of(BID), APPROVED));
    }

    @Test
    void aLostBidIsAlwaysAccepted() {
        assertEquals(Optional.empty(), check(false, 0, Optional.empty(), BigInteger.ZERO));
    }

    @Test
    void wonAboveOurBidIsRefused() {
        assertTrue(check(true, 10_000, Optional.of(BID), APPROVED).orElseThrow().contains("above our bid"));
    }

    @Test
    void wonBelowTheSellersAskIsRefused() {
        assertTrue(check(true, 99, Optional.of(BID), APPROVED).orElseThrow().contains("below the seller's own ask"));
    }

    @Test
    void wonForABidWeNeverSentIsRefused() {
        assertTrue(check(true, 150, Optional.empty(), APPROVED).orElseThrow().contains("never sent"));
    }

    @Test
    void wonAboveTheApprovedRateIsRefusedEvenWithinAnOldBid() {
        assertTrue(check(true, 200, Optional.of(BID), BigInteger.valueOf(150)).orElseThrow().contains("approved rate"));
    }

    @Test
    void wonAfterWithdrawingIsRefused() {
        assertTrue(check(true, 100, Optional.of(BigInteger.ZERO), APPROVED).isPresent());
    }
}
