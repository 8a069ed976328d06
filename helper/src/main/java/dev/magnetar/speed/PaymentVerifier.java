package dev.magnetar.speed;

import dev.magnetar.wallet.ChainException;
import dev.magnetar.wallet.DuplicatePaymentException;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentStatus;
import dev.magnetar.wallet.TransactionStatus;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.UnknownNetworkException;
import dev.magnetar.wallet.WalletException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a {@code trc20_tx} payment notice on chain before anything is credited (spec §6.4, rules
 * C1–C7) and records each credited transaction in the payee's {@link PaymentLedger} as a RECEIVED
 * entry — durably, before the caller credits the payer — so a transaction id is credited once, ever,
 * across payers and restarts (the ledger refuses a txid twice). Blocking (gRPC): call it off the
 * event loop.
 */
public final class PaymentVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentVerifier.class);

    /** What a check decided. */
    public sealed interface Verdict permits Verdict.Credited, Verdict.Pending {
        /** Credit {@code amount} (the on-chain value) now; already recorded in the ledger. */
        record Credited(String txid, BigInteger amount, boolean confirmed) implements Verdict {}

        /** Ask again after the next block; nothing credited yet. */
        record Pending(String txid, String reason) implements Verdict {}
    }

    private final TronChainClient chain;
    private final SpeedNetwork network;
    private final PaymentLedger ledger;
    private final BigInteger confirmationThreshold;
    private final Duration noticeTimeout;
    private final Clock clock;

    public PaymentVerifier(TronChainClient chain, SpeedNetwork network, PaymentLedger ledger, BigInteger confirmationThreshold,
                           Duration noticeTimeout, Clock clock) throws UnknownNetworkException {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.network = Objects.requireNonNull(network, "network");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.confirmationThreshold = Objects.requireNonNull(confirmationThreshold, "confirmationThreshold");
        this.noticeTimeout = Objects.requireNonNull(noticeTimeout, "noticeTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        // The chain client reads Transfer events of its own network's BTT contract: it must be our token.
        if (!chain.network().requireBttContract().equals(network.token())) {
            throw new IllegalArgumentException("chain client pays in " + chain.network().requireBttContract()
                    + " but this speed network trades " + network.token());
        }
    }

    /** Head block time: stamp a notice with it on arrival, for the notice timeout of C2. */
    public long headTimeMillis() throws ChainException {
        return chain.headBlockTimeMillis();
    }

    /**
     * @param firstSeenHeadMillis {@link #headTimeMillis()} when the notice first arrived
     * @throws PaymentRejectedException nothing credited, tell the payer the code
     * @throws ChainException the node could not be asked; try again later
     */
    public synchronized Verdict check(SpeedMessage.Payment notice, TronAddress payer, TronAddress payee, String torrent,
                                      long firstSeenHeadMillis) throws PaymentRejectedException, WalletException {
        if (!(notice.proof() instanceof PaymentProof.Trc20Transaction tx)) {
            throw new PaymentRejectedException(SpeedErrorCode.UNSUPPORTED_PROOF, "proof type \"" + notice.proof().type()
                    + "\" is not supported; pay with a trc20_tx");
        }
        String txid = tx.txidHex();
        Optional<PaymentEntry> known = ledger.byTxid(txid);
        if (known.isPresent()) {
            throw new PaymentRejectedException(SpeedErrorCode.PAYMENT_ALREADY_CREDITED, "transaction " + txid + " was already credited");
        }
        TransactionStatus status = chain.status(txid);
        switch (status.state()) {
            case NOT_FOUND -> {
                if (chain.headBlockTimeMillis() - firstSeenHeadMillis > noticeTimeout.toMillis()) {
                    throw new PaymentRejectedException(SpeedErrorCode.PAYMENT_NOT_FOUND,
                            "transaction " + txid + " did not appear on " + network.name() + " within " + noticeTimeout.toSeconds() + " s");
                }
                return new Verdict.Pending(txid, "not in a block yet");
            }
            case FAILED -> throw new PaymentRejectedException(SpeedErrorCode.PAYMENT_FAILED,
                    "transaction " + txid + " failed on chain: " + status.failure());
            default -> { }
        }
        Optional<TronChainClient.IncomingTransfer> transfer = chain.incomingBttTransfer(txid, payee);
        if (transfer.isEmpty()) {
            throw new PaymentRejectedException(SpeedErrorCode.PAYMENT_WRONG_TRANSFER,
                    "transaction " + txid + " is not a transfer of " + network.token() + " to " + payee);
        }
        TronChainClient.IncomingTransfer in = transfer.get();
        if (!in.from().equals(payer)) {
            throw new PaymentRejectedException(SpeedErrorCode.PAYMENT_WRONG_SENDER,
                    "transaction " + txid + " moved tokens from " + in.from() + ", not from the payer " + payer);
        }
        if (in.baseUnits().compareTo(notice.amount()) < 0) {
            throw new PaymentRejectedException(SpeedErrorCode.PAYMENT_TOO_SMALL,
                    "transaction " + txid + " pays " + in.baseUnits() + ", less than the " + notice.amount() + " claimed");
        }
        boolean confirmed = status.state() == TransactionStatus.State.CONFIRMED;
        if (!confirmed && in.baseUnits().compareTo(confirmationThreshold) > 0) {
            return new Verdict.Pending(txid, "waiting for the block to solidify (amount above " + confirmationThreshold + ")");
        }
        PaymentEntry entry = new PaymentEntry("received:" + txid, PaymentEntry.Direction.RECEIVED, network.name(), txid,
                payer.toBase58(), torrent, in.baseUnits(), confirmed ? PaymentStatus.CONFIRMED : PaymentStatus.BROADCAST, 0, "", "",
                in.blockNumber(), 0, "", clock.millis());
        try {
            ledger.record(entry);
        } catch (DuplicatePaymentException e) {
            throw new PaymentRejectedException(SpeedErrorCode.PAYMENT_ALREADY_CREDITED, "transaction " + txid + " was already credited");
        }
        LOG.info("credited {} base units from {} in transaction {}", in.baseUnits(), payer, txid);
        return new Verdict.Credited(txid, in.baseUnits(), confirmed);
    }

    /**
     * What the ledger says was credited from {@code payer} for {@code torrent} on this network: the
     * credits a restarted seller starts from (each was recorded before it was credited, spec §6.4).
     */
    public synchronized BigInteger creditedFrom(TronAddress payer, String torrent) {
        BigInteger sum = BigInteger.ZERO;
        for (PaymentEntry e : ledger.entries()) {
            if (e.direction() == PaymentEntry.Direction.RECEIVED && e.status() != PaymentStatus.FAILED && network.name().equals(e.network())
                    && payer.toBase58().equals(e.counterparty()) && torrent.equals(e.torrent())) {
                sum = sum.add(e.amountBaseUnits());
            }
        }
        return sum;
    }

    /** Whether {@code txid} was credited to {@code payer} for {@code torrent} on this network (a proof sent again). */
    public synchronized boolean wasCreditedFrom(String txid, TronAddress payer, String torrent) {
        return ledger.byTxid(txid).filter(e -> e.direction() == PaymentEntry.Direction.RECEIVED && e.status() != PaymentStatus.FAILED
                && network.name().equals(e.network()) && payer.toBase58().equals(e.counterparty()) && torrent.equals(e.torrent())).isPresent();
    }

    /** Moves received payments credited while only included to CONFIRMED once their block is solid. */
    public synchronized int settleReceived() throws WalletException {
        int settled = 0;
        for (PaymentEntry e : ledger.entries()) {
            if (e.direction() == PaymentEntry.Direction.RECEIVED && e.status() == PaymentStatus.BROADCAST) {
                TransactionStatus s = chain.status(e.txid());
                if (s.state() == TransactionStatus.State.CONFIRMED) {
                    ledger.advance(e.paymentId(), PaymentStatus.CONFIRMED, s.blockNumber(), 0, "");
                    settled++;
                }
            }
        }
        return settled;
    }
}
