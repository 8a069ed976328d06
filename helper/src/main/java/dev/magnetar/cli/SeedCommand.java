package dev.magnetar.cli;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineException;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.metainfo.DisplayText;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.util.DataDirectory;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.InvalidAmountException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code magnetar seed <.torrent> --dir DIR --port PORT [--ask BTT]}: checks the data (progress bar),
 * then seeds until SIGINT/SIGTERM, and on that signal closes cleanly — a STOPPED announce, resume data
 * saved. With an ask it also sells paid upload slots to boosted peers ({@link SellingSession}),
 * paid to the data folder's wallet.
 *
 * <p>Exit codes: 1 the data is incomplete, the port cannot be bound or selling cannot start; 2 bad input.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Check a torrent's data in a folder and seed it until stopped (Ctrl-C).")
public final class SeedCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TORRENT", description = "The .torrent file.")
    Path torrent;

    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Folder that holds the torrent's data (the torrent's name inside it).")
    Path dir;

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "TCP port to accept peers on.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "::",
            description = "Address to accept peers on (default: ${DEFAULT-VALUE}, every address of IPv6 and IPv4).")
    String bind;

    @Option(names = "--tracker-announce", description = "Announce to the torrent's trackers (off by default).")
    boolean trackerAnnounce;

    @Option(names = "--max-up", paramLabel = "KiB/s", defaultValue = "0", description = "Upload limit, 0 = none.")
    long maxUpKiB;

    @Option(names = "--resume-dir", paramLabel = "DIR",
            description = "Where resume data lives (default: the data folder's resume/).")
    Path resumeDir;

    @Option(names = "--ask", paramLabel = "BTT",
            description = "Sell paid upload slots to boosted peers for at least this much BTT per GiB (e.g. 100), paid to the data "
                    + "folder's wallet; 0 = sell nothing (default).")
    String ask;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Helper data folder: its wallet is paid, its settings name the TRON network (default: per-user).")
    Path dataDir;

    @Option(names = "--network", paramLabel = "NAME", description = "With --ask: devnet, nile or mainnet (default: the data folder's settings).")
    String network;

    @Option(names = "--endpoint", paramLabel = "HOST:PORT",
            description = "With --ask: the TRON gRPC node to use, e.g. a devnet another helper serves (default: the settings' one).")
    String endpoint;

    @Mixin
    DiscoveryMixin discoveryOptions;

    @Mixin
    TransportMixin transportOptions;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 0xFFFF || maxUpKiB < 0) {
            err.println("error: --port must be 0..65535 and --max-up >= 0");
            err.flush();
            return DownloadCommand.EXIT_BAD_INPUT;
        }
        Metainfo metainfo;
        try {
            metainfo = MetainfoParser.parse(TorrentFileReader.read(torrent));
            metainfo.info().requireDownloadable();
        } catch (InvalidTorrentException e) {
            err.println("error: " + DisplayText.of(e.getMessage(), 1000));
            err.flush();
            return DownloadCommand.EXIT_BAD_INPUT;
        }
        BigInteger askPerGiB;
        try {
            askPerGiB = ask == null ? BigInteger.ZERO : BttAmount.parseBtt(ask);
        } catch (InvalidAmountException e) {
            err.println("error: --ask " + e.getMessage());
            err.flush();
            return DownloadCommand.EXIT_BAD_INPUT;
        }
        Path data = dataDir != null ? dataDir.toAbsolutePath() : DataDirectory.resolve();
        Path resume = resumeDir != null ? resumeDir : data.resolve("resume");
        EngineSettings settings;
        try {
            settings = EngineSettings.builder(dir, resume).listen(bind, port).rateLimits(0, maxUpKiB * 1024)
                    .discovery(discoveryOptions.apply(PeerDiscoverySettings.defaults(resume))).utp(transportOptions.utp).build();
        } catch (IllegalArgumentException e) {
            err.println("error: " + DisplayText.of(e.getMessage(), 300));
            err.flush();
            return DownloadCommand.EXIT_BAD_INPUT;
        }
        Engine engine;
        try {
            engine = Engine.start(settings);
        } catch (EngineException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return DownloadCommand.EXIT_FAILED;
        }
        SellingSession selling = null;
        if (askPerGiB.signum() > 0) {
            try {
                selling = SellingSession.open(engine, askPerGiB, data, network, endpoint);
            } catch (SellingSession.SellingUnavailableException e) {
                engine.close();
                err.println("error: " + e.getMessage());
                err.flush();
                return DownloadCommand.EXIT_FAILED;
            }
        }
        SellingSession sellingToClose = selling;
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            engine.close(); // STOPPED announce, connections closed, resume data saved
            if (sellingToClose != null) {
                sellingToClose.close(); // after the engine: payment checks still queued finish first
            }
            closed.countDown();
        }, "magnetar-seed-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Metainfo m = trackerAnnounce ? metainfo
                    : new Metainfo(metainfo.info(), List.of(), metainfo.webSeeds(), metainfo.comment(),
                            metainfo.createdBy(), metainfo.creationDate());
            Torrent t = engine.add(m, dir, AddOptions.defaults());
            ProgressBar checking = new ProgressBar(err, "checking", metainfo.info().totalLength());
            while (t.state() == TorrentState.CHECKING) {
                try {
                    t.completion().get(200, TimeUnit.MILLISECONDS); // paces the redraw; done when complete
                } catch (TimeoutException | ExecutionException e) {
                    // still checking, or failed: the state says which
                }
                checking.update(t.checkedBytes());
            }
            checking.update(t.checkedBytes());
            checking.finish();
            if (t.state() != TorrentState.SEEDING) {
                err.println("error: " + (t.error() != null ? t.error()
                        : "the data in " + dir + " is incomplete (" + Sizes.human(t.verifiedBytes()) + " of "
                                + Sizes.human(t.totalBytes()) + " verified); seed needs all of it"));
                err.flush();
                Runtime.getRuntime().removeShutdownHook(hook);
                hook.run();
                return DownloadCommand.EXIT_FAILED;
            }
            err.println("seeding " + metainfo.info().name() + " (" + metainfo.info().infoHash().hex() + ") on "
                    + Engine.hostPort(engine.listenAddress())
                    + "; press Ctrl-C to stop");
            if (selling != null) {
                err.println("selling paid slots at " + BttAmount.formatBtt(askPerGiB) + " BTT/GiB or more; payments go to "
                        + selling.address().toBase58() + " on " + selling.network().name() + " (chain id " + selling.chainId() + ", node "
                        + selling.network().fullNodeEndpoint() + ")");
            }
            err.flush();
            closed.await(); // until SIGINT/SIGTERM runs the hook
            return 0;
        } catch (EngineException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return DownloadCommand.EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DownloadCommand.EXIT_FAILED;
        }
    }
}
