package dev.magnetar.speed;

import dev.magnetar.wallet.BttAmount;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a boost asked for now could buy anything at all from the sellers connected to the torrent, and
 * if not, what the user must raise — so that such a boost is refused when it is asked for rather than
 * approved and then idle. A boost can buy nothing when its rate is below every seller's ask (bids below
 * the ask never win, spec §5), or when its cap is below what the payer needs before it bids at all (one
 * receipt step, P6, and at least one 16 KiB block at the ask). With no seller connected nothing is known
 * and nothing is refused. A budget that covers only part of the torrent at the ask is not refused: it
 * buys the end of the download, and {@link IdleBoostReason} says so while it waits. Pure.
 */
public final class BoostRefusal {

    /** BEP 3's usual request size: the least a seller serves at a time. */
    static final long BLOCK_BYTES = 16 * 1024;

    private BoostRefusal() {}

    /**
     * @param capBaseUnits the budget cap asked for
     * @param ratePerGiB the most the user would pay per GiB
     * @param lowestAskPerGiB the lowest ask among sellers connected now, empty when none is
     * @param receiptStep the payer's receipt step S: it bids only while its budget covers one
     */
    public static Optional<String> of(BigInteger capBaseUnits, BigInteger ratePerGiB, Optional<BigInteger> lowestAskPerGiB,
                                      BigInteger receiptStep) {
        Objects.requireNonNull(capBaseUnits, "capBaseUnits");
        Objects.requireNonNull(ratePerGiB, "ratePerGiB");
        Objects.requireNonNull(receiptStep, "receiptStep");
        if (lowestAskPerGiB.isEmpty()) {
            return Optional.empty();
        }
        BigInteger ask = lowestAskPerGiB.get();
        if (ratePerGiB.compareTo(ask) < 0) {
            return Optional.of("a rate of " + BttAmount.formatBtt(ratePerGiB) + " BTT/GiB is below the lowest ask of the sellers connected ("
                    + BttAmount.formatBtt(ask) + " BTT/GiB), so it would buy nothing: raise the rate to at least " + BttAmount.formatBtt(ask)
                    + " BTT/GiB");
        }
        BigInteger oneBlock = ask.multiply(BigInteger.valueOf(BLOCK_BYTES)).add(Amounts.GIB).subtract(BigInteger.ONE).divide(Amounts.GIB);
        BigInteger least = receiptStep.max(oneBlock);
        if (capBaseUnits.compareTo(least) < 0) {
            return Optional.of("a cap of " + BttAmount.formatBtt(capBaseUnits) + " BTT cannot buy anything at the sellers' ask of "
                    + BttAmount.formatBtt(ask) + " BTT/GiB (the helper bids once the budget covers " + BttAmount.formatBtt(least)
                    + " BTT): raise the cap to at least " + BttAmount.formatBtt(least) + " BTT");
        }
        return Optional.empty();
    }
}
