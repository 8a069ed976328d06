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
 * <p>Kept per payer address, not per connection, so receipts' sequence numbers survive reconnects, and
 * durably as a {@link PayeeBooks.Book} so that they survive a restart of the seller too. A resumed account
 * may have served up to {@link #UNRECORDED_ALLOWANCE} paid bytes after its last saved book; it accepts
 * receipts that far beyond its meter and prices them at the lowest rate it ever charged the payer (spec
 * §6.2, "restart"). Not thread-safe: used from the torrent's event loop.
 */
public final class PayeeAccount {

    private static final Logger LOG = LoggerFactory.getLogger(PayeeAccount.class);

    /** The seller saves its book at least every this many paid bytes served (spec §6.2, "restart"). */
    public static final long CHECKPOINT_BYTES = 4L << 20;
    /**
     * The most paid bytes a resumed account may have served without recording them: a checkpoint's worth,
     * plus the one write (a few blocks) that may have crossed it before the book was saved.
     */
    public static final long UNRECORDED_ALLOWANCE = 2 * CHECKPOINT_BYTES;

    private final SpeedNetwork network;
    private final TronAddress payee;
    private final TronAddress payer;
    private final InfoHash infoHash;
    private final BigInteger disconnectThreshold;
    private final ReceiptVerifier verifier;
    private final PaidServiceMeter meter;
    private final long unrecordedAllowance;
    private final List<String> creditedTxids = new ArrayList<>();
    private SignedReceipt lastAccepted;
    private long acceptedBytes;
    private BigInteger acceptedAmount = BigInteger.ZERO;
    private long acceptedSequence;
    private BigInteger lowestRate = BigInteger.ZERO;
    private long savedPaidBytes;
    private BigInteger credited = BigInteger.ZERO;

    public PayeeAccount(SpeedNetwork network, TronAddress payee, TronAddress payer, InfoHash infoHash, BigInteger disconnectThreshold) {
        this.network = Objects.requireNonNull(network, "network");
        this.payee = Objects.requireNonNull(payee, "payee");
        this.payer = Objects.requireNonNull(payer, "payer");
        this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
        this.disconnectThreshold = Objects.requireNonNull(disconnectThreshold, "disconnectThreshold");
        this.verifier = new ReceiptVerifier(network);
        this.meter = new PaidServiceMeter();
        this.unrecordedAllowance = 0;
    }

    private PayeeAccount(SpeedNetwork network, TronAddress payee, TronAddress payer, InfoHash infoHash, BigInteger disconnectThreshold,
                         PayeeBooks.Book book, BigInteger creditedBefore) {
        this.network = Objects.requireNonNull(network, "network");
        this.payee = Objects.requireNonNull(payee, "payee");
        this.payer = Objects.requireNonNull(payer, "payer");
        this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
        this.disconnectThreshold = Objects.requireNonNull(disconnectThreshold, "disconnectThreshold");
        this.verifier = new ReceiptVerifier(network);
        this.meter = new PaidServiceMeter(book.servedBytes(), book.servedNumerator());
        // Without a rate ever charged nothing paid can have been served unrecorded.
        this.unrecordedAllowance = book.lowestRate().signum() > 0 ? UNRECORDED_ALLOWANCE : 0;
        this.lowestRate = book.lowestRate();
        this.acceptedBytes = book.acceptedBytes();
        this.acceptedAmount = book.acceptedAmount();
        this.acceptedSequence = book.acceptedSequence();
        this.savedPaidBytes = book.servedBytes();
        if (creditedBefore.signum() < 0) {
            throw new IllegalArgumentException("credited payments are >= 0");
        }
        this.credited = creditedBefore;
    }

    /**
     * The account of a session the seller kept in its books before it restarted.
     *
     * @param creditedBefore what the payment ledger says was credited from this payer for this torrent
     */
    public static PayeeAccount resumed(SpeedNetwork network, TronAddress payee, TronAddress payer, InfoHash infoHash,
                                       BigInteger disconnectThreshold, PayeeBooks.Book book, BigInteger creditedBefore) {
        return new PayeeAccount(network, payee, payer, infoHash, disconnectThreshold, Objects.requireNonNull(book, "book"),
                Objects.requireNonNull(creditedBefore, "creditedBefore"));
    }

    /** What to save so that a restarted seller continues this session. */
    public PayeeBooks.Book book() {
        return new PayeeBooks.Book(meter.paidBytes(), meter.numeratorOf(meter.paidBytes()), lowestRate, acceptedBytes, acceptedAmount,
                acceptedSequence);
    }

    /** Whether enough paid bytes were served since the book was last saved that it should be saved now. */
    public boolean checkpointDue() {
        return meter.paidBytes() - savedPaidBytes >= CHECKPOINT_BYTES;
    }

    /** The book as of {@code saved} is on disk. */
    public void saved(PayeeBooks.Book saved) {
        savedPaidBytes = Math.max(savedPaidBytes, saved.servedBytes());
    }

    /** We told the payer {@code bid_result}: piece bytes from now on are charged at this rate, or free (empty). */
    public void setChargedRate(Optional<BigInteger> ratePerGiB) {
        meter.setRate(ratePerGiB);
        ratePerGiB.filter(r -> r.signum() > 0 && (lowestRate.signum() == 0 || r.compareTo(lowestRate) < 0)).ifPresent(r -> lowestRate = r);
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
        if (acceptedSequence > 0 && r.sequence() <= acceptedSequence) {
            throw new ReceiptRejectedException(SpeedErrorCode.STALE_SEQUENCE,
                    "receipt sequence " + r.sequence() + " is not above the last accepted " + acceptedSequence + " (replayed or stale)");
        }
        if (r.bytes() < acceptedBytes || r.amount().compareTo(acceptedAmount) < 0) {
            throw new ReceiptRejectedException(SpeedErrorCode.NOT_MONOTONIC, "receipt goes backwards: " + r.bytes() + " bytes / "
                    + r.amount() + " after " + acceptedBytes + " bytes / " + acceptedAmount);
        }
        if (r.bytes() > meter.paidBytes() + unrecordedAllowance) {
            throw new ReceiptRejectedException(SpeedErrorCode.BYTES_NOT_SERVED,
                    "receipt acknowledges " + r.bytes() + " paid bytes but only " + meter.paidBytes() + " were served"
                            + (unrecordedAllowance > 0 ? " (" + unrecordedAllowance + " more allowed since our restart)" : ""));
        }
        BigInteger price = leastPriceOf(r.bytes());
        if (r.amount().compareTo(price) < 0) {
            throw new ReceiptRejectedException(SpeedErrorCode.AMOUNT_TOO_LOW,
                    "receipt says " + r.amount() + " for " + r.bytes() + " paid bytes, which cost " + price);
        }
        acceptedBytes = r.bytes();
        acceptedAmount = r.amount();
        acceptedSequence = r.sequence();
        lastAccepted = signed;
        LOG.debug("accepted receipt {} from {}: {} bytes, {} owed", r.sequence(), payer, r.bytes(), r.amount());
    }

    /**
     * The least {@code amount} a receipt for {@code bytes} paid bytes may carry (R9): the price of the
     * cheapest {@code bytes} served, as a block the payer cancelled may never have reached it. A resumed session no
     * longer knows where its unrecorded bytes fell among its rates, so it asks for the last accepted amount
     * plus the lowest rate it ever charged for the bytes since: an honest payer always pays at least that,
     * and what the seller can lose by it is bounded by its own meter and D (§7), not by receipts.
     */
    private BigInteger leastPriceOf(long bytes) {
        if (unrecordedAllowance == 0) {
            return meter.cheapestPriceOf(bytes);
        }
        BigInteger floor = acceptedAmount.shiftLeft(30).add(Amounts.priceNumerator(bytes - acceptedBytes, lowestRate));
        return Amounts.floorPerGib(floor);
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

    public TronAddress payer() {
        return payer;
    }
}
