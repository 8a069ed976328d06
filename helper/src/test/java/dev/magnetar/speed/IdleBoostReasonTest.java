package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdleBoostReasonTest {

    private static final BigInteger BTT = SpeedSettings.ONE_BTT;
    private static final long MIB = 1L << 20;

    private static BigInteger btt(long n) {
        return BTT.multiply(BigInteger.valueOf(n));
    }

    @Test
    void aBudgetSpreadBelowTheAskSaysHowMuchTheTorrentNeeds() {
        // 2 BTT for 64 MiB spreads to 32 BTT/GiB; at the ask of 100 BTT/GiB the 64 MiB cost 6.25 BTT.
        assertEquals(Optional.of("at least 6.25 BTT needed for this torrent at the sellers' asks (2 BTT left in the budget)"),
                IdleBoostReason.of(btt(200), btt(2), btt(32), Optional.of(btt(100)), 64 * MIB));
    }

    @Test
    void anApprovedRateBelowTheAskSaysSo() {
        assertEquals(Optional.of("the approved rate of 50 BTT/GiB is below the sellers' ask of 100 BTT/GiB"),
                IdleBoostReason.of(btt(50), btt(50), btt(50), Optional.of(btt(100)), 64 * MIB));
    }

    @Test
    void noSellerConnectedSaysSo() {
        assertEquals(Optional.of("no peer selling paid slots is connected yet"),
                IdleBoostReason.of(btt(200), btt(50), btt(200), Optional.empty(), 64 * MIB));
    }

    @Test
    void aBidAtOrAboveTheAskNeedsNoExplanation() {
        assertEquals(Optional.empty(), IdleBoostReason.of(btt(200), btt(50), btt(100), Optional.of(btt(100)), 64 * MIB));
    }

    @Test
    void nothingLeftToDownloadNeedsNoExplanation() {
        assertEquals(Optional.empty(), IdleBoostReason.of(btt(200), btt(2), BigInteger.ZERO, Optional.of(btt(100)), 0));
    }

    @Test
    void theNeededAmountIsRoundedUpToTheBaseUnit() {
        // 1 byte at 1 base unit per GiB costs 2^-30 of a base unit: at least 1 base unit is needed.
        assertEquals(Optional.of("at least 0.000000000000000001 BTT needed for this torrent at the sellers' asks (0 BTT left in the budget)"),
                IdleBoostReason.of(BigInteger.TEN, BigInteger.ZERO, BigInteger.ZERO, Optional.of(BigInteger.ONE), 1));
    }
}
