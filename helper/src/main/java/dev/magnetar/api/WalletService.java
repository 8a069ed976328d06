package dev.magnetar.api;

import dev.magnetar.approval.SpendRequest;
import dev.magnetar.speed.SpeedSettings;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.ChainException;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.InvalidMnemonicException;
import dev.magnetar.wallet.InvalidPrivateKeyException;
import dev.magnetar.wallet.KeystoreException;
import dev.magnetar.wallet.Mnemonic;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.UnknownNetworkException;
import dev.magnetar.wallet.WalletException;
import dev.magnetar.wallet.WalletSession;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The daemon's wallet as the API serves it: the keystore, the unlocked session, the chain client for
 * the configured network and the payment ledger. Passwords are wiped after use; keys never leave.
 */
public final class WalletService {

    private final Keystore keystore;
    private final WalletSession session;
    private final Supplier<TronChainClient> chain;
    private final PaymentLedger ledger;
    private final String network;
    private final BigInteger paymentThreshold;
    private final List<Consumer<WalletStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Supplier<Optional<DevnetFaucet>> faucet;
    private final SecureRandom random = new SecureRandom();

    public WalletService(Keystore keystore, WalletSession session, TronChainClient chain, PaymentLedger ledger) {
        this(keystore, session, chain.network().name(), () -> chain, ledger);
    }

    /**
     * For a daemon that connects to its network while the API already starts: {@code chain} may block
     * until the connection is up, and is only asked by calls that need the chain (a balance, a BTT
     * contract), never by status, lock or unlock.
     *
     * @param network the network's name, as {@link TronChainClient#network()} will have it
     */
    public WalletService(Keystore keystore, WalletSession session, String network, Supplier<TronChainClient> chain,
                         PaymentLedger ledger) {
        this(keystore, session, network, chain, ledger, SpeedSettings.defaults().paymentThreshold());
    }

    /**
     * @param paymentThreshold what a boost pays per payment at most (base units), for estimating how
     *     many payments, and so how many fees, a budget takes
     */
    public WalletService(Keystore keystore, WalletSession session, String network, Supplier<TronChainClient> chain,
                         PaymentLedger ledger, BigInteger paymentThreshold) {
        this(keystore, session, network, chain, ledger, paymentThreshold, Optional::empty);
    }

    /**
     * @param faucet the devnet's faucet when this process serves the devnet; asked only by {@link #faucet()},
     *     so it may wait for the chain's start like {@code chain}
     */
    public WalletService(Keystore keystore, WalletSession session, String network, Supplier<TronChainClient> chain,
                         PaymentLedger ledger, BigInteger paymentThreshold, Supplier<Optional<DevnetFaucet>> faucet) {
        this.faucet = faucet;
        if (paymentThreshold.signum() <= 0) {
            throw new IllegalArgumentException("the payment threshold is positive, got " + paymentThreshold);
        }
        this.paymentThreshold = paymentThreshold;
        this.keystore = keystore;
        this.session = session;
        this.chain = chain;
        this.ledger = ledger;
        this.network = network;
        session.addLockListener((address, reason) -> changed());
    }

    /** Called after every lock/unlock; must not block. */
    public void addListener(Consumer<WalletStatus> listener) {
        listeners.add(listener);
    }

    public WalletStatus status() {
        if (!keystore.exists()) {
            return new WalletStatus(false, false, null, network);
        }
        try {
            return new WalletStatus(true, session.isUnlocked(), session.address().toBase58(), network);
        } catch (KeystoreException e) {
            // A damaged keystore reads as "no usable wallet"; the unlock call reports the detail.
            return new WalletStatus(true, false, null, network);
        }
    }

    /** Decrypts the key into the session; the password array is wiped whatever happens. */
    public WalletStatus unlock(char[] password) throws KeystoreException {
        try {
            requireWallet();
            session.unlock(password);
        } finally {
            Arrays.fill(password, '\0');
        }
        changed();
        return status();
    }

    /**
     * A fresh 12-word BIP-39 recovery phrase, stored nowhere: the extension shows it once and has the
     * user confirm it before {@link #importWallet} makes the wallet from it, as wallets like TronLink do,
     * so that no wallet exists whose phrase the user never wrote down.
     */
    public String newRecoveryPhrase() {
        return Mnemonic.generate(12, random).phrase();
    }

    /**
     * Makes the wallet from a recovery phrase (a new one from {@link #newRecoveryPhrase} or the user's
     * own) or a raw private key, encrypted under {@code password}, and unlocks it. Refuses when a wallet
     * exists: replacing it would destroy the only copy of a key that may hold funds. The password is
     * wiped whatever happens.
     */
    public WalletStatus importWallet(String recoveryPhrase, String privateKeyHex, char[] password)
            throws KeystoreException, InvalidMnemonicException, InvalidPrivateKeyException {
        try {
            if ((recoveryPhrase == null) == (privateKeyHex == null)) {
                throw new IllegalArgumentException("give exactly one of recoveryPhrase or privateKeyHex");
            }
            if (keystore.exists()) {
                throw new WalletExistsException();
            }
            Mnemonic mnemonic = recoveryPhrase != null ? Mnemonic.parse(recoveryPhrase.trim()) : null;
            TronKey key = mnemonic != null ? mnemonic.toTronKey("") : TronKey.fromHex(privateKeyHex.trim());
            try {
                keystore.create(key, mnemonic, password);
            } finally {
                key.destroy();
            }
            session.unlock(password); // the user just chose it; asking again at once would only annoy
        } finally {
            Arrays.fill(password, '\0');
        }
        changed();
        return status();
    }

    /** Devnet only: credits {@link DevnetFaucet}'s amounts to this wallet and answers the new balance. */
    public WalletBalance faucet() throws WalletException {
        requireWallet();
        DevnetFaucet f = faucet.get().orElseThrow(() -> new FaucetUnavailableException(network));
        f.credit(session.address(), DevnetFaucet.TRX_SUN, DevnetFaucet.BTT_BASE_UNITS);
        WalletBalance now = balance();
        changed();
        return now;
    }

    public WalletStatus lock() {
        session.lock();
        return status();
    }

    public WalletBalance balance() throws KeystoreException, ChainException {
        requireWallet();
        TronAddress address = session.address();
        TronChainClient client = chain.get();
        BigInteger sun = BigInteger.valueOf(client.trxBalanceSun(address));
        BigInteger btt = client.bttBalance(address);
        return new WalletBalance(address.toBase58(), network, BttAmount.format(sun, BttAmount.TRX_DECIMALS), sun.toString(),
                BttAmount.formatBtt(btt), btt.toString());
    }

    /**
     * The TRX fees a boost budget of {@code cap} base units is expected to burn: one BTT payment's fee
     * on the chain in use, from this wallet (or, with none yet, from an address that holds nothing),
     * times the payments the cap takes at the payment threshold.
     */
    public SpendRequest.FeeEstimate estimateBoostFees(BigInteger cap) throws KeystoreException, ChainException, UnknownNetworkException {
        TronAddress payer = keystore.exists() ? session.address() : TronKey.generate(new SecureRandom()).address();
        long perPayment = chain.get().estimateBttTransferFeeSun(payer);
        BigInteger[] split = cap.divideAndRemainder(paymentThreshold);
        long payments = split[0].add(split[1].signum() > 0 ? BigInteger.ONE : BigInteger.ZERO).max(BigInteger.ONE).longValueExact();
        return SpendRequest.FeeEstimate.of(perPayment, payments);
    }

    public List<PaymentEntry> ledger() {
        return ledger.entries();
    }

    public String network() {
        return network;
    }

    public TronChainClient chain() {
        return chain.get();
    }

    public WalletSession session() {
        return session;
    }

    private void requireWallet() throws KeystoreException {
        if (!keystore.exists()) {
            throw new NoWalletException();
        }
    }

    private void changed() {
        WalletStatus now = status();
        for (Consumer<WalletStatus> l : listeners) {
            l.accept(now);
        }
    }

    /** A wallet exists already; creating or importing another would destroy its key. */
    public static final class WalletExistsException extends KeystoreException {
        WalletExistsException() {
            super("a wallet exists already; Magnetar keeps one wallet, and replacing it would destroy its key "
                    + "(move the keystore file away first if you really mean to)");
        }
    }

    /** The faucet exists only on the embedded devnet this helper serves. */
    public static final class FaucetUnavailableException extends WalletException {
        FaucetUnavailableException(String network) {
            super(network.equals("devnet")
                    ? "the devnet is served by another process (or a node named in the settings' chainEndpoint), so this helper has no faucet"
                    : "there is no faucet on " + network + ": its coins are real (Nile's come from its own faucet website)");
        }
    }

    /** There is no keystore yet: create or import a wallet first. */
    public static final class NoWalletException extends KeystoreException {
        NoWalletException() {
            super("there is no wallet yet: create one with 'magnetar wallet create' or import one with 'magnetar wallet import'");
        }
    }
}
