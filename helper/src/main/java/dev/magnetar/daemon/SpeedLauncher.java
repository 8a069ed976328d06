package dev.magnetar.daemon;

import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.SpendAuthorizer;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.speed.PayeeBooks;
import dev.magnetar.speed.PayerSessions;
import dev.magnetar.speed.PaymentVerifier;
import dev.magnetar.speed.ReceiptSigner;
import dev.magnetar.speed.SpeedEconomy;
import dev.magnetar.speed.SpeedNetwork;
import dev.magnetar.speed.SpeedPreferences;
import dev.magnetar.speed.SpeedPreferencesException;
import dev.magnetar.speed.SpeedSettings;
import dev.magnetar.wallet.ApprovalSpendGate;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import dev.magnetar.wallet.WalletSession;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs the speed economy into the daemon's engine: our wallet address in the
 * {@code mg_speed} handshake, receipts signed and payments made with the unlocked wallet key (a
 * locked wallet pays nothing: the payer waits and the API says "wallet locked"), every payment
 * through the approval gate over the daemon's approval store, received payments into the wallet's
 * ledger, the ask from the user's settings (0 = free unless set), the rest from {@code <data>/speed.json}.
 *
 * <p>Speed is optional: without a wallet, a chain id or a BTT contract the daemon runs plain
 * BitTorrent and says why in the log. Wallets created while the daemon runs take effect at the next
 * start.
 */
public final class SpeedLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(SpeedLauncher.class);

    private SpeedLauncher() {}

    /**
     * @param askPerGiB the seller's ask from the user's settings (base units per GiB; 0 = sell nothing)
     */
    static Optional<SpeedEconomy> attach(TorrentControl torrents, BigInteger askPerGiB, TronNetwork network, TronChainClient chain,
                                         Keystore keystore, WalletSession session, PaymentLedger ledger, ApprovalStore approvals,
                                         Path dataDir, Clock clock) {
        if (!(torrents instanceof Engine engine)) {
            return Optional.empty();
        }
        try {
            if (!keystore.exists()) {
                LOG.info("no wallet yet: the speed extension is off until the daemon restarts with one");
                return Optional.empty();
            }
            return Optional.of(start(engine, askPerGiB, network, chain, keystore, session, ledger, approvals, dataDir, clock));
        } catch (Exception e) { // speed is optional: a daemon without it still downloads
            LOG.warn("the speed extension is off: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** What a boost pays per payment at most, from speed.json (the default when it is unreadable: speed is then off anyway). */
    static BigInteger paymentThreshold(Path dataDir) {
        try {
            return SpeedPreferences.read(SpeedPreferences.defaultFile(dataDir)).toSettings(BigInteger.ZERO).paymentThreshold();
        } catch (SpeedPreferencesException e) {
            return SpeedSettings.defaults().paymentThreshold();
        }
    }

    /**
     * The speed economy on {@code engine}, or why there can be none (no wallet, chain unreachable,
     * bad speed.json): for {@code magnetar seed --ask}, where selling is what the user asked for.
     * Selling needs no password: the payee only checks receipts and payments; the payer side signs
     * and pays only once the session is unlocked.
     */
    public static SpeedEconomy start(Engine engine, BigInteger askPerGiB, TronNetwork network, TronChainClient chain, Keystore keystore,
                                     WalletSession session, PaymentLedger ledger, ApprovalStore approvals, Path dataDir, Clock clock)
            throws Exception {
        // Read from the chain, whoever serves it: receipts are signed for this id (spec §3).
        SpeedNetwork speedNetwork = SpeedNetwork.of(network, chain.chainId());
        SpeedPreferences prefs = SpeedPreferences.read(SpeedPreferences.defaultFile(dataDir));
        if (prefs.askPerGiBBtt() != null) {
            LOG.warn("askPerGiBBtt in {} is ignored: the ask is now set in settings.json or on the options page",
                    SpeedPreferences.defaultFile(dataDir));
        }
        SpeedSettings settings = prefs.toSettings(askPerGiB);
        TronAddress address = keystore.address();
        ReceiptSigner signer = new ReceiptSigner(address, session::sign, session::isUnlocked, speedNetwork);
        PaymentService payments = new PaymentService(chain, ledger, new ApprovalSpendGate(new SpendAuthorizer(approvals), network),
                session.paymentKeys(), clock);
        PaymentVerifier verifier = new PaymentVerifier(chain, speedNetwork, ledger, settings.confirmationThreshold(),
                settings.noticeTimeout(), clock);
        // One file per network: a receipt's counters belong to the chain it was signed for (spec §4.2).
        PayerSessions payerSessions = PayerSessions.open(dataDir.resolve("speed-sessions-" + speedNetwork.name() + ".json"));
        SpeedEconomy economy = new SpeedEconomy(new SpeedEconomy.Config(speedNetwork, address, settings,
                prefs.unpaidUploadPercentOrDefault()), signer, payments, ledger, verifier, approvals, payerSessions,
                PayeeBooks.open(dataDir.resolve("speed-sales-" + speedNetwork.name() + ".json")));
        engine.setEconomy(economy);
        LOG.info("speed extension on {} (chain {}) as {}: ask {} base units/GiB, {} paid slots", speedNetwork.name(), chain.chainId(),
                address, settings.askPerGiB(), settings.paidSlots());
        return economy;
    }
}
