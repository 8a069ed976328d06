package dev.magnetar.approval;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * What the helper asks the user to approve: everything the approval pop-up shows (DESIGN.md
 * "Extension": torrent and origin page, network, token contract, cap, rate, recipient, expiry).
 * Amounts are token base units (BTT has 18 decimals), exact.
 *
 * @param infoHash      hex info-hash of the torrent; required for {@link SpendPurpose#BOOST_TORRENT}
 * @param originPage    page the magnet came from, when known
 * @param cap           the most that may ever be spent under this request, base units, &gt; 0
 * @param ratePerGiB    bid rate in base units per GiB, for boosts; null otherwise
 * @param recipient     TRON address (Base58Check) when the payee is known; null means "any peer"
 * @param networkId     network the budget is valid on ({@code devnet}, {@code nile}, {@code mainnet})
 * @param tokenContract TRC-20 contract (Base58Check) whose units {@code cap} counts; null = TRX
 * @param chainId       the chain the budget is for, as read from it (TIP-712: the last 4 bytes of its genesis
 *                      block id; a devnet's depends on its genesis); null when not known at filing time
 * @param fees          what the payments under this budget are expected to cost in TRX, on top of the cap;
 *                      null when not estimated
 * @param coverage      how much of the torrent the cap buys at the sellers' asks known when it was filed; null
 *                      when no seller or no torrent size was known
 */
public record SpendRequest(
        String id,
        SpendPurpose purpose,
        String infoHash,
        String torrentName,
        String originPage,
        BigInteger cap,
        BigInteger ratePerGiB,
        String recipient,
        String networkId,
        String tokenContract,
        Instant createdAt,
        Instant expiresAt,
        Long chainId,
        FeeEstimate fees,
        Coverage coverage) {

    /**
     * Network fees (TRX, in sun) estimated when the request is filed: a TRC-20 transfer burns energy
     * (and bandwidth) paid in TRX, which the BTT cap does not cover.
     *
     * @param perPaymentSun what one payment is expected to burn (the costlier case: a recipient that
     *                      never held the token)
     * @param payments      how many payments the whole budget takes at most at the payment threshold
     * @param forBudgetSun  {@code perPaymentSun × payments}
     */
    public record FeeEstimate(long perPaymentSun, long payments, long forBudgetSun) {
        public FeeEstimate {
            if (perPaymentSun < 0 || payments < 0 || forBudgetSun < 0) {
                throw new IllegalArgumentException("fee estimates are not negative");
            }
        }

        public static FeeEstimate of(long perPaymentSun, long payments) {
            return new FeeEstimate(perPaymentSun, payments, Math.multiplyExact(perPaymentSun, payments));
        }
    }

    /**
     * What a boost's cap buys at the lowest ask of the sellers connected when it was filed, against what is
     * left to download — so the approval window can say "this cap buys about N MiB of M". At that ask the
     * cap buys the most it can: a payer that competes for a seller's paid upload pays up to its own bid
     * (mg_speed §5), and buys less.
     *
     * @param lowestAskPerGiB the lowest ask among the sellers connected then, base units per GiB, &gt; 0
     * @param capBuysBytes    {@code ⌊cap × 2^30 / lowestAskPerGiB⌋}, capped at {@link Long#MAX_VALUE}
     * @param bytesLeft       the torrent's bytes still to download then
     */
    public record Coverage(BigInteger lowestAskPerGiB, long capBuysBytes, long bytesLeft) {
        private static final BigInteger GIB = BigInteger.ONE.shiftLeft(30);

        public Coverage {
            Objects.requireNonNull(lowestAskPerGiB, "lowestAskPerGiB");
            if (lowestAskPerGiB.signum() <= 0 || capBuysBytes < 0 || bytesLeft < 0) {
                throw new IllegalArgumentException("a coverage has a positive ask and no negative byte counts");
            }
        }

        public static Coverage of(BigInteger cap, BigInteger lowestAskPerGiB, long bytesLeft) {
            BigInteger bytes = cap.multiply(GIB).divide(lowestAskPerGiB);
            return new Coverage(lowestAskPerGiB, bytes.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(), bytesLeft);
        }

        /** Whether the cap runs out before the download ends, even at the lowest ask. */
        public boolean partial() {
            return capBuysBytes < bytesLeft;
        }
    }

    /** A request whose chain id and fees are not known (one-off payments filed by tools). */
    public SpendRequest(String id, SpendPurpose purpose, String infoHash, String torrentName, String originPage, BigInteger cap,
                        BigInteger ratePerGiB, String recipient, String networkId, String tokenContract, Instant createdAt, Instant expiresAt) {
        this(id, purpose, infoHash, torrentName, originPage, cap, ratePerGiB, recipient, networkId, tokenContract, createdAt, expiresAt,
                null, null, null);
    }

    public SpendRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(cap, "cap");
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (cap.signum() <= 0) {
            throw new IllegalArgumentException("a budget cap must be positive, got " + cap);
        }
        if (ratePerGiB != null && ratePerGiB.signum() < 0) {
            throw new IllegalArgumentException("a bid rate cannot be negative, got " + ratePerGiB);
        }
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a request must expire after it is created");
        }
        if (purpose == SpendPurpose.BOOST_TORRENT && (infoHash == null || infoHash.isBlank())) {
            throw new IllegalArgumentException("a boost request names the torrent's info-hash");
        }
        if (purpose == SpendPurpose.SEND && (recipient == null || recipient.isBlank())) {
            throw new IllegalArgumentException("a send request names its recipient");
        }
        infoHash = infoHash == null ? null : infoHash.toLowerCase(java.util.Locale.ROOT);
    }
}
