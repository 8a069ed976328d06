package dev.magnetar.speed;

import dev.magnetar.approval.Budget;
import dev.magnetar.engine.BoostStatus;
import dev.magnetar.engine.PeerConnection;
import dev.magnetar.engine.ReservedSlots;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentEconomy;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.WalletException;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speed economy of one torrent, bound to the engine (issue 7 "Engine wiring"): the seller side
 * ({@link SeedingSpeed}) supplies the choker's paid slots and meters piece bytes written, the buyer
 * side ({@link BoostedDownload}) meters piece bytes read, bids and pays. Everything that asks the chain
 * — paying, checking payment notices, reconciling the ledger — runs on the session's single chain
 * thread ({@link SpeedEconomy}), never on the event loop.
 */
public final class TorrentSpeed implements TorrentEconomy {

    private static final Logger LOG = LoggerFactory.getLogger(TorrentSpeed.class);

    private final Torrent torrent;
    private final SpeedEconomy session;
    private final SeedingSpeed seeding;
    private final BoostedDownload download;
    private final BoostBudget budget;
    private final MgSpeedExtension extension;
    private final AtomicBoolean chainTickQueued = new AtomicBoolean();
    private final Map<TronAddress, LongAdder> pieceBytesSentTo = new ConcurrentHashMap<>();
    private final Map<TronAddress, LongAdder> pieceBytesReceivedFrom = new ConcurrentHashMap<>();
    private volatile boolean finished;

    TorrentSpeed(Torrent torrent, SpeedEconomy session, SpeedHandshake ours) {
        this.torrent = torrent;
        this.session = session;
        SpeedSettings settings = session.settings();
        this.seeding = new SeedingSpeed(torrent.infoHash(), ours, settings, session.verifier(), session.payeeBooks());
        this.budget = new BoostBudget(session.approvals(), torrent.infoHash(), ours.network());
        this.download = new BoostedDownload(torrent.infoHash(), ours, settings, budget, session.signer(), session.payments(),
                () -> torrent.info() == null ? 0 : torrent.info().pieceLength(), session.payerSessions());
        this.extension = new MgSpeedExtension(ours, seeding, download, session.chain(), torrent::requestRechoke, this::chainTick);
        torrent.extensions().register(extension);
    }

    public SeedingSpeed seeding() {
        return seeding;
    }

    public BoostedDownload download() {
        return download;
    }

    /** All piece bytes (paid or not) written to each trading peer, by its TRON address. */
    public long pieceBytesSentTo(TronAddress peer) {
        LongAdder a = pieceBytesSentTo.get(peer);
        return a == null ? 0 : a.sum();
    }

    /** Piece bytes (paid or not) of blocks we asked each trading peer for, first copies, by its TRON address. */
    public long pieceBytesReceivedFrom(TronAddress peer) {
        LongAdder a = pieceBytesReceivedFrom.get(peer);
        return a == null ? 0 : a.sum();
    }

    // ------------------------------------------------------------------ TorrentEconomy (event loop)

    @Override
    public int paidSlots() {
        return seeding.sellsSlots() ? session.settings().paidSlots() : 0;
    }

    @Override
    public ReservedSlots<PeerConnection> reservedSlots() {
        return seeding.reservedSlots(extension::speedPeerOf);
    }

    @Override
    public void afterRechoke() {
        seeding.afterRechoke();
    }

    @Override
    public boolean holdsPaidSlot(PeerConnection peer) {
        SpeedPeer sp = extension.speedPeerOf(peer);
        return sp != null && seeding.holdsPaidSlot(sp);
    }

    @Override
    public BigInteger paidSlotRate(PeerConnection holder) {
        SpeedPeer sp = extension.speedPeerOf(holder);
        // A holder whose slot ended since the caller looked gets the least weight until the next look.
        return sp == null ? BigInteger.ONE : seeding.paidSlotRate(sp).filter(r -> r.signum() > 0).orElse(BigInteger.ONE);
    }

    @Override
    public boolean anyPaidSlot() {
        return seeding.paidPeers() > 0;
    }

    @Override
    public int unpaidUploadPercent() {
        return session.unpaidUploadPercent();
    }

    @Override
    public void pieceSent(PeerConnection peer, int bytes) {
        MgSpeedExtension.WirePeer sp = extension.speedPeerOf(peer);
        if (sp != null) {
            seeding.onPieceBytesSent(sp, bytes);
            pieceBytesSentTo.computeIfAbsent(sp.address(), a -> new LongAdder()).add(bytes);
        }
    }

    @Override
    public void pieceReceived(PeerConnection peer, int piece, int bytes) {
        MgSpeedExtension.WirePeer sp = extension.speedPeerOf(peer);
        if (sp != null) {
            download.onPieceBytesReceived(sp, piece, bytes);
            pieceBytesReceivedFrom.computeIfAbsent(sp.address(), a -> new LongAdder()).add(bytes);
        }
    }

    @Override
    public void pieceVerified(int piece, boolean everyWantedPieceVerified) {
        download.onPieceVerified(piece, everyWantedPieceVerified);
    }

    @Override
    public void pieceFailed(int piece) {
        download.onPieceFailed(piece);
    }

    @Override
    public void completed() {
        finish("download complete");
    }

    @Override
    public void stopped() {
        finish("torrent stopped");
        session.detach(this);
    }

    private void finish(String why) {
        if (finished) {
            return;
        }
        finished = true;
        session.chain().execute(() -> {
            try {
                // Spec P6/P7: final receipts, then pay everything owed — after reading back from the ledger what
                // was already paid, so that a session resumed after a restart never pays a receipt twice.
                download.settle(session.ledger());
                download.finish();
                LOG.debug("{}: speed settled ({})", torrent.infoHash(), why);
            } catch (RuntimeException e) {
                LOG.warn("{}: settling the speed economy failed", torrent.infoHash(), e);
            }
        });
    }

    /** The budget changed (approved, revoked): bid or stop at once instead of at the next tick. */
    void budgetChanged() {
        chainTick();
    }

    /** Once a second from the extension tick: queue chain work unless some is still queued. */
    private void chainTick() {
        if (chainTickQueued.compareAndSet(false, true)) {
            session.chain().execute(this::onChainThread);
        }
    }

    private void onChainThread() {
        chainTickQueued.set(false);
        try {
            session.reconcilePayments();
            download.settle(session.ledger());
            if (!finished && torrent.state() == TorrentState.DOWNLOADING) {
                download.tick(Math.max(0, torrent.totalBytes() - torrent.verifiedBytes()));
            }
            if (seeding.paymentsPending()) {
                seeding.recheckPayments();
            }
        } catch (WalletException e) {
            LOG.debug("{}: chain not reachable for speed bookkeeping now: {}", torrent.infoHash(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{}: speed bookkeeping failed", torrent.infoHash(), e);
        }
    }

    // ------------------------------------------------------------------ status for the API

    @Override
    public BoostStatus status() {
        SpeedStatus buying = download.status();
        SpeedStatus selling = seeding.status();
        Optional<Budget> approved = budget.approved();
        Optional<BigInteger> ask = download.lowestAsk();
        String note = null;
        if (approved.isPresent() && download.walletLocked()) {
            note = "wallet locked";
        } else if (approved.isPresent() && download.outOfTrx().isPresent()) {
            note = "not boosting: " + download.outOfTrx().get();
        } else if (buying.approvalPending()) {
            note = "waiting for approval";
        } else if (approved.isPresent() && !finished) {
            long remainingBytes = torrent.info() == null ? 1 : Math.max(0, torrent.totalBytes() - torrent.verifiedBytes());
            note = IdleBoostReason.of(download.approvedRate(), approved.get().remaining(), buying.bidRatePerGiB(), ask, remainingBytes)
                    .orElse(null);
        }
        if (approved.isEmpty() && note == null && buying.spent().signum() == 0 && selling.earned().signum() == 0
                && selling.paidPeers() == 0) {
            return null;
        }
        BigInteger remaining = approved.map(Budget::remaining).orElse(BigInteger.ZERO);
        return new BoostStatus(buying.boosted(), approved.map(Budget::id).orElse(null), BttAmount.formatBtt(remaining),
                remaining.toString(), BttAmount.formatBtt(buying.spent()), buying.spent().toString(),
                BttAmount.formatBtt(selling.earned()), selling.earned().toString(), BttAmount.formatBtt(buying.bidRatePerGiB()),
                buying.bidRatePerGiB().toString(), ask.map(BttAmount::formatBtt).orElse(null), ask.map(BigInteger::toString).orElse(null),
                buying.payingPeers(), selling.paidPeers(), note);
    }

    @Override
    public Optional<BigInteger> lowestSellerAsk() {
        return download.lowestAsk();
    }

    @Override
    public Optional<String> boostRefusal(BigInteger capBaseUnits, BigInteger ratePerGiB) {
        return BoostRefusal.of(capBaseUnits, ratePerGiB, download.lowestAsk(), session.settings().receiptStep());
    }

    MgSpeedExtension extension() {
        return extension;
    }

    Torrent torrent() {
        return torrent;
    }
}
