package dev.magnetar.cli;

import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.PeerAddresses;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.metainfo.DisplayText;
import dev.magnetar.metainfo.InvalidMagnetException;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.nativehost.DaemonClient;
import dev.magnetar.nativehost.DaemonProbe;
import dev.magnetar.util.DataDirectory;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code magnetar download <magnet-or-.torrent> --dir DIR [--peer HOST:PORT]...}: downloads to
 * completion with a live progress line on stderr, every piece verified, then exits 0.
 *
 * <p>When the user's helper runs (the one the extension talks to), the job is handed to it over its
 * loopback API ({@link HelperDownload}): its engine is already warm, and the finished torrent seeds on
 * there. Otherwise, with {@code --standalone}, or with an option that shapes an engine of its own
 * ({@code --port}, {@code --resume-dir}, the discovery switches...), this process runs the engine
 * ({@link InProcessDownload}). A helper that runs but cannot be used (its token file unreadable or
 * refused, its API hung) stops the command with the reason: downloading here anyway could put two
 * engines on the same files; {@code --standalone} is the way round it.
 *
 * Magnet links first fetch the metadata from peers (BEP 9), which needs at least one peer: from
 * {@code --peer}, the link's {@code x.pe} or its trackers.
 *
 * <p>Exit codes: 0 complete; 1 the download failed (storage error, no peers for too long);
 * 2 bad input (unreadable or malformed torrent or magnet, bad option).
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a torrent or magnet link to a folder, verify every piece, and exit.",
                "When your Magnetar helper runs, the download is handed to it and the output says so: the finished torrent"
                        + " seeds on in the helper, and Ctrl-C takes an unfinished one back out (the data stays). Without a"
                        + " helper, with --standalone, or with any of --port, --bind, --resume-dir, --max-down, --max-up,"
                        + " --metadata-only or a DHT, PEX, LSD or uTP option, it runs in this process, which ends with it."})
public final class DownloadCommand implements Callable<Integer> {

    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;

    /** Options that configure an engine of this process's own: given any, the download runs here. */
    private static final Set<String> ENGINE_OPTIONS = Set.of("--port", "--bind", "--resume-dir", "--max-down", "--max-up",
            "--metadata-only", "--no-dht", "--dht-port", "--dht-bootstrap", "--no-pex", "--no-lsd", "--utp");

    @Parameters(index = "0", paramLabel = "MAGNET-OR-TORRENT", description = "A .torrent file or a magnet: URI.")
    String source;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Folder to download into.")
    Path dir;

    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "Connect to this peer (repeatable).")
    List<String> peers = new ArrayList<>();

    @Option(names = "--standalone",
            description = "Download in this process even when the helper runs (nothing is left running afterwards).")
    boolean standalone;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The helper's data folder, where a running helper is found and resume data lives (default: per-user).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "TCP port to accept peers on (default: any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "::",
            description = "Address to accept peers on (default: ${DEFAULT-VALUE}, every address of IPv6 and IPv4).")
    String bind;

    @Option(names = "--resume-dir", paramLabel = "DIR",
            description = "Where resume data lives (default: the data folder's resume/).")
    Path resumeDir;

    @Option(names = "--sequential", description = "Download pieces in order (for streaming).")
    boolean sequential;

    @Option(names = "--max-down", paramLabel = "KiB/s", defaultValue = "0", description = "Download limit, 0 = none.")
    long maxDownKiB;

    @Option(names = "--max-up", paramLabel = "KiB/s", defaultValue = "0", description = "Upload limit, 0 = none.")
    long maxUpKiB;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up when no peer is connected and nothing arrives for this long (default: ${DEFAULT-VALUE}).")
    long stallSeconds;

    @Mixin
    DiscoveryMixin discoveryOptions;

    @Mixin
    TransportMixin transportOptions;

    @Option(names = "--metadata-only",
            description = "Magnets: stop once the metadata is fetched and verified; print the elapsed milliseconds.")
    boolean metadataOnly;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxDownKiB < 0 || maxUpKiB < 0 || port < 0 || port > 0xFFFF || stallSeconds < 1) {
            err.println("error: limits must be >= 0, --port 0..65535 and --stall-timeout >= 1");
            err.flush();
            return EXIT_BAD_INPUT;
        }
        DownloadJob job;
        try {
            job = job();
        } catch (InvalidTorrentException | InvalidMagnetException | IllegalArgumentException e) {
            err.println("error: " + DisplayText.of(e.getMessage(), 1000));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        Path data = dataDir != null ? dataDir : DataDirectory.resolve();
        if (!standalone) {
            DaemonClient client = new DaemonClient();
            DaemonProbe.Result helper = new DaemonProbe(data, client).probe();
            if (helper instanceof DaemonProbe.Unusable u) {
                // Downloading here anyway could put two engines on the same files, if the helper has this torrent.
                err.println("error: " + u.reason() + "; restart the helper, or download in this process with --standalone");
                err.flush();
                return EXIT_FAILED;
            }
            if (helper instanceof DaemonProbe.Answering a) {
                Optional<String> engineOption = engineOptionGiven();
                if (engineOption.isEmpty()) {
                    try {
                        return new HelperDownload(a.endpoint(), client, err).run(job);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return EXIT_FAILED;
                    }
                }
                err.println("the running helper (pid " + a.endpoint().pid() + ") is not used: " + engineOption.get()
                        + " sets up an engine of this process (leave it out to hand the download to the helper)");
                err.flush();
            }
        }
        Path resume = resumeDir != null ? resumeDir : data.resolve("resume");
        PeerDiscoverySettings discovery;
        try {
            discovery = discoveryOptions.apply(PeerDiscoverySettings.defaults(resume));
        } catch (IllegalArgumentException e) {
            err.println("error: " + DisplayText.of(e.getMessage(), 300));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        EngineSettings settings = EngineSettings.builder(dir, resume).listen(bind, port)
                .rateLimits(maxDownKiB * 1024, maxUpKiB * 1024).discovery(discovery).utp(transportOptions.utp).build();
        return InProcessDownload.run(job, settings, metadataOnly, out, err);
    }

    /** The source read and checked, the peers resolved. @throws IllegalArgumentException naming a bad --peer */
    private DownloadJob job() throws InvalidTorrentException, InvalidMagnetException {
        List<InetSocketAddress> peerAddresses = new ArrayList<>();
        for (String p : peers) {
            Optional<InetSocketAddress> a = PeerAddresses.parse(p);
            if (a.isEmpty()) {
                throw new IllegalArgumentException("--peer " + DisplayText.of(p, 200) + " is not HOST:PORT (e.g. 127.0.0.1:6881)");
            }
            if (a.get().isUnresolved()) {
                throw new IllegalArgumentException("--peer " + DisplayText.of(p, 200) + ": no such host");
            }
            peerAddresses.add(a.get());
        }
        if (source.regionMatches(true, 0, "magnet:", 0, 7)) {
            return new DownloadJob(null, null, MagnetParser.parse(source), dir, peerAddresses, sequential, stallSeconds);
        }
        byte[] file = TorrentFileReader.read(Path.of(source));
        Metainfo metainfo = MetainfoParser.parse(file);
        metainfo.info().requireDownloadable();
        return new DownloadJob(metainfo, file, null, dir, peerAddresses, sequential, stallSeconds);
    }

    /** The first option given that only an engine of this process can honour. */
    private Optional<String> engineOptionGiven() {
        return spec.commandLine().getParseResult().matchedOptions().stream().map(o -> o.longestName())
                .filter(ENGINE_OPTIONS::contains).findFirst();
    }

    /**
     * What this run fetched and how fast, from adding the torrent to the last piece verified (JVM
     * start-up not included): the figure to compare with another client's in-process timing.
     */
    static String transferSummary(long downloadedBytes, long elapsedNanos) {
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        return String.format(Locale.ROOT, "downloaded %s in %.2f s (%.1f MiB/s)", Sizes.human(downloadedBytes),
                seconds, downloadedBytes / 1048576.0 / seconds);
    }

    /** The part of the progress line after the sizes: rates, peers and time left. */
    static String progressDetail(long downloadBytesPerSecond, long uploadBytesPerSecond, int peerCount, Long etaSeconds) {
        return String.format(Locale.ROOT, "%.1f MiB/s down  %.1f MiB/s up  %d peers  ETA %s",
                downloadBytesPerSecond / 1048576.0, uploadBytesPerSecond / 1048576.0, peerCount,
                etaSeconds == null ? "-" : String.format(Locale.ROOT, "%d:%02d", etaSeconds / 60, etaSeconds % 60));
    }
}
