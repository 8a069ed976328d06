package dev.magnetar.speed;

import dev.magnetar.engine.PeerSnapshot;
import dev.magnetar.engine.RechokeContext;
import dev.magnetar.engine.ReservedSlots;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.WalletException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payee side of the speed economy for one torrent: sells paid slots through {@link PaidSlots},
 * tells every bidder its {@code bid_result}, meters paid bytes per payer ({@link PayeeAccount}),
 * accepts or rejects receipts, checks payment notices on chain ({@link PaymentVerifier}) and stops paid
 * service at the disconnect threshold. Peers without the extension never reach this class.
 *
 * <p>Thread-safe: the engine calls it from its event loop, except {@link #onMessage} for payment
 * notices and {@link #recheckPayments()}, which ask the chain and belong on a chain executor. No lock
 * is held while the chain is asked, so the event loop never waits for a blocking call.
 */
public final class SeedingSpeed {

    private static final Logger LOG = LoggerFactory.getLogger(SeedingSpeed.class);

    /**
     * A payment notice waiting for the chain, stamped with the chain's head time when we could first
     * ask the chain after it arrived (C2 counts the notice timeout in chain time from then). A notice that
     * arrived while the chain was unreachable is stamped at the first answer, so an outage never makes an
     * honest payment "not found".
     */
    private static final class PendingNotice {
        final SpeedMessage.Payment notice;
        OptionalLong firstSeenHeadMillis;
        /** Whether the payer was told this notice waits for the chain (§4.5 {@code pending}); told once. */
        boolean toldPending;

        PendingNotice(SpeedMessage.Payment notice, OptionalLong firstSeenHeadMillis) {
            this.notice = notice;
            this.firstSeenHeadMillis = firstSeenHeadMillis;
        }
    }

    private final InfoHash infoHash;
    private final SpeedHandshake ours;
    private final SpeedSettings settings;
    private final PaymentVerifier verifier;
    private final PayeeBooks books;
    private final PaidSlots<SpeedPeer> paidSlots;
    private final Map<SpeedPeer, TronAddress> payerOf = new IdentityHashMap<>();
    private final Map<TronAddress, PayeeAccount> accounts = new LinkedHashMap<>();
    private final Map<TronAddress, List<PendingNotice>> pending = new HashMap<>();
    private final Map<SpeedPeer, SpeedMessage.BidResult> told = new IdentityHashMap<>();
    private final Map<SpeedPeer, Boolean> debtLimitSent = new IdentityHashMap<>();

    /** A seller whose books live in memory only (a restart starts new sessions with every payer). */
    public SeedingSpeed(InfoHash infoHash, SpeedHandshake ours, SpeedSettings settings, PaymentVerifier verifier) {
        this(infoHash, ours, settings, verifier, PayeeBooks.inMemory());
    }

    /** @param books where the seller's books per payer are kept across restarts */
    public SeedingSpeed(InfoHash infoHash, SpeedHandshake ours, SpeedSettings settings, PaymentVerifier verifier, PayeeBooks books) {
        this.books = Objects.requireNonNull(books, "books");
        this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
        this.ours = Objects.requireNonNull(ours, "ours");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.paidSlots = new PaidSlots<>(ours.askPerGiB(), settings.paidSlots(), this::overDebtLimit);
    }

    /** The peer's handshake arrived; returns whether we trade with it (spec H2). */
    public synchronized boolean onHandshake(SpeedPeer peer, SpeedHandshake theirs) {
        if (!ours.tradesWith(theirs)) {
            peer.send(SpeedMessage.Error.of(SpeedErrorCode.WRONG_NETWORK, "we trade on " + ours.network() + " version " + ours.version()));
            return false;
        }
        payerOf.put(peer, theirs.address());
        accounts.computeIfAbsent(theirs.address(), this::openAccount);
        return true;
    }

    private PayeeAccount openAccount(TronAddress payer) {
        return books.get(infoHash, payer)
                .map(book -> {
                    LOG.info("resuming the session with payer {}: {} paid bytes served, last receipt {}", payer, book.servedBytes(),
                            book.acceptedSequence());
                    return PayeeAccount.resumed(ours.network(), ours.address(), payer, infoHash, settings.disconnectThreshold(), book,
                            verifier.creditedFrom(payer, infoHash.hex()));
                })
                .orElseGet(() -> new PayeeAccount(ours.network(), ours.address(), payer, infoHash, settings.disconnectThreshold()));
    }

    /** Saves the account's book; a failure leaves the last saved one, and only widens the gap a restart must allow for. */
    private void save(PayeeAccount account) {
        PayeeBooks.Book book = account.book();
        try {
            books.put(infoHash, account.payer(), book);
            account.saved(book);
        } catch (IOException e) {
            LOG.warn("cannot save the speed books for payer {}: {}", account.payer(), e.getMessage());
        }
    }

    public synchronized void onDisconnect(SpeedPeer peer) {
        payerOf.remove(peer);
        paidSlots.remove(peer);
        told.remove(peer);
        debtLimitSent.remove(peer);
    }

    /**
     * A decoded message from a peer we trade with; others are ignored. Bids, receipts and errors are
     * handled at once (call in stream order from the event loop); a payment notice asks the chain and
     * belongs on a chain executor — no lock is held while the chain answers.
     */
    public void onMessage(SpeedPeer peer, SpeedMessage message) {
        if (message instanceof SpeedMessage.Payment p) {
            onPayment(peer, p);
        } else {
            onWireMessage(peer, message);
        }
    }

    private synchronized void onWireMessage(SpeedPeer peer, SpeedMessage message) {
        TronAddress payer = payerOf.get(peer);
        if (payer == null) {
            return;
        }
        PayeeAccount account = accounts.get(payer);
        if (message instanceof SpeedMessage.Bid bid) {
            paidSlots.bid(peer, bid);
        } else if (message instanceof SpeedMessage.ReceiptMessage r) {
            try {
                account.accept(r.receipt());
                save(account);
            } catch (ReceiptRejectedException e) {
                LOG.info("rejected receipt from {}: {}", peer.describe(), e.getMessage());
                peer.send(e.toMessage());
            }
        } else if (message instanceof SpeedMessage.Error e) {
            LOG.info("{} reports speed error {}: {}", peer.describe(), e.code(), e.message());
        }
    }

    private void onPayment(SpeedPeer peer, SpeedMessage.Payment notice) {
        TronAddress payer;
        synchronized (this) {
            payer = payerOf.get(peer);
            if (payer == null) {
                return;
            }
            List<PendingNotice> waiting = pending.computeIfAbsent(payer, a -> new ArrayList<>());
            if (waiting.size() >= SpeedSettings.MAX_PENDING_NOTICES) {
                peer.send(SpeedMessage.Error.of(SpeedErrorCode.TOO_MANY_PENDING, "already " + waiting.size() + " payments wait for the chain"));
                // Not held: the payer may prove it again once the others are through.
                peer.send(SpeedMessage.PaymentAck.of(notice.proof(), SpeedMessage.PaymentAck.Status.NOT_HELD, SpeedErrorCode.TOO_MANY_PENDING,
                        accounts.get(payer).credited()));
                return;
            }
        }
        OptionalLong head;
        try {
            head = OptionalLong.of(verifier.headTimeMillis());
        } catch (WalletException e) {
            LOG.warn("cannot reach the chain to check a payment from {}: {}", peer.describe(), e.getMessage());
            head = OptionalLong.empty(); // stamped when the chain answers again
        }
        PendingNotice p = new PendingNotice(notice, head);
        synchronized (this) {
            pending.computeIfAbsent(payer, a -> new ArrayList<>()).add(p);
        }
        check(peer, payer, p);
    }

    /** Re-checks payment notices waiting for the chain; call after new blocks, off the event loop. */
    public void recheckPayments() {
        record Waiting(SpeedPeer peer, TronAddress payer, PendingNotice notice) {}
        List<Waiting> all = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<SpeedPeer, TronAddress> e : payerOf.entrySet()) {
                for (PendingNotice p : pending.getOrDefault(e.getValue(), List.of())) {
                    all.add(new Waiting(e.getKey(), e.getValue(), p));
                }
            }
        }
        for (Waiting w : all) {
            check(w.peer(), w.payer(), w.notice());
        }
    }

    /** Whether any payment notice waits for the chain. */
    public synchronized boolean paymentsPending() {
        return pending.values().stream().anyMatch(l -> !l.isEmpty());
    }

    private void check(SpeedPeer peer, TronAddress payer, PendingNotice p) {
        try {
            if (p.firstSeenHeadMillis.isEmpty()) {
                p.firstSeenHeadMillis = OptionalLong.of(verifier.headTimeMillis());
            }
            PaymentVerifier.Verdict v = verifier.check(p.notice, payer, ours.address(), infoHash.hex(), p.firstSeenHeadMillis.getAsLong());
            if (v instanceof PaymentVerifier.Verdict.Credited c) {
                BigInteger credited;
                synchronized (this) {
                    pending.get(payer).remove(p);
                    PayeeAccount account = accounts.get(payer);
                    account.credit(c.txid(), c.amount());
                    if (!account.shouldStopPaidService()) {
                        debtLimitSent.remove(peer);
                    }
                    credited = account.credited();
                }
                peer.send(SpeedMessage.PaymentAck.of(p.notice.proof(), SpeedMessage.PaymentAck.Status.CREDITED, null, credited));
            } else {
                tellPending(peer, payer, p);
            }
        } catch (PaymentRejectedException e) {
            BigInteger credited;
            synchronized (this) {
                pending.get(payer).remove(p);
                credited = accounts.get(payer).credited();
            }
            answerTo(p.notice, payer, e, credited).forEach(peer::send);
        } catch (WalletException e) {
            LOG.warn("cannot check a payment from {} now: {}", peer.describe(), e.getMessage());
            tellPending(peer, payer, p);
        }
    }

    /** §4.5: a notice that waits for the chain is acknowledged as pending once, so the payer does not send it again. */
    private void tellPending(SpeedPeer peer, TronAddress payer, PendingNotice p) {
        BigInteger credited;
        synchronized (this) {
            if (p.toldPending) {
                return;
            }
            p.toldPending = true;
            credited = accounts.get(payer).credited();
        }
        peer.send(SpeedMessage.PaymentAck.of(p.notice.proof(), SpeedMessage.PaymentAck.Status.PENDING, null, credited));
    }

    /**
     * §4.5: a rejected notice is answered with its error (§4.4) and an acknowledgement saying whether the
     * payer may prove it again. A transaction already credited to this very payer for this torrent (a
     * payer proving again what we hold, after a restart or a lost answer) is acknowledged as credited.
     */
    private List<SpeedMessage> answerTo(SpeedMessage.Payment notice, TronAddress payer, PaymentRejectedException e, BigInteger credited) {
        if (e.code() == SpeedErrorCode.PAYMENT_ALREADY_CREDITED && notice.proof() instanceof PaymentProof.Trc20Transaction tx
                && verifier.wasCreditedFrom(tx.txidHex(), payer, infoHash.hex())) {
            return List.of(SpeedMessage.PaymentAck.of(notice.proof(), SpeedMessage.PaymentAck.Status.CREDITED, null, credited));
        }
        LOG.info("rejected payment from {}: {}", payer, e.getMessage());
        SpeedMessage.PaymentAck.Status status = e.code() == SpeedErrorCode.PAYMENT_NOT_FOUND
                ? SpeedMessage.PaymentAck.Status.NOT_HELD : SpeedMessage.PaymentAck.Status.REJECTED;
        return List.of(e.toMessage(), SpeedMessage.PaymentAck.of(notice.proof(), status, e.code(), credited));
    }

    /** The choker's paid-slot step for the engine's own peer type. */
    public <P> ReservedSlots<P> reservedSlots(Function<P, SpeedPeer> speedPeerOf) {
        return (candidates, maxSlots, context) -> reserve(candidates, maxSlots, context, speedPeerOf);
    }

    private synchronized <P> List<P> reserve(List<PeerSnapshot<P>> candidates, int maxSlots, RechokeContext context,
                                             Function<P, SpeedPeer> speedPeerOf) {
        Map<SpeedPeer, P> back = new IdentityHashMap<>();
        List<PeerSnapshot<SpeedPeer>> mine = new ArrayList<>();
        for (PeerSnapshot<P> c : candidates) {
            SpeedPeer sp = speedPeerOf.apply(c.key());
            if (sp != null && payerOf.containsKey(sp)) {
                back.put(sp, c.key());
                mine.add(new PeerSnapshot<>(sp, c.interested(), c.chokedByUs(), c.downloadRateFromPeer(), c.uploadRateToPeer(),
                        c.connectedAt(), c.lastUnchokedAt(), c.snubbed(), c.uploadedSinceUnchoke()));
            }
        }
        List<P> winners = new ArrayList<>();
        for (SpeedPeer w : paidSlots.reserve(mine, maxSlots, context)) {
            winners.add(back.get(w));
        }
        return winners;
    }

    /**
     * After a rechoke, before any more piece bytes: tells each bidder whose result changed its
     * {@code bid_result} and switches its meter to the new terms (spec §4.1).
     */
    public synchronized void afterRechoke() {
        for (Map.Entry<SpeedPeer, SpeedMessage.BidResult> e : paidSlots.results().entrySet()) {
            SpeedPeer peer = e.getKey();
            SpeedMessage.BidResult result = e.getValue();
            SpeedMessage.BidResult before = told.get(peer);
            if (before == null || before.won() != result.won() || !before.pricePerGiB().equals(result.pricePerGiB())) {
                tell(peer, result);
            }
        }
    }

    private void tell(SpeedPeer peer, SpeedMessage.BidResult result) {
        told.put(peer, result);
        PayeeAccount account = accounts.get(payerOf.get(peer));
        account.setChargedRate(result.won() ? Optional.of(result.pricePerGiB()) : Optional.empty());
        // The rate must be on disk before bytes at it are served: a resumed session prices the bytes it
        // did not record at the lowest rate it knows it charged.
        save(account);
        peer.send(result);
    }

    /**
     * Piece bytes just written to {@code peer}. At the disconnect threshold paid service ends at once:
     * the peer is told it lost its slot (later bytes are free until the next rechoke chokes it) and
     * gets one {@code DEBT_LIMIT} error.
     */
    public synchronized void onPieceBytesSent(SpeedPeer peer, long bytes) {
        TronAddress payer = payerOf.get(peer);
        if (payer == null) {
            return;
        }
        PayeeAccount account = accounts.get(payer);
        boolean mayGoOn = account.served(bytes);
        if (account.checkpointDue()) {
            save(account);
        }
        if (!mayGoOn && account.chargedRate().isPresent()) {
            SpeedMessage.BidResult last = told.get(peer);
            tell(peer, SpeedMessage.BidResult.lost(last == null ? 0 : last.bidSequence(), last == null ? 1 : last.round()));
            if (debtLimitSent.put(peer, Boolean.TRUE) == null) {
                peer.send(SpeedMessage.Error.of(SpeedErrorCode.DEBT_LIMIT,
                        "unpaid debt " + account.unpaidDebt() + " reached our limit " + settings.disconnectThreshold() + "; paid service stopped"));
            }
        }
    }

    private boolean overDebtLimit(SpeedPeer peer) {
        TronAddress payer = payerOf.get(peer);
        return payer != null && accounts.get(payer).shouldStopPaidService();
    }

    /** Whether {@code peer} holds a paid slot now (won its last {@code bid_result} and still under the debt limit). */
    public synchronized boolean holdsPaidSlot(SpeedPeer peer) {
        SpeedMessage.BidResult r = told.get(peer);
        return r != null && r.won();
    }

    /** The rate {@code peer} is charged for its paid slot now (its last won {@code bid_result}), if it holds one. */
    public synchronized Optional<BigInteger> paidSlotRate(SpeedPeer peer) {
        SpeedMessage.BidResult r = told.get(peer);
        return r != null && r.won() ? Optional.of(r.pricePerGiB()) : Optional.empty();
    }

    /** How many peers hold a paid slot now. */
    public synchronized int paidPeers() {
        return (int) told.values().stream().filter(SpeedMessage.BidResult::won).count();
    }

    public boolean sellsSlots() {
        return ours.sellsSlots() && settings.paidSlots() > 0;
    }

    public synchronized Optional<PayeeAccount> account(TronAddress payer) {
        return Optional.ofNullable(accounts.get(payer));
    }

    public synchronized BigInteger earned() {
        return accounts.values().stream().map(PayeeAccount::credited).reduce(BigInteger.ZERO, BigInteger::add);
    }

    public synchronized SpeedStatus status() {
        int paid = (int) told.values().stream().filter(SpeedMessage.BidResult::won).count();
        return new SpeedStatus(false, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, earned(), 0, paid, false);
    }
}
