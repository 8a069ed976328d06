package dev.magnetar.cli;

import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.Budget;
import dev.magnetar.approval.SpendAuthorizer;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.util.FileTrees;
import dev.magnetar.wallet.ApprovalSpendGate;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentRefusedException;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.TronNetwork;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The whole product in one run, with no network and no money: makes a torrent of random data, seeds
 * it with one engine and downloads it with another over loopback (live progress, every piece
 * verified, bytes compared), then pays the seeder in devnet BTT the way a boost does — only inside a
 * budget that was approved first — and shows that a spend beyond the budget is refused.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Seed and download a generated torrent over loopback, then pay for it with devnet BTT within an approved budget.")
public final class DemoCommand implements Callable<Integer> {

    private static final BigInteger GIB = BigInteger.valueOf(1L << 30);

    @Option(names = "--size", defaultValue = "48M", description = "Size of the generated torrent (e.g. 48M, 1G). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--rate", defaultValue = "100", description = "Boost bid in BTT per GiB. Default: ${DEFAULT-VALUE}.")
    String rateBttPerGib;

    @Option(names = "--keep", description = "Keep the working folder (data, torrent, devnet chain) instead of deleting it.")
    boolean keep;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long totalBytes = Sizes.parse(size);
        Path work = Files.createTempDirectory("magnetar-demo-");
        try {
            out.println("Magnetar demo — everything stays on 127.0.0.1; money is devnet BTT (no real value).");
            out.println("working folder: " + work);
            out.flush();
            Metainfo torrent = prepareTorrent(work, totalBytes, err);
            int code = download(work, torrent, out, err);
            if (code != 0) {
                return code;
            }
            payForTheDownload(work, torrent, out);
            out.println("demo finished: downloaded, verified, paid within budget, overspend refused.");
            return 0;
        } finally {
            out.flush();
            if (keep) {
                out.println("kept " + work);
            } else {
                FileTrees.delete(work);
            }
        }
    }

    /** Random content in three files (the last with an odd size), and a v1 torrent of it. */
    private Metainfo prepareTorrent(Path work, long totalBytes, PrintWriter err) throws Exception {
        Path content = work.resolve("seed").resolve("magnetar-demo");
        Files.createDirectories(content);
        long[] sizes = {totalBytes / 2, totalBytes / 3, totalBytes - totalBytes / 2 - totalBytes / 3};
        ProgressBar writing = new ProgressBar(err, "preparing", totalBytes);
        SplittableRandom random = new SplittableRandom();
        byte[] buffer = new byte[1 << 20];
        long written = 0;
        for (int i = 0; i < sizes.length; i++) {
            try (OutputStream o = Files.newOutputStream(content.resolve("part-" + (i + 1) + ".bin"))) {
                for (long left = sizes[i]; left > 0; ) {
                    int n = (int) Math.min(buffer.length, left);
                    random.nextBytes(buffer);
                    o.write(buffer, 0, n);
                    left -= n;
                    written += n;
                    writing.update(written);
                }
            }
        }
        writing.finish();
        ProgressBar hashing = new ProgressBar(err, "hashing", totalBytes);
        byte[] bytes = TorrentCreator.create(content, TorrentCreator.Options.defaults("Magnetar demo"), hashing::update);
        hashing.finish();
        Files.write(work.resolve("magnetar-demo.torrent"), bytes);
        return MetainfoParser.parse(bytes);
    }

    private int download(Path work, Metainfo torrent, PrintWriter out, PrintWriter err) throws Exception {
        EngineSettings seederSettings = EngineSettings.builder(work.resolve("seed"), work.resolve("seeder-resume"))
                .listen("127.0.0.1", 0).build();
        EngineSettings leecherSettings = EngineSettings.builder(work.resolve("download"), work.resolve("resume"))
                .listen("127.0.0.1", 0).build();
        try (Engine seeder = Engine.start(seederSettings); Engine leecher = Engine.start(leecherSettings)) {
            Torrent seeding = seeder.add(torrent, work.resolve("seed"), new AddOptions(null, false, false));
            seeding.completion().get(); // checks the generated data: the seeder must have every piece
            out.println("seeding " + torrent.info().name() + " (" + torrent.info().infoHash() + ") on " + seeder.listenAddress());
            out.flush();
            Torrent downloading = leecher.add(torrent, work.resolve("download"), new AddOptions(null, false, false));
            downloading.addPeer(seeder.listenAddress());
            int code = InProcessDownload.follow(downloading, err, 60);
            if (code != 0) {
                return code;
            }
        }
        for (TorrentFile f : torrent.info().dataFiles()) {
            long mismatch = Files.mismatch(f.resolveIn(work.resolve("seed")), f.resolveIn(work.resolve("download")));
            if (mismatch != -1) {
                err.println("error: " + f.displayPath() + " differs from the seeder's copy at byte " + mismatch);
                return DownloadCommand.EXIT_FAILED;
            }
        }
        out.println("verified: every piece hash-checked and every file byte-identical to the seeder's");
        return 0;
    }

    /**
     * What a boost does with money: the user approves a budget for this torrent (in the browser this is
     * the approval pop-up), payments are drawn from it, and anything beyond it is refused before a
     * transaction is even signed.
     */
    private void payForTheDownload(Path work, Metainfo torrent, PrintWriter out) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Devnet devnet = Devnet.start(Devnet.Config.onDemand(work.resolve("devnet")));
                TronChainClient chain = new TronChainClient(TronNetwork.devnet(devnet.endpoint()))) {
            TronKey downloader = TronKey.generate(new java.security.SecureRandom());
            TronKey seeder = TronKey.generate(new java.security.SecureRandom());
            BigInteger rate = BttAmount.parseBtt(rateBttPerGib);
            BigInteger owed = rate.multiply(BigInteger.valueOf(torrent.info().totalLength())).divide(GIB);
            BigInteger cap = owed.multiply(BigInteger.TWO).max(BigInteger.ONE);
            devnet.faucet(com.google.protobuf.ByteString.copyFrom(downloader.address().bytes()), 100_000_000L, cap.multiply(BigInteger.TEN));
            devnet.produceBlock();
            out.println("devnet wallet " + downloader.address() + ": " + BttAmount.formatBtt(chain.bttBalance(downloader.address()))
                    + " BTT from the faucet; seeder " + seeder.address());

            ApprovalStore approvals = ApprovalStore.open(work.resolve("approvals.json"), clock);
            String infoHash = torrent.info().infoHash().hex();
            approvals.file(new SpendRequest("demo-boost", SpendPurpose.BOOST_TORRENT, infoHash, torrent.info().name(), null,
                    cap, rate, null, "devnet", TronNetwork.DEVNET_BTT_CONTRACT.toBase58(), clock.instant(),
                    clock.instant().plus(Duration.ofHours(1))));
            approvals.approve("demo-boost");
            out.println("budget approved: up to " + BttAmount.formatBtt(cap) + " BTT for this torrent at " + rateBttPerGib
                    + " BTT/GiB (the browser shows this as an approval pop-up)");

            PaymentLedger ledger = PaymentLedger.open(work.resolve("ledger.json"), clock);
            PaymentService payments = new PaymentService(chain, ledger,
                    new ApprovalSpendGate(new SpendAuthorizer(approvals), chain.network()), () -> downloader, clock);
            payments.pay("demo-payment-1", seeder.address(), owed, infoHash);
            for (int i = 0; i <= Devnet.DEFAULT_CONFIRMATIONS; i++) {
                devnet.produceBlock();
            }
            payments.reconcile();
            Budget budget = approvals.find("demo-boost").orElseThrow();
            out.println("paid the seeder " + BttAmount.formatBtt(owed) + " BTT for " + Sizes.human(torrent.info().totalLength())
                    + "; seeder balance " + BttAmount.formatBtt(chain.bttBalance(seeder.address())) + " BTT; budget left "
                    + BttAmount.formatBtt(budget.remaining()) + " BTT");
            try {
                payments.pay("demo-overspend", seeder.address(), budget.remaining().add(BigInteger.ONE), infoHash);
                throw new IllegalStateException("a spend beyond the approved budget was signed");
            } catch (PaymentRefusedException refused) {
                out.println("a spend beyond the budget was refused before signing: " + refused.getMessage());
            }
            out.flush();
        }
    }
}
