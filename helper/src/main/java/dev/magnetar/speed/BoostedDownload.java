package dev.magnetar.speed;

import dev.magnetar.approval.ApprovalException;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.WalletException;
import java.math.BigInteger;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentStatus;
import dev.magnetar.wallet.InsufficientTrxException;
import dev.magnetar.wallet.WalletLockedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payer side of the speed economy for one torrent (spec §6.1): bids to every seller that trades
 * on our network while the user's approved budget lasts ({@link BoostBudget}, rate from
 * {@link AutoBidder}), meters paid bytes per seller ({@link PayerAccount}), signs receipts — never
 * beyond what the budget still covers — and pays through the wallet's {@link PaymentService} when a
 * seller's unpaid amount reaches the payment threshold, and at the end. With no approved budget it
 * never bids and never signs; when the budget runs out it withdraws its bids (the download goes on
 * unboosted) and files a request for more.
 *
 * <p>Thread-safe. {@link #tick} and {@link #finish} pay on chain (blocking) and belong on a chain executor;
 * they hold no lock while the chain is asked, so the event loop's calls never wait for it.
 */
public final class BoostedDownload {

    private static final Logger LOG = LoggerFactory.getLogger(BoostedDownload.class);
    /** How often a payer out of TRX checks again whether a payment's fee can be paid. */
    static final Duration TRX_RETRY = Duration.ofSeconds(20);

    /** A seller on one connection: its account (shared across connections), its ask, the bids sent to it. */
    private record Seller(SpeedPeer peer, PayerAccount account, BigInteger askPerGiB, BidsSent bids) {}

    private final InfoHash infoHash;
    private final SpeedHandshake ours;
    private final SpeedSettings settings;
    private final BoostBudget budget;
    private final ReceiptSigner signer;
    private final PaymentService payments;
    private final LongSupplier sequenceFloor;
    private final Map<SpeedPeer, Seller> sellers = new IdentityHashMap<>();
    private final Map<TronAddress, PayerAccount> accounts = new LinkedHashMap<>();
    /** Sellers that broke a payer rule (P2): never bid to again for this torrent, whatever the connection. */
    private final Map<TronAddress, String> refused = new LinkedHashMap<>();
    private final LongSupplier unverifiedAllowanceBytes;
    private final PayerSessions sessions;
    /** Per seller: its payment notices and what it acknowledged of them, to prove again what it lacks (P7, §4.5). */
    private final Map<TronAddress, ProofResends> proofs = new LinkedHashMap<>();
    private BigInteger standingRate = BigInteger.ZERO;
    private boolean approvalRequested;
    private boolean walletLocked;
    /** Why payments stopped for want of TRX to pay their network fee; null once one goes through again. */
    private String outOfTrx;
    private long nextTrxAttemptNanos;
    private long bidsSent;
    private boolean finished;

    /**
     * @param unverifiedAllowanceBytes paid bytes of pieces not (yet) verified that a receipt may cover:
     *     the torrent's piece length (rule P5)
     */
    public BoostedDownload(InfoHash infoHash, SpeedHandshake ours, SpeedSettings settings, BoostBudget budget, ReceiptSigner signer,
                           PaymentService payments, LongSupplier unverifiedAllowanceBytes) {
        this(infoHash, ours, settings, budget, signer, payments, unverifiedAllowanceBytes, PayerSessions.inMemory());
    }

    /** @param sessions where each seller's cumulative counters are kept across restarts */
    public BoostedDownload(InfoHash infoHash, SpeedHandshake ours, SpeedSettings settings, BoostBudget budget, ReceiptSigner signer,
                           PaymentService payments, LongSupplier unverifiedAllowanceBytes, PayerSessions sessions) {
        this(infoHash, ours, settings, budget, signer, payments, unverifiedAllowanceBytes, sessions, BoostedDownload::microsNow);
    }

    /** @param sequenceFloor receipt sequence numbers of a new seller start above this (see {@link PayerAccount}) */
    public BoostedDownload(InfoHash infoHash, SpeedHandshake ours, SpeedSettings settings, BoostBudget budget, ReceiptSigner signer,
                           PaymentService payments, LongSupplier unverifiedAllowanceBytes, PayerSessions sessions,
                           LongSupplier sequenceFloor) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.unverifiedAllowanceBytes = Objects.requireNonNull(unverifiedAllowanceBytes, "unverifiedAllowanceBytes");
        this.sequenceFloor = Objects.requireNonNull(sequenceFloor, "sequenceFloor");
        this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
        this.ours = Objects.requireNonNull(ours, "ours");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.payments = Objects.requireNonNull(payments, "payments");
    }

    /** The peer's handshake arrived: a seller on our network becomes a place to bid. */
    public synchronized boolean onHandshake(SpeedPeer peer, SpeedHandshake theirs) {
        if (!ours.tradesWith(theirs) || !theirs.sellsSlots() || theirs.address().equals(ours.address())) {
            return false;
        }
        if (refused.containsKey(theirs.address())) {
            LOG.info("{} broke the payer rules before ({}); not buying from it", peer.describe(), refused.get(theirs.address()));
            return false;
        }
        PayerAccount account = accounts.computeIfAbsent(theirs.address(),
                a -> new PayerAccount(ours.address(), a, infoHash, ours.network(), signer, sequenceFloor.getAsLong(),
                        sessions.get(infoHash, a)));
        sellers.put(peer, new Seller(peer, account, theirs.askPerGiB(), new BidsSent()));
        if (standingRate.signum() > 0) {
            sendBid(sellers.get(peer), standingRate);
        }
        return true;
    }

    public synchronized void onDisconnect(SpeedPeer peer) {
        sellers.remove(peer);
    }

    public synchronized void onMessage(SpeedPeer peer, SpeedMessage message) {
        Seller seller = sellers.get(peer);
        if (seller == null) {
            return;
        }
        if (message instanceof SpeedMessage.BidResult r) {
            Optional<String> refusal = PayerPriceRule.refusal(r, seller.bids().rate(r.bidSequence()), seller.askPerGiB(),
                    budget.maxRatePerGiB());
            if (refusal.isPresent()) {
                refuse(seller, refusal.get());
            } else {
                seller.account().onBidResult(r);
            }
        } else if (message instanceof SpeedMessage.PaymentAck a && a.proof() instanceof PaymentProof.Trc20Transaction tx) {
            proofsTo(seller.account()).answered(tx.txidHex(), a.status());
            if (a.status() == SpeedMessage.PaymentAck.Status.REJECTED) {
                LOG.warn("{} rejected our payment {} (code {}); it is not proved again", peer.describe(), tx.txidHex(), a.code());
            }
        } else if (message instanceof SpeedMessage.Error e) {
            LOG.info("{} reports speed error {}: {}", peer.describe(), e.code(), e.message());
        }
    }

    /**
     * Spec P2: a seller claimed a price we never agreed to. Nothing after its claim is paid, its slot is
     * given up (bid withdrawn), and it is remembered: no more bids to it for this torrent.
     */
    private void refuse(Seller seller, String why) {
        LOG.warn("{} broke the payer rules: {}; no longer buying from it", seller.peer().describe(), why);
        seller.account().onBidResult(SpeedMessage.BidResult.lost(0, 1));
        refused.putIfAbsent(seller.account().payee(), why);
        seller.peer().send(SpeedMessage.Error.of(SpeedErrorCode.PRICE_REFUSED, why));
        sendBid(seller, BigInteger.ZERO);
        sellers.values().removeIf(s -> s.account() == seller.account());
    }

    /**
     * A block of {@code piece} we asked {@code peer} for arrived, first copy, in stream order (the engine
     * meters nothing else, rule P3); signs a receipt when one is due and affordable.
     */
    public synchronized void onPieceBytesReceived(SpeedPeer peer, int piece, long bytes) {
        Seller seller = sellers.get(peer);
        if (seller == null) {
            return;
        }
        seller.account().received(piece, bytes);
        receiptIfDue(seller);
    }

    /**
     * {@code piece} passed its hash check: its paid bytes may now be acknowledged (rule P5). When it was
     * the last piece the torrent wanted, every seller gets its final receipt now, whatever the step: a
     * seller drops a peer that has become a seed as soon as it hears so, and {@link #finish}, which runs
     * later on the chain's thread, would find it gone and leave its last bytes unacknowledged and unpaid
     * (PayAsBidSwarmTest, load 30).
     */
    public synchronized void onPieceVerified(int piece, boolean everyWantedPieceVerified) {
        for (PayerAccount a : accounts.values()) {
            a.pieceVerified(piece);
        }
        for (Seller s : List.copyOf(sellers.values())) {
            if (everyWantedPieceVerified) {
                sendReceipt(s);
            } else {
                receiptIfDue(s);
            }
        }
    }

    /** {@code piece} failed its hash check: its paid bytes are never acknowledged beyond one piece (P5). */
    public synchronized void onPieceFailed(int piece) {
        for (PayerAccount a : accounts.values()) {
            a.pieceFailed(piece);
        }
    }

    private void receiptIfDue(Seller seller) {
        if (seller.account().unreceipted(unverifiedAllowanceBytes.getAsLong()).compareTo(settings.receiptStep()) >= 0) {
            sendReceipt(seller);
        }
    }

    private void sendReceipt(Seller seller) {
        long allowance = unverifiedAllowanceBytes.getAsLong();
        BigInteger wanted = seller.account().unreceipted(allowance);
        if (wanted.signum() <= 0) {
            return;
        }
        if (budget.capacity(unpaidDebt()).compareTo(wanted) < 0) {
            // Spec P6: never acknowledge debt the budget cannot pay; stop buying instead.
            LOG.info("budget for {} cannot cover {} more; not signing, withdrawing bids", infoHash, wanted);
            rebid(BigInteger.ZERO);
            askForMore();
            return;
        }
        try {
            SignedReceipt receipt = seller.account().signReceipt(allowance);
            // Durable before it goes out, like resume data: a restarted payer continues above it.
            sessions.put(infoHash, seller.account().payee(), seller.account().counters());
            seller.peer().send(new SpeedMessage.ReceiptMessage(receipt));
        } catch (java.io.IOException e) {
            LOG.error("cannot keep the speed session for {} on disk ({}); not acknowledging more, withdrawing bids", infoHash,
                    e.getMessage());
            rebid(BigInteger.ZERO);
        } catch (WalletLockedException e) {
            // The payer waits for the user: no receipts, no bids; what was received stays owed and is
            // acknowledged once the wallet is unlocked.
            walletLocked = true;
            rebid(BigInteger.ZERO);
        }
    }

    /**
     * Periodic work (each second or choke round): re-bid when the rate moved by more than the band,
     * and pay sellers whose unpaid amount reached the payment threshold. Pays on chain (blocking), but
     * never while holding this object's lock, so the event loop's calls never wait for the chain.
     *
     * @param remainingBytes bytes of the torrent still to download
     */
    public void tick(long remainingBytes) {
        List<Due> due;
        synchronized (this) {
            walletLocked = !signer.canSign();
            BigInteger capacity = budget.capacity(unpaidDebt().add(unreceiptedDebt()));
            BigInteger rate = capacity.compareTo(settings.receiptStep()) < 0 || walletLocked || finished || outOfTrx != null
                    ? BigInteger.ZERO
                    : AutoBidder.rate(capacity, remainingBytes, budget.maxRatePerGiB());
            if (!walletLocked && !finished && outOfTrx == null && (rate.signum() == 0 && standingRate.signum() > 0
                    || rate.signum() == 0 && budget.approved().isEmpty())) {
                askForMore();
            }
            if (AutoBidder.shouldRebid(standingRate, rate)) {
                rebid(rate);
            }
            // Out of TRX: try again now and then (the user may add TRX), not on every tick.
            due = outOfTrx != null && System.nanoTime() - nextTrxAttemptNanos < 0 ? List.of() : collectDue(settings.paymentThreshold());
        }
        pay(due);
    }

    /** The download completed or the torrent is stopped: final receipts, then pay everything owed. */
    public void finish() {
        List<Due> due;
        synchronized (this) {
            finished = true;
            rebid(BigInteger.ZERO);
            for (Seller s : sellers.values()) {
                sendReceipt(s);
            }
            due = collectDue(BigInteger.ONE);
        }
        pay(due);
    }

    /**
     * Reads back from the wallet's ledger what each seller was really paid: a payment that failed on
     * chain after it was broadcast no longer counts (and is paid again under a new id).
     */
    public synchronized void settle(PaymentLedger ledger) {
        List<PaymentEntry> entries = ledger.entries();
        for (PayerAccount a : accounts.values()) {
            String prefix = a.paymentIdPrefix();
            BigInteger paid = BigInteger.ZERO;
            int failed = 0;
            for (PaymentEntry e : entries) {
                if (e.direction() == PaymentEntry.Direction.SENT && e.paymentId().startsWith(prefix)) {
                    if (e.status() == PaymentStatus.FAILED) {
                        failed++;
                    } else {
                        paid = paid.add(e.amountBaseUnits());
                    }
                }
            }
            a.settle(paid, failed);
        }
        resendConfirmedProofs(entries);
    }

    /**
     * Spec P7, §4.5: the notice of a payment confirmed on chain goes out again when its seller says it does
     * not hold it, never answered it, or is on a new connection (it may have restarted and lost it) — the
     * same transaction, never a new payment; at most {@link ProofResends#MAX_RESENDS} times each.
     */
    private void resendConfirmedProofs(List<PaymentEntry> entries) {
        long now = System.nanoTime();
        for (PayerAccount a : accounts.values()) {
            Optional<Seller> on = sellers.values().stream().filter(s -> s.account() == a).findFirst();
            if (on.isEmpty()) {
                continue;
            }
            for (PaymentEntry e : entries) {
                if (e.direction() == PaymentEntry.Direction.SENT && e.status() == PaymentStatus.CONFIRMED && e.txid() != null
                        && e.paymentId().startsWith(a.paymentIdPrefix()) && proofsTo(a).resendNow(e.txid(), on.get().peer(), now)) {
                    LOG.info("proving payment {} to {} again", e.txid(), on.get().peer().describe());
                    on.get().peer().send(new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(e.txid()), e.amountBaseUnits()));
                }
            }
        }
    }

    private ProofResends proofsTo(PayerAccount account) {
        return proofs.computeIfAbsent(account.payee(), p -> new ProofResends(settings.proofAckTimeout()));
    }

    /** How often the notice of {@code txid} was sent again to {@code payee}. */
    public synchronized int proofResends(TronAddress payee, String txid) {
        ProofResends r = proofs.get(payee);
        return r == null ? 0 : r.resends(txid);
    }

    private record Due(PayerAccount account, PayerAccount.DuePayment payment) {}

    private List<Due> collectDue(BigInteger threshold) {
        List<Due> due = new ArrayList<>();
        for (PayerAccount a : accounts.values()) {
            a.due(threshold).ifPresent(d -> due.add(new Due(a, d)));
        }
        return due;
    }

    private void pay(List<Due> due) {
        for (Due d : due) {
            try {
                PaymentEntry entry = payments.pay(d.payment().paymentId(), d.account().payee(), d.payment().amount(), infoHash.hex());
                Optional<SpeedMessage.Payment> notice;
                List<SpeedPeer> to = new ArrayList<>();
                synchronized (this) {
                    outOfTrx = null;
                    notice = d.account().paymentMade(entry);
                    for (Seller s : sellers.values()) {
                        if (s.account() == d.account()) {
                            to.add(s.peer());
                        }
                    }
                    if (notice.isPresent()) {
                        // Recorded before it goes out, so that an answer cannot arrive before the record of the send.
                        proofsTo(d.account()).sent(entry.txid(), to.isEmpty() ? null : to.get(0), System.nanoTime());
                    }
                }
                notice.ifPresent(n -> to.forEach(p -> p.send(n)));
            } catch (InsufficientTrxException e) {
                // Spec P8: a payment whose fee the TRX cannot cover is not sent (it would burn the TRX and fail); stop
                // buying until TRX is added, so nothing more is owed that cannot be paid.
                LOG.warn("boost of {} stops paying: {}", infoHash, e.getMessage());
                synchronized (this) {
                    outOfTrx = e.getMessage();
                    nextTrxAttemptNanos = System.nanoTime() + TRX_RETRY.toNanos();
                    rebid(BigInteger.ZERO);
                }
                return; // the other payments would fail the same way
            } catch (WalletException e) {
                LOG.warn("payment to {} for {} failed: {}", d.account().payee(), infoHash, e.getMessage());
            }
        }
    }

    private void rebid(BigInteger rate) {
        if (rate.equals(standingRate)) {
            return;
        }
        standingRate = rate;
        for (Seller seller : sellers.values()) {
            sendBid(seller, rate);
        }
    }

    private void sendBid(Seller seller, BigInteger rate) {
        long seq = seller.bids().next(rate);
        bidsSent++;
        seller.peer().send(new SpeedMessage.Bid(rate, seq));
    }

    private void askForMore() {
        if (approvalRequested) {
            return;
        }
        try {
            approvalRequested = budget.requestMore().isPresent();
        } catch (ApprovalException e) {
            LOG.warn("cannot file a request for more boost budget for {}: {}", infoHash, e.getMessage());
        }
    }

    private BigInteger unpaidDebt() {
        return accounts.values().stream().map(PayerAccount::unpaid).reduce(BigInteger.ZERO, BigInteger::add);
    }

    private BigInteger unreceiptedDebt() {
        return accounts.values().stream().map(PayerAccount::unacknowledged).reduce(BigInteger.ZERO, BigInteger::add);
    }

    public synchronized Optional<PayerAccount> account(TronAddress payee) {
        return Optional.ofNullable(accounts.get(payee));
    }

    /** Bid messages sent so far, withdrawals included. */
    public synchronized long bidsSent() {
        return bidsSent;
    }

    /** The lowest ask among the sellers we may buy from on open connections (their handshakes, spec §3). */
    public synchronized Optional<BigInteger> lowestAsk() {
        return sellers.values().stream().map(Seller::askPerGiB).min(BigInteger::compareTo);
    }

    /** The rate the user approved for this torrent (0 without an approved budget). */
    public BigInteger approvedRate() {
        return budget.maxRatePerGiB();
    }

    public synchronized BigInteger standingRate() {
        return standingRate;
    }

    private static long microsNow() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** Why payments stopped for want of TRX for their fees (the boost then buys nothing), if they did. */
    public synchronized Optional<String> outOfTrx() {
        return Optional.ofNullable(outOfTrx);
    }

    /** The wallet could not sign at the last attempt: the payer waits for the user to unlock it. */
    public synchronized boolean walletLocked() {
        return walletLocked;
    }

    public synchronized SpeedStatus status() {
        BigInteger spent = accounts.values().stream().map(PayerAccount::paid).reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger owed = accounts.values().stream().map(a -> a.owed().subtract(a.paid())).reduce(BigInteger.ZERO, BigInteger::add);
        int paying = (int) accounts.values().stream().filter(a -> a.paidRate().isPresent() || a.owed().compareTo(a.paid()) > 0).count();
        boolean pendingApproval = budget.approved().isEmpty() && approvalRequested;
        return new SpeedStatus(standingRate.signum() > 0, budget.approved().map(b -> b.remaining()).orElse(BigInteger.ZERO), standingRate,
                spent, owed, BigInteger.ZERO, paying, 0, pendingApproval);
    }
}
