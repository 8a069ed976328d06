package dev.magnetar.speed;

import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.Budget;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentEconomy;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.WalletException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speed economy of a whole session: what every torrent's {@link TorrentSpeed} shares — our
 * address and network, the seeding settings, the wallet's payment service and ledger, the payment
 * verifier, the approval store — and the one <em>chain thread</em> on which all blocking TRON calls
 * run (gRPC is blocking; the event loop must never wait for it). Plug it into the engine with
 * {@code engine.setEconomy(economy)} before adding torrents.
 *
 * <p>When the user approves a boost budget (an {@link ApprovalStore} listener), the torrent starts
 * bidding at once.
 */
public final class SpeedEconomy implements TorrentEconomy.Factory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpeedEconomy.class);

    /**
     * Default share of a capped upload left to peers without a paid slot while a paid slot is held. At
     * 25 % a boost bought little in a swarm: downloaders trade among themselves by tit-for-tat whether they
     * pay or not, so only the sellers' part of a download can be bought, and a quarter of it stayed free
     * (spec §5.1 has the arithmetic); 10 % still starves nobody.
     */
    public static final int DEFAULT_UNPAID_UPLOAD_PERCENT = 10;

    /**
     * @param unpaidUploadPercent while any peer holds a paid slot and our upload is capped, peers
     *     without one together get at most this share of the cap (1–100; 100 = no preference)
     */
    public record Config(SpeedNetwork network, TronAddress address, SpeedSettings settings, int unpaidUploadPercent) {
        public Config {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(settings, "settings");
            if (unpaidUploadPercent < 1 || unpaidUploadPercent > 100) {
                throw new IllegalArgumentException("the unpaid upload share is 1-100 %, got " + unpaidUploadPercent);
            }
        }
    }

    private final Config config;
    private final ReceiptSigner signer;
    private final PaymentService payments;
    private final PaymentLedger ledger;
    private final PaymentVerifier verifier;
    private final ApprovalStore approvals;
    private final PayerSessions payerSessions;
    private final PayeeBooks payeeBooks;
    private final ExecutorService chain;
    private final Map<InfoHash, TorrentSpeed> torrents = new ConcurrentHashMap<>();

    /** A session whose payer counters live in memory only (a restart starts new sessions with every seller). */
    public SpeedEconomy(Config config, ReceiptSigner signer, PaymentService payments, PaymentLedger ledger, PaymentVerifier verifier,
                        ApprovalStore approvals) {
        this(config, signer, payments, ledger, verifier, approvals, PayerSessions.inMemory());
    }

    /** @param payerSessions where the payer's cumulative counters per seller are kept across restarts */
    public SpeedEconomy(Config config, ReceiptSigner signer, PaymentService payments, PaymentLedger ledger, PaymentVerifier verifier,
                        ApprovalStore approvals, PayerSessions payerSessions) {
        this(config, signer, payments, ledger, verifier, approvals, payerSessions, PayeeBooks.inMemory());
    }

    /** @param payeeBooks where the seller's books per payer are kept across restarts */
    public SpeedEconomy(Config config, ReceiptSigner signer, PaymentService payments, PaymentLedger ledger, PaymentVerifier verifier,
                        ApprovalStore approvals, PayerSessions payerSessions, PayeeBooks payeeBooks) {
        this.payeeBooks = Objects.requireNonNull(payeeBooks, "payeeBooks");
        this.payerSessions = Objects.requireNonNull(payerSessions, "payerSessions");
        this.config = Objects.requireNonNull(config, "config");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.payments = Objects.requireNonNull(payments, "payments");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.approvals = Objects.requireNonNull(approvals, "approvals");
        // One thread keeps payments in order; work arriving after close is dropped (the torrents are gone).
        this.chain = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new DefaultThreadFactory("speed-chain", true), new ThreadPoolExecutor.DiscardPolicy());
        approvals.addListener(this::budgetChanged);
    }

    @Override
    public TorrentEconomy attach(Torrent torrent) {
        SpeedHandshake ours = SpeedHandshake.of(config.address(), config.network(), config.settings().askPerGiB());
        TorrentSpeed t = new TorrentSpeed(torrent, this, ours);
        torrents.put(torrent.infoHash(), t);
        return t;
    }

    /** The speed side of a torrent of this session, if it has one. */
    public Optional<TorrentSpeed> torrent(InfoHash infoHash) {
        return Optional.ofNullable(torrents.get(infoHash));
    }

    void detach(TorrentSpeed t) {
        torrents.remove(t.torrent().infoHash(), t);
    }

    private void budgetChanged(Budget budget) {
        if (budget.request().purpose() != SpendPurpose.BOOST_TORRENT || budget.request().infoHash() == null) {
            return;
        }
        for (TorrentSpeed t : torrents.values()) {
            if (t.torrent().infoHash().hex().equals(budget.request().infoHash())) {
                t.budgetChanged();
            }
        }
    }

    /** Settles the wallet's sent payments against the chain; on the chain thread. */
    void reconcilePayments() throws WalletException {
        if (!ledger.unsettled().isEmpty()) {
            payments.reconcile();
        }
    }

    SpeedSettings settings() {
        return config.settings();
    }

    int unpaidUploadPercent() {
        return config.unpaidUploadPercent();
    }

    ReceiptSigner signer() {
        return signer;
    }

    PaymentService payments() {
        return payments;
    }

    PaymentLedger ledger() {
        return ledger;
    }

    PaymentVerifier verifier() {
        return verifier;
    }

    ApprovalStore approvals() {
        return approvals;
    }

    PayerSessions payerSessions() {
        return payerSessions;
    }

    PayeeBooks payeeBooks() {
        return payeeBooks;
    }

    ExecutorService chain() {
        return chain;
    }

    /**
     * Lets the chain thread finish what is queued — the final receipts and payments of torrents that
     * just stopped — for at most {@code 20 s}, then stops it. Close the engine first.
     */
    @Override
    public void close() {
        chain.shutdown();
        try {
            if (!chain.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("speed payments still running after 20 s; stopping them (the ledger finishes them on the next start)");
                chain.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            chain.shutdownNow();
        }
    }
}
