package dev.magnetar.cli;

import com.google.protobuf.ByteString;
import dev.magnetar.api.SettingsException;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.util.DataDirectory;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.Mnemonic;
import dev.magnetar.wallet.OneOffApproval;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.ScryptParams;
import dev.magnetar.wallet.SignedTransaction;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.TronNetwork;
import dev.magnetar.wallet.WalletException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code magnetar wallet ...}: the TRON wallet from the command line. Passwords come from a prompt,
 * {@code --password-file} or {@code --password-stdin}, never from an argument. Register as a
 * subcommand of {@link Main}.
 */
@Command(name = "wallet", mixinStandardHelpOptions = true,
        description = "TRON wallet: keys, TRX/BTT balances, transfers, devnet faucet.",
        subcommands = {WalletCommand.Create.class, WalletCommand.Import.class, WalletCommand.Address.class, WalletCommand.Balance.class,
                WalletCommand.Send.class, WalletCommand.Faucet.class, WalletCommand.Lock.class, WalletCommand.Unlock.class})
public final class WalletCommand implements Runnable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WalletCommand.class);

    @Option(names = "--network", scope = ScopeType.INHERIT,
            description = "devnet (embedded, no real money), nile or mainnet (default: the helper's setting, devnet unless changed).")
    String network;

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            description = "Talk to this gRPC node instead of the helper's (its settings' chainEndpoint, or the network's default).")
    String endpoint;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "Helper data directory (default: per-user).")
    Path dataDir;

    @Option(names = "--devnet-port", scope = ScopeType.INHERIT, hidden = true,
            description = "Preferred port of a devnet this command starts itself (default: the settings' devnetPort; 0 = any free port).")
    Integer devnetPort;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Standard input for --password-stdin; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Path dataDir() {
        return dataDir != null ? dataDir : DataDirectory.resolve();
    }

    Keystore keystore() {
        return new Keystore(Keystore.defaultFile(dataDir()), ScryptParams.DEFAULT, new SecureRandom());
    }

    TronNetwork tronNetwork() throws WalletException, SettingsException {
        return ChainAccess.network(network, dataDir());
    }

    ChainAccess chain() throws Exception {
        return ChainAccess.open(tronNetwork(), endpoint, dataDir(), devnetPort, null);
    }

    /** Shared shape of every subcommand: run, print a one-line error with what to do, exit 1. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        WalletCommand wallet;

        @Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public final Integer call() {
            try {
                return execute();
            } catch (Exception e) { // the outermost edge of a CLI command: every failure becomes one line and exit 1
                LOG.debug("wallet {} failed", spec.name(), e);
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 1;
            } finally {
                out().flush();
            }
        }

        abstract int execute() throws Exception;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a new wallet; prints its recovery phrase once.")
    static final class Create extends Sub {
        @Mixin
        PasswordInput password = new PasswordInput();

        @Override
        int execute() throws Exception {
            Mnemonic mnemonic = Mnemonic.generate(12, new SecureRandom());
            char[] pw = password.readNew(wallet.stdin);
            try {
                TronAddress address = wallet.keystore().create(mnemonic.toTronKey(""), mnemonic, pw);
                out().println("address: " + address.toBase58());
                out().println("recovery phrase (write it down, it is shown only now): " + mnemonic.phrase());
                return 0;
            } finally {
                Arrays.fill(pw, '\0');
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import a wallet from a recovery phrase or a private key read from a file.")
    static final class Import extends Sub {
        @Option(names = "--mnemonic-file", paramLabel = "FILE", description = "File holding the BIP-39 recovery phrase.")
        Path mnemonicFile;

        @Option(names = "--private-key-file", paramLabel = "FILE", description = "File holding the 64-hex-digit private key.")
        Path privateKeyFile;

        @Mixin
        PasswordInput password = new PasswordInput();

        @Override
        int execute() throws Exception {
            if ((mnemonicFile == null) == (privateKeyFile == null)) {
                throw new IllegalArgumentException("give exactly one of --mnemonic-file or --private-key-file");
            }
            Mnemonic mnemonic = null;
            TronKey key;
            if (mnemonicFile != null) {
                mnemonic = Mnemonic.parse(Files.readString(mnemonicFile, StandardCharsets.UTF_8).trim());
                key = mnemonic.toTronKey("");
            } else {
                key = TronKey.fromHex(Files.readString(privateKeyFile, StandardCharsets.UTF_8).trim());
            }
            char[] pw = password.readNew(wallet.stdin);
            try {
                out().println("address: " + wallet.keystore().create(key, mnemonic, pw).toBase58());
                return 0;
            } finally {
                Arrays.fill(pw, '\0');
                key.destroy();
            }
        }
    }

    @Command(name = "address", mixinStandardHelpOptions = true, description = "Print the wallet's TRON address.")
    static final class Address extends Sub {
        @Override
        int execute() throws Exception {
            out().println(wallet.keystore().address().toBase58());
            return 0;
        }
    }

    @Command(name = "balance", mixinStandardHelpOptions = true, description = "Print TRX and BTT balances.")
    static final class Balance extends Sub {
        @Option(names = "--address", description = "Any address (default: this wallet's).")
        String address;

        @Override
        int execute() throws Exception {
            TronAddress who = address != null ? TronAddress.parse(address) : wallet.keystore().address();
            try (ChainAccess access = wallet.chain()) {
                TronChainClient client = access.client();
                out().println("address: " + who.toBase58() + " (" + wallet.tronNetwork().name() + ")");
                out().println("TRX: " + BttAmount.format(BigInteger.valueOf(client.trxBalanceSun(who)), BttAmount.TRX_DECIMALS));
                out().println("BTT: " + BttAmount.formatBtt(client.bttBalance(who)));
            }
            return 0;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true, description = "Send BTT (default) or TRX; asks for the wallet password as approval.")
    static final class Send extends Sub {
        @Parameters(index = "0", paramLabel = "RECIPIENT")
        String recipient;

        @Parameters(index = "1", paramLabel = "AMOUNT", description = "Decimal amount, e.g. 12.5")
        String amount;

        @Option(names = "--trx", description = "Send TRX instead of BTT.")
        boolean trx;

        @Option(names = "--torrent", description = "Info-hash this payment is for (recorded in the ledger).")
        String torrent = "";

        @Mixin
        PasswordInput password = new PasswordInput();

        @Override
        int execute() throws Exception {
            TronAddress to = TronAddress.parse(recipient);
            BigInteger units = trx ? BttAmount.parse(amount, BttAmount.TRX_DECIMALS) : BttAmount.parseBtt(amount);
            char[] pw = password.read("Wallet password to approve sending " + amount + (trx ? " TRX" : " BTT") + " to " + to.toBase58() + ": ",
                    wallet.stdin);
            TronKey key;
            try {
                key = wallet.keystore().unlock(pw);
            } finally {
                Arrays.fill(pw, '\0');
            }
            try (ChainAccess access = wallet.chain()) {
                TronChainClient client = access.client();
                if (trx) {
                    SignedTransaction tx = client.signTrxTransfer(key, to, units.longValueExact());
                    client.broadcast(tx);
                    out().println("sent " + amount + " TRX, transaction " + tx.txid());
                    return 0;
                }
                Path ledgerFile = wallet.dataDir().resolve("wallet").resolve("ledger-" + wallet.tronNetwork().name() + ".json");
                PaymentLedger ledger = PaymentLedger.open(ledgerFile, Clock.systemUTC());
                PaymentService payments = new PaymentService(client, ledger, new OneOffApproval(to, units), () -> key, Clock.systemUTC());
                PaymentEntry entry = payments.pay("cli-" + UUID.randomUUID(), to, units, torrent);
                out().println("sent " + BttAmount.formatBtt(units) + " BTT, transaction " + entry.txid() + " (" + entry.status() + ")");
                return 0;
            } finally {
                key.destroy();
            }
        }
    }

    @Command(name = "faucet", mixinStandardHelpOptions = true, description = "Devnet only: credit free test TRX and BTT.")
    static final class Faucet extends Sub {
        @Option(names = "--address", description = "Address to fund (default: this wallet's).")
        String address;

        @Option(names = "--trx", defaultValue = "1000", description = "TRX to credit (default ${DEFAULT-VALUE}).")
        String trxAmount;

        @Option(names = "--btt", defaultValue = "1000", description = "BTT to credit (default ${DEFAULT-VALUE}).")
        String bttAmount;

        @Override
        int execute() throws Exception {
            if (!wallet.tronNetwork().isDevnet() || wallet.endpoint != null) {
                throw new IllegalArgumentException("the faucet exists only on the embedded devnet (--network devnet, no --endpoint)");
            }
            TronAddress who = address != null ? TronAddress.parse(address) : wallet.keystore().address();
            long sun = BttAmount.parse(trxAmount, BttAmount.TRX_DECIMALS).longValueExact();
            BigInteger btt = BttAmount.parseBtt(bttAmount);
            try (ChainAccess access = wallet.chain()) {
                Devnet devnet = access.ownDevnet().orElseThrow(() -> new IllegalStateException(
                        "the devnet is served by another process (the helper daemon, or a devnet of another helper named in the "
                                + "settings' chainEndpoint); fund the wallet from the process that serves it, or stop it and retry"));
                devnet.faucet(ByteString.copyFrom(who.bytes()), sun, btt);
                out().println("credited " + trxAmount + " TRX and " + bttAmount + " BTT to " + who.toBase58() + " on devnet");
            }
            return 0;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true, description = "Check the wallet password (the helper daemon keeps the wallet unlocked; a one-shot command cannot).")
    static final class Unlock extends Sub {
        @Mixin
        PasswordInput password = new PasswordInput();

        @Override
        int execute() throws Exception {
            char[] pw = password.read("Wallet password: ", wallet.stdin);
            try {
                TronKey key = wallet.keystore().unlock(pw);
                out().println("password OK for " + key.address().toBase58());
                key.destroy();
                return 0;
            } finally {
                Arrays.fill(pw, '\0');
            }
        }
    }

    @Command(name = "lock", mixinStandardHelpOptions = true, description = "Lock the wallet (a one-shot command holds no unlocked key; the daemon's session locks on idle).")
    static final class Lock extends Sub {
        @Override
        int execute() {
            out().println("locked: this command process holds no unlocked key (the helper daemon's wallet session is locked through its API)");
            return 0;
        }
    }

}
