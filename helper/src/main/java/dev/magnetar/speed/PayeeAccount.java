package dev.magnetar.speed;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.TronAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeder's books for one paying peer (payer address) and torrent: paid bytes served at the
 * charged rates (its own meter, spec §6.3), the last accepted receipt (rules R2–R9, §6.2), payments
 * credited, and the resulting unpaid debt. Paid service stops when the debt reaches the disconnect
 * threshold D (§7), which bounds what a cheating payer can take (§8).
 *
 * <p>Kept per payer address, not per connection, so receipts' sequence numbers survive reconnects.
 * Not thread-safe: used from the torrent's event loop.
 */
public final class PayeeAccount {

    private static final Logger LOG = LoggerFactory.getLogger(PayeeAccount.class);

    private final SpeedNetwork network;
    private final TronAddress payee;
    private final TronAddress payer;
    private final InfoHash infoHash;
    private final BigInteger disconnectThreshold;
    private final ReceiptVerifier verifier;
    private final PaidServiceMeter meter = new PaidServiceMeter();
    private final List<String> creditedTxids = new ArrayList<>();
    private SignedReceipt lastAccepted;
    private BigInteger credited = BigInteger.ZERO;

    public PayeeAccount(SpeedNetwork network, TronAddress payee, TronAddress payer, InfoHash infoHash, BigInteger disconnectThreshold) {
        this.network = Objects.requireNonNull(network, "network");
        this.payee = Objects.requireNonNull(payee, "payee");
        this.payer = Objects.requireNonNull(payer, "payer");
        this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
        this.disconnectThreshold = Objects.requireNonNull(disconnectThreshold, "disconnectThreshold");
        this.verifier = new ReceiptVerifier(network);
    }

    /** We told the payer {@code bid_result}: piece bytes from now on are charged at this rate, or free (empty). */
    public void setChargedRate(Optional<BigInteger> ratePerGiB) {
        meter.setRate(ratePerGiB);
    }

    public Optional<BigInteger> chargedRate() {
        return meter.currentRate();
    }

    /**
     * Meters piece bytes just written to the payer. Returns whether paid service may go on (the engine
     * stops sending paid data and the next rechoke takes the slot away when it may not).
     */
    public boolean served(long pieceBytes) {
        meter.record(pieceBytes);
        return !shouldStopPaidService();
    }

    /** Checks a receipt against R2–R9 and, if it passes, makes it the last accepted one. */
    public void accept(SignedReceipt signed) throws ReceiptRejectedException {
        Receipt r = signed.receipt();
        if (r.chainId() != network.chainId()) {
            throw new ReceiptRejectedException(SpeedErrorCode.WRONG_NETWORK, "receipt is for chain " + r.chainId() + ", we trade on " + network.chainId());
        }
        if (!r.infoHash().equals(infoHash)) {
            throw new ReceiptRejectedException(SpeedErrorCode.WRONG_TORRENT, "receipt is for torrent " + r.infoHash() + ", not " + infoHash);
        }
        if (!r.payer().equals(payer) || !r.payee().equals(payee)) {
            throw new ReceiptRejectedException(SpeedErrorCode.WRONG_PARTIES,
                    "receipt is from " + r.payer() + " to " + r.payee() + "; this account is " + payer + " to " + payee);
        }
        verifier.verify(signed);
        Receipt last = lastAccepted == null ? null : lastAccepted.receipt();
        if (last != null && r.sequence() <= last.sequence()) {
            throw new ReceiptRejectedException(SpeedErrorCode.STALE_SEQUENCE,
                    "receipt sequence " + r.sequence() + " is not above the last accepted " + last.sequence() + " (replayed or stale)");
        }
        if (last != null && (r.bytes() < last.bytes() || r.amount().compareTo(last.amount()) < 0)) {
            throw new ReceiptRejectedException(SpeedErrorCode.NOT_MONOTONIC, "receipt goes backwards: " + r.bytes() + " bytes / "
                    + r.amount() + " after " + last.bytes() + " bytes / " + last.amount());
        }
        if (r.bytes() > meter.paidBytes()) {
            throw new ReceiptRejectedException(SpeedErrorCode.BYTES_NOT_SERVED,
                    "receipt acknowledges " + r.bytes() + " paid bytes but only " + meter.paidBytes() + " were served");
        }
        BigInteger price = meter.priceOf(r.bytes());
        if (r.amount().compareTo(price) < 0) {
            throw new ReceiptRejectedException(SpeedErrorCode.AMOUNT_TOO_LOW,
                    "receipt says " + r.amount() + " for " + r.bytes() + " paid bytes, which cost " + price);
        }
        lastAccepted = signed;
        LOG.debug("accepted receipt {} from {}: {} bytes, {} owed", r.sequence(), payer, r.bytes(), r.amount());
    }

    /** A payment the {@link PaymentVerifier} checked on chain (it guarantees each txid once, globally). */
    public void credit(String txid, BigInteger amount) {
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("a credited payment is positive");
        }
        creditedTxids.add(txid);
        credited = credited.add(amount);
    }

    /** Spec §7: price(paid bytes served) − credited. */
    public BigInteger unpaidDebt() {
        return meter.owed().subtract(credited);
    }

    public boolean shouldStopPaidService() {
        return unpaidDebt().compareTo(disconnectThreshold) >= 0;
    }

    public BigInteger owedByMeter() {
        return meter.owed();
    }

    public long paidBytesServed() {
        return meter.paidBytes();
    }

    public BigInteger credited() {
        return credited;
    }

    public Optional<SignedReceipt> lastAcceptedReceipt() {
        return Optional.ofNullable(lastAccepted);
    }
}
