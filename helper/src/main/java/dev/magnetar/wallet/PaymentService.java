package dev.magnetar.wallet;

import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code path that signs a BTT payment. Order matters, and is what makes a crash harmless:
 * <ol>
 *   <li>the {@link SpendGate} reserves the amount against an approved budget — no approval, no signature;</li>
 *   <li>the transfer is built and signed; its id (SHA-256 of the raw data) is now fixed;</li>
 *   <li>a PREPARED ledger entry holding the id and the signed bytes is written durably;</li>
 *   <li>only then is it broadcast, and the entry moved to BROADCAST.</li>
 * </ol>
 * After a crash anywhere in between, {@link #reconcile()} asks the chain about every unsettled entry:
 * if the chain has the transaction it is marked (and the reservation committed), if it can no longer
 * land (expired) it is marked FAILED and the reservation released, and if it may still land the very
 * same signed bytes are re-sent. A second signature for one payment id is never made.
 */
public final class PaymentService {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);

    /** Where the payer's key comes from (the unlocked wallet); asked only after the gate said yes. */
    @FunctionalInterface
    public interface KeySource {
        TronKey payerKey() throws WalletException;
    }

    /** Test-only observation points; production uses {@link #NO_HOOKS}. */
    interface Hooks {
        void afterBroadcast(PaymentEntry entry);
    }

    static final Hooks NO_HOOKS = entry -> {};

    private final TronChainClient chain;
    private final PaymentLedger ledger;
    private final SpendGate gate;
    private final KeySource keys;
    private final Clock clock;
    private final Hooks hooks;

    public PaymentService(TronChainClient chain, PaymentLedger ledger, SpendGate gate, KeySource keys, Clock clock) {
        this(chain, ledger, gate, keys, clock, NO_HOOKS);
    }

    PaymentService(TronChainClient chain, PaymentLedger ledger, SpendGate gate, KeySource keys, Clock clock, Hooks hooks) {
        this.chain = chain;
        this.ledger = ledger;
        this.gate = gate;
        this.keys = keys;
        this.clock = clock;
        this.hooks = hooks;
    }

    /**
     * Pays {@code amountBaseUnits} BTT to {@code recipient} for {@code torrent}. Calling again with the
     * same {@code paymentId} returns the recorded payment instead of paying twice.
     *
     * @throws PaymentRefusedException if no approval covers it (nothing was signed)
     * @throws TransactionRejectedException if the node refused it (recorded FAILED, reservation released)
     * @throws ChainUnavailableException if the node could not be reached after the payment was recorded;
     *         {@link #reconcile()} finishes it later
     */
    public synchronized PaymentEntry pay(String paymentId, TronAddress recipient, BigInteger amountBaseUnits, String torrent)
            throws WalletException {
        Optional<PaymentEntry> existing = ledger.byPaymentId(paymentId);
        if (existing.isPresent()) {
            LOG.info("payment {} already recorded as {}; not paying again", paymentId, existing.get().status());
            return existing.get();
        }
        String reservation = gate.reserve(paymentId, torrent, recipient, amountBaseUnits);
        PaymentEntry entry;
        SignedTransaction signed;
        try {
            signed = chain.signBttTransfer(keys.payerKey(), recipient, amountBaseUnits, ledger.unsettled().size());
            entry = new PaymentEntry(paymentId, PaymentEntry.Direction.SENT, chain.network().name(), signed.txid(), recipient.toBase58(), torrent,
                    amountBaseUnits, PaymentStatus.PREPARED, signed.expirationMillis(), reservation, signed.toHex(), 0, 0, "", clock.millis());
            ledger.record(entry);
        } catch (WalletException | RuntimeException e) {
            gate.release(reservation);
            throw e;
        }
        LOG.info("payment {} prepared as transaction {}", paymentId, signed.txid());
        return send(entry, signed);
    }

    private PaymentEntry send(PaymentEntry entry, SignedTransaction signed) throws WalletException {
        try {
            chain.broadcast(signed);
        } catch (TransactionRejectedException e) {
            if (!e.code().equals("DUP_TRANSACTION_ERROR")) {
                ledger.advance(entry.paymentId(), PaymentStatus.FAILED, 0, 0, e.getMessage());
                gate.release(entry.reservationId());
                throw e;
            }
            // The node already has these exact bytes (an earlier send got through): nothing more to do.
        }
        hooks.afterBroadcast(entry);
        return ledger.advance(entry.paymentId(), PaymentStatus.BROADCAST, 0, 0, "");
    }

    /** Settles every unsettled sent payment against the chain; call at start-up and after new blocks. */
    public synchronized List<PaymentEntry> reconcile() throws WalletException {
        List<PaymentEntry> settled = new ArrayList<>();
        for (PaymentEntry entry : ledger.unsettled()) {
            settled.add(settle(entry));
        }
        return settled;
    }

    private PaymentEntry settle(PaymentEntry entry) throws WalletException {
        TransactionStatus status = chain.status(entry.txid());
        switch (status.state()) {
            case CONFIRMED -> {
                gate.commit(entry.reservationId());
                return ledger.advance(entry.paymentId(), PaymentStatus.CONFIRMED, status.blockNumber(), status.feeSun(), "");
            }
            case FAILED -> {
                gate.release(entry.reservationId());
                return ledger.advance(entry.paymentId(), PaymentStatus.FAILED, status.blockNumber(), status.feeSun(), status.failure());
            }
            case INCLUDED -> {
                return ledger.advance(entry.paymentId(), PaymentStatus.BROADCAST, status.blockNumber(), status.feeSun(), "");
            }
            default -> {
                if (chain.headBlockTimeMillis() >= entry.expirationMillis()) {
                    // Every future block is later than the expiration, so this transaction can never be included.
                    gate.release(entry.reservationId());
                    return ledger.advance(entry.paymentId(), PaymentStatus.FAILED, 0, 0, "expired without being included in a block");
                }
                if (entry.status() == PaymentStatus.PREPARED) {
                    LOG.info("payment {} may never have reached the node; re-sending the same signed transaction {}", entry.paymentId(), entry.txid());
                    try {
                        return send(entry, SignedTransaction.fromHex(entry.signedTransactionHex()));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new LedgerStorageException("ledger holds an unreadable signed transaction for payment " + entry.paymentId(), e);
                    }
                }
                return entry;
            }
        }
    }

    /**
     * Records a BTT payment received in {@code txid}, once the chain has confirmed it; idempotent by
     * transaction id. Empty while the transfer is not (yet) confirmed or does not pay {@code me}.
     */
    public synchronized Optional<PaymentEntry> recordIncoming(String txid, TronAddress me, String torrent) throws WalletException {
        Optional<PaymentEntry> known = ledger.byTxid(txid);
        if (known.isPresent()) {
            return known;
        }
        if (chain.status(txid).state() != TransactionStatus.State.CONFIRMED) {
            return Optional.empty();
        }
        Optional<TronChainClient.IncomingTransfer> incoming = chain.incomingBttTransfer(txid, me);
        if (incoming.isEmpty()) {
            return Optional.empty();
        }
        TronChainClient.IncomingTransfer in = incoming.get();
        PaymentEntry entry = new PaymentEntry("received:" + txid, PaymentEntry.Direction.RECEIVED, chain.network().name(), txid,
                in.from().toBase58(), torrent, in.baseUnits(), PaymentStatus.CONFIRMED, 0, "", "", in.blockNumber(), 0, "", clock.millis());
        ledger.record(entry);
        return Optional.of(entry);
    }

    public BigInteger totalSent() {
        return ledger.entries().stream()
                .filter(e -> e.direction() == PaymentEntry.Direction.SENT && e.status() == PaymentStatus.CONFIRMED)
                .map(PaymentEntry::amountBaseUnits).reduce(BigInteger.ZERO, BigInteger::add);
    }
}
