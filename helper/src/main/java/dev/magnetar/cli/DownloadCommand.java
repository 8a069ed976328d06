package dev.magnetar.cli;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineException;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.metainfo.DisplayText;
import dev.magnetar.metainfo.InvalidMagnetException;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.MagnetLink;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.util.DataDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
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
 * {@code magnetar download <magnet-or-.torrent> --dir DIR [--peer HOST:PORT]...}: downloads to
 * completion with a live progress line on stderr, every piece verified, then exits 0.
 *
 * Magnet links first fetch the metadata from peers (BEP 9), which needs at least one peer: from
 * {@code --peer}, the link's {@code x.pe} or its trackers.
 *
 * <p>Exit codes: 0 complete; 1 the download failed (storage error, no peers for too long);
 * 2 bad input (unreadable or malformed torrent or magnet, bad option).
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a torrent or magnet link to a folder, verify every piece, and exit.")
public final class DownloadCommand implements Callable<Integer> {

    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;
    private static final Duration REDRAW = Duration.ofMillis(500);

    @Parameters(index = "0", paramLabel = "MAGNET-OR-TORRENT", description = "A .torrent file or a magnet: URI.")
    String source;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Folder to download into.")
    Path dir;

    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "Connect to this peer (repeatable).")
    List<String> peers = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "TCP port to accept peers on (default: any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "::",
            description = "Address to accept peers on (default: ${DEFAULT-VALUE}, every address of IPv6 and IPv4).")
    String bind;

    @Option(names = "--resume-dir", paramLabel = "DIR",
            description = "Where resume data lives (default: the per-user data folder's resume/).")
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
        List<InetSocketAddress> peerAddresses = new ArrayList<>();
        for (String p : peers) {
            Optional<InetSocketAddress> a = Engine.parsePeer(p);
            if (a.isEmpty()) {
                err.println("error: --peer " + DisplayText.of(p, 200) + " is not HOST:PORT (e.g. 127.0.0.1:6881)");
                err.flush();
                return EXIT_BAD_INPUT;
            }
            peerAddresses.add(a.get());
        }
        Metainfo metainfo = null;
        MagnetLink magnet = null;
        try {
            if (source.regionMatches(true, 0, "magnet:", 0, 7)) {
                magnet = MagnetParser.parse(source);
            } else {
                metainfo = MetainfoParser.parse(TorrentFileReader.read(Path.of(source)));
                metainfo.info().requireDownloadable();
            }
        } catch (InvalidTorrentException | InvalidMagnetException e) {
            err.println("error: " + DisplayText.of(e.getMessage(), 1000));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        Path resume = resumeDir != null ? resumeDir : DataDirectory.resolve().resolve("resume");
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
        try (Engine engine = Engine.start(settings)) {
            AddOptions options = new AddOptions(null, false, sequential);
            long started = System.nanoTime();
            Torrent t = magnet != null ? engine.addMagnet(magnet, dir, options) : engine.add(metainfo, dir, options);
            peerAddresses.forEach(t::addPeer);
            if (metadataOnly && magnet != null) {
                return MetadataOnly.awaitMetadata(t, started, stallSeconds, out, err);
            }
            int code = follow(t, err, stallSeconds);
            if (code == 0) {
                err.println("verified " + t.name() + " (" + Sizes.human(t.totalBytes()) + ") in " + dir);
                err.println(transferSummary(t.downloadedBytes(), System.nanoTime() - started));
                out.flush();
            }
            err.flush();
            return code;
        } catch (EngineException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        }
    }

    /** Draws progress until the torrent completes, fails or stalls. */
    static int follow(Torrent t, PrintWriter err, long stallSeconds) throws InterruptedException {
        ProgressBar checking = null;
        ProgressBar downloading = null;
        long lastProgressAt = System.nanoTime();
        long lastVerified = -1;
        boolean fetchingShown = false;
        while (true) {
            boolean done = false;
            try {
                t.completion().get(REDRAW.toMillis(), TimeUnit.MILLISECONDS);
                done = true;
            } catch (ExecutionException e) {
                if (downloading != null) {
                    downloading.finish();
                }
                err.println("error: download failed: " + (t.error() != null ? t.error() : e.getCause().getMessage()));
                return EXIT_FAILED;
            } catch (TimeoutException e) {
                // redraw below
            }
            if (t.state() == TorrentState.FETCHING_METADATA) {
                if (!fetchingShown) {
                    err.println("fetching metadata of " + t.name() + " from peers (BEP 9)...");
                    err.flush();
                    fetchingShown = true;
                }
                if (t.peerCount() > 0) {
                    lastProgressAt = System.nanoTime();
                } else if (System.nanoTime() - lastProgressAt > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                    err.println("error: could not fetch the metadata: no peer for " + stallSeconds + " s; give a --peer");
                    return EXIT_FAILED;
                }
                continue;
            }
            if (checking == null) {
                checking = new ProgressBar(err, "checking", t.totalBytes());
                downloading = new ProgressBar(err, "download", t.totalBytes());
            }
            if (done) {
                checking.finish();
                downloading.update(t.verifiedBytes(), detail(t));
                downloading.finish();
                return 0;
            }
            if (t.state() == TorrentState.CHECKING) {
                checking.update(t.checkedBytes());
                continue;
            }
            checking.finish();
            downloading.update(t.verifiedBytes(), detail(t));
            long verified = t.verifiedBytes();
            if (verified != lastVerified || t.peerCount() > 0) {
                lastVerified = verified;
                lastProgressAt = System.nanoTime();
            } else if (System.nanoTime() - lastProgressAt > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                downloading.finish();
                err.println("error: no peer connected and no data for " + stallSeconds + " s; check --peer"
                        + " addresses or the torrent's trackers (resume data is kept: run the same command again)");
                return EXIT_FAILED;
            }
        }
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

    private static String detail(Torrent t) {
        Long eta = t.etaSeconds();
        return String.format(Locale.ROOT, "%.1f MiB/s down  %.1f MiB/s up  %d peers  ETA %s",
                t.downloadRate() / 1048576.0, t.uploadRate() / 1048576.0, t.peerCount(),
                eta == null ? "-" : String.format(Locale.ROOT, "%d:%02d", eta / 60, eta % 60));
    }

}
