package dev.magnetar.speed;

import dev.magnetar.wallet.BttAmount;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * Says why an approved boost buys nothing, in words for the user: no seller is connected, the approved
 * rate is below every seller's ask, or the budget spread over what is left to download comes out below
 * the ask (the automatic bid is budget ÷ GiB left, so a small budget for a large torrent never reaches
 * it). Without this the boost looks on but idle — "BTT spent 0" and no reason. Pure.
 */
public final class IdleBoostReason {

    private IdleBoostReason() {}

    /**
     * @param approvedRatePerGiB the rate the user approved
     * @param budgetLeft what the approved budget still allows, base units
     * @param bidPerGiB our standing bid (0 when not bidding)
     * @param lowestAskPerGiB the lowest ask among connected sellers, empty when none is connected
     * @param remainingBytes bytes still to download
     */
    public static Optional<String> of(BigInteger approvedRatePerGiB, BigInteger budgetLeft, BigInteger bidPerGiB,
                                      Optional<BigInteger> lowestAskPerGiB, long remainingBytes) {
        Objects.requireNonNull(approvedRatePerGiB, "approvedRatePerGiB");
        Objects.requireNonNull(budgetLeft, "budgetLeft");
        Objects.requireNonNull(bidPerGiB, "bidPerGiB");
        if (remainingBytes <= 0) {
            return Optional.empty();
        }
        if (lowestAskPerGiB.isEmpty()) {
            return Optional.of("no peer selling paid slots is connected yet");
        }
        BigInteger ask = lowestAskPerGiB.get();
        if (approvedRatePerGiB.compareTo(ask) < 0) {
            return Optional.of("the approved rate of " + BttAmount.formatBtt(approvedRatePerGiB) + " BTT/GiB is below the sellers' ask of "
                    + BttAmount.formatBtt(ask) + " BTT/GiB");
        }
        if (bidPerGiB.compareTo(ask) < 0) {
            BigInteger needed = ceilPerGib(ask.multiply(BigInteger.valueOf(remainingBytes)));
            return Optional.of("at least " + BttAmount.formatBtt(needed) + " BTT needed for this torrent at the sellers' asks ("
                    + BttAmount.formatBtt(budgetLeft) + " BTT left in the budget)");
        }
        return Optional.empty();
    }

    private static BigInteger ceilPerGib(BigInteger numerator) {
        return numerator.add(Amounts.GIB).subtract(BigInteger.ONE).divide(Amounts.GIB);
    }
}
