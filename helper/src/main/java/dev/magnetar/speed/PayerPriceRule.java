package dev.magnetar.speed;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * Spec rule P2: the price a payer accepts in a won {@code bid_result}. A seller charges a winner its own
 * bid, or a sole winner the clearing price of its auction (§5) — never below its own ask and never above
 * the bid it ranked; the payer also never pays above the rate its user approved (P1). A result outside those bounds is a
 * protocol error, not a price to pay. Pure.
 */
final class PayerPriceRule {

    private PayerPriceRule() {}

    /**
     * Why a {@code bid_result} must be refused, or empty when it may be accepted (a lost one always may).
     *
     * @param namedBidRate the rate of the bid its {@code seq} names, if that is a bid we sent on this connection
     * @param sellerAsk the seller's ask from its handshake
     * @param approvedRate the highest rate the user approved for this torrent (0 without a budget)
     */
    static Optional<String> refusal(SpeedMessage.BidResult result, Optional<BigInteger> namedBidRate, BigInteger sellerAsk,
                                    BigInteger approvedRate) {
        Objects.requireNonNull(result, "result");
        if (!result.won()) {
            return Optional.empty();
        }
        BigInteger price = result.pricePerGiB();
        if (namedBidRate.isEmpty()) {
            return Optional.of("won at " + price + " per GiB for bid " + result.bidSequence() + ", which we never sent");
        }
        if (price.compareTo(sellerAsk) < 0) {
            return Optional.of("won at " + price + " per GiB, below the seller's own ask of " + sellerAsk);
        }
        if (price.compareTo(namedBidRate.get()) > 0) {
            return Optional.of("won at " + price + " per GiB, above our bid of " + namedBidRate.get());
        }
        if (price.compareTo(approvedRate) > 0) {
            return Optional.of("won at " + price + " per GiB, above the approved rate of " + approvedRate);
        }
        return Optional.empty();
    }
}
