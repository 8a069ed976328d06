package dev.magnetar.speed;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.PaymentStatus;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.WalletException;
import dev.magnetar.wallet.WalletLockedException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downloader's books for one seeder (payee) and torrent (spec §6.1): paid piece bytes received at
 * the prices the seeder announced, the receipts it signed, and what it paid. It pays only through the
 * wallet's {@link PaymentService} (approval gate, ledger, then broadcast), and only up to the amount
 * of its latest signed receipt: {@code paid ≤ owed(latest receipt)}, so it never overpays.
 *
 * <p>Whether a receipt may be signed at all (budget) is the caller's decision ({@link BoostedDownload});
 * this class keeps the arithmetic. Not thread-safe.
 */
public final class PayerAccount {

    private static final Logger LOG = LoggerFactory.getLogger(PayerAccount.class);

    private final TronAddress payer;
    private final TronAddress payee;
    private final InfoHash infoHash;
    private final SpeedNetwork network;
    private final ReceiptSigner signer;
    private final PaidServiceMeter meter;
    /** Paid bytes per piece not yet through its hash check (rule P5). */
    private final Map<Integer, Long> unverifiedByPiece = new HashMap<>();
    private long unverifiedBytes;
    /** Paid bytes of pieces that failed their hash check: never signed for beyond the allowance (P5). */
    private long failedBytes;
    private SignedReceipt lastSigned;
    private long signedBytes;
    private BigInteger signedAmount = BigInteger.ZERO;
    private BigInteger paid = BigInteger.ZERO;
    private long sequence;
    private int failedPayments;
    /**
     * Whether {@link #paid} has been read from the wallet's ledger. A session resumed after a restart owes
     * its last receipt's amount at once, but what it already paid is only in the ledger: until it is read,
     * nothing is due (P7), or a payment made before the restart would be made again.
     */
    private boolean paidKnown;

    /** What is due to the payee and how the wallet will name the payment (one id per receipt paid). */
    public record DuePayment(String paymentId, BigInteger amount) {}

    public PayerAccount(TronAddress payer, TronAddress payee, InfoHash infoHash, SpeedNetwork network, ReceiptSigner signer) {
        this(payer, payee, infoHash, network, signer, 0);
    }

    /**
     * @param sequenceFloor receipts are numbered above this. Spec §4.2 wants the sequence to rise across
     *     connections and restarts; a payer that keeps no state passes a clock reading (microseconds)
     *     so a restarted payer still starts above everything it signed before.
     */
    public PayerAccount(TronAddress payer, TronAddress payee, InfoHash infoHash, SpeedNetwork network, ReceiptSigner signer,
                        long sequenceFloor) {
        this(payer, payee, infoHash, network, signer, sequenceFloor, Optional.empty());
    }

    /**
     * @param resumed what this payer last signed to this payee for this torrent before a restart
     *     ({@link PayerSessions}): receipts continue above it, in bytes, amount and sequence
     */
    public PayerAccount(TronAddress payer, TronAddress payee, InfoHash infoHash, SpeedNetwork network, ReceiptSigner signer,
                        long sequenceFloor, Optional<PayerSessions.Counters> resumed) {
        this.payer = Objects.requireNonNull(payer, "payer");
        this.payee = Objects.requireNonNull(payee, "payee");
        this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
        this.network = Objects.requireNonNull(network, "network");
        this.signer = Objects.requireNonNull(signer, "signer");
        if (sequenceFloor < 0) {
            throw new IllegalArgumentException("a sequence floor is >= 0");
        }
        this.sequence = Math.max(sequenceFloor, resumed.map(PayerSessions.Counters::sequence).orElse(0L));
        this.meter = resumed.map(c -> new PaidServiceMeter(c.bytes(), c.priceNumerator())).orElseGet(PaidServiceMeter::new);
        this.signedBytes = resumed.map(PayerSessions.Counters::bytes).orElse(0L);
        this.signedAmount = resumed.map(PayerSessions.Counters::amount).orElse(BigInteger.ZERO);
        this.paidKnown = resumed.isEmpty();
    }

    /** A {@code bid_result} arrived: bytes after it are paid at its price (won) or free (lost). */
    public void onBidResult(SpeedMessage.BidResult result) {
        meter.setRate(result.won() ? Optional.of(result.pricePerGiB()) : Optional.empty());
    }

    public Optional<BigInteger> paidRate() {
        return meter.currentRate();
    }

    /**
     * Piece bytes of {@code piece} received from the payee, in stream order: a block we asked it for,
     * on its first arrival (rule P3; the engine filters the rest).
     */
    public void received(int piece, long pieceBytes) {
        long paidBytes = meter.record(pieceBytes);
        if (paidBytes > 0) {
            unverifiedByPiece.merge(piece, paidBytes, Long::sum);
            unverifiedBytes += paidBytes;
        }
    }

    /** {@code piece} passed its hash check: its paid bytes may be signed for. */
    public void pieceVerified(int piece) {
        Long bytes = unverifiedByPiece.remove(piece);
        if (bytes != null) {
            unverifiedBytes -= bytes;
        }
    }

    /** {@code piece} failed its hash check: its paid bytes stay held back for good. */
    public void pieceFailed(int piece) {
        Long bytes = unverifiedByPiece.remove(piece);
        if (bytes != null) {
            unverifiedBytes -= bytes;
            failedBytes += bytes;
        }
    }

    /**
     * Paid bytes a receipt may acknowledge (rule P5): all of them but those of pieces not verified (or
     * failed), of which at most {@code allowanceBytes} (one piece) may be signed for — so a receipt need not
     * wait for every hash check, and data that fails one costs at most that allowance.
     */
    public long signableBytes(long allowanceBytes) {
        long held = unverifiedBytes + failedBytes;
        return meter.paidBytes() - Math.max(0, held - allowanceBytes);
    }

    /** price(paid bytes received), verified or not. */
    public BigInteger owed() {
        return meter.owed();
    }

    public BigInteger signedAmount() {
        return signedAmount;
    }

    /** What a receipt could acknowledge now but the latest one does not (see {@link #signableBytes}). */
    public BigInteger unreceipted(long allowanceBytes) {
        return meter.priceOf(signableBytes(allowanceBytes)).subtract(signedAmount()).max(BigInteger.ZERO);
    }

    /** Metered but not yet acknowledged in a receipt, held-back bytes included. */
    public BigInteger unacknowledged() {
        return owed().subtract(signedAmount()).max(BigInteger.ZERO);
    }

    /** Paid bytes of pieces that failed their hash check. */
    public long failedBytes() {
        return failedBytes;
    }

    /** Acknowledged in a receipt but not yet paid: the debt this payer has committed to. */
    public BigInteger unpaid() {
        return signedAmount().subtract(paid);
    }

    /** Signs a receipt for the first {@link #signableBytes} paid bytes received. */
    public SignedReceipt signReceipt(long allowanceBytes) throws WalletLockedException {
        long bytes = signableBytes(allowanceBytes);
        Receipt r = new Receipt(payer, payee, infoHash, network.chainId(), bytes, meter.priceOf(bytes), sequence + 1);
        lastSigned = signer.sign(r);
        sequence++;
        signedBytes = bytes;
        signedAmount = r.amount();
        return lastSigned;
    }

    /** The counters of the latest receipt, to keep across a restart ({@link PayerSessions}). */
    public PayerSessions.Counters counters() {
        return new PayerSessions.Counters(signedBytes, meter.numeratorOf(signedBytes), signedAmount, Math.max(sequence, 1));
    }

    public Optional<SignedReceipt> lastSigned() {
        return Optional.ofNullable(lastSigned);
    }

    /**
     * What the latest signed receipt says and is not yet paid, if that is at least {@code threshold};
     * pay it with {@link PaymentService#pay} (blocking, outside any lock) and report it back through
     * {@link #paymentMade}.
     */
    public Optional<DuePayment> due(BigInteger threshold) {
        BigInteger due = unpaid();
        if (!paidKnown || due.signum() <= 0 || due.compareTo(threshold) < 0) {
            return Optional.empty();
        }
        // The id names the receipt the payment settles: paying the same receipt twice is answered from the ledger.
        // A retry after a failed payment needs a new id: the ledger answers a known id with its old (failed) entry.
        return Optional.of(new DuePayment(paymentIdPrefix() + sequence + "." + failedPayments, due));
    }

    /** Every payment of this account has an id starting with this (for reading them back from the ledger). */
    public String paymentIdPrefix() {
        return "speed:" + infoHash.hex() + ":" + payee.toBase58() + ":";
    }

    /** The wallet made (or had already made) a payment {@link #due} asked for; returns the notice to send. */
    public Optional<SpeedMessage.Payment> paymentMade(PaymentEntry entry) {
        if (entry.status() == PaymentStatus.FAILED || !entry.paymentId().startsWith(paymentIdPrefix())) {
            return Optional.empty();
        }
        paid = paid.add(entry.amountBaseUnits());
        LOG.info("paid {} base units to {} for {} (transaction {})", entry.amountBaseUnits(), payee, infoHash, entry.txid());
        return Optional.of(new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(entry.txid()), entry.amountBaseUnits()));
    }

    /**
     * The wallet's ledger says these payments of this account still stand (not FAILED). A payment that
     * failed after it was broadcast (reverted, expired) no longer counts as paid, so it is paid again.
     */
    public void settle(BigInteger paidPerLedger, int failedPerLedger) {
        failedPayments = failedPerLedger;
        paidKnown = true;
        if (paidPerLedger.compareTo(paid) != 0) {
            LOG.info("payments to {} for {} stand at {} per the ledger, not {}", payee, infoHash, paidPerLedger, paid);
            paid = paidPerLedger;
        }
    }

    public BigInteger paid() {
        return paid;
    }

    public long paidBytes() {
        return meter.paidBytes();
    }

    public TronAddress payee() {
        return payee;
    }
}
