package dev.magnetar.cli;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineException;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A download run by an engine in this process, which ends with it: what {@code magnetar download} does
 * when no helper runs, or with {@code --standalone}. Ctrl-C stops it; the resume data stays, so the same
 * command picks up where it stopped.
 */
final class InProcessDownload {

    private static final Duration REDRAW = Duration.ofMillis(500);

    private InProcessDownload() {}

    static int run(DownloadJob job, EngineSettings settings, boolean metadataOnly, PrintWriter out, PrintWriter err) {
        try (Engine engine = Engine.start(settings)) {
            AddOptions options = new AddOptions(null, false, job.sequential());
            long started = System.nanoTime();
            Torrent t = job.magnet() != null ? engine.addMagnet(job.magnet(), job.dir(), options)
                    : engine.add(job.metainfo(), job.dir(), options);
            job.peers().forEach(t::addPeer);
            if (metadataOnly && job.magnet() != null) {
                return MetadataOnly.awaitMetadata(t, started, job.stallSeconds(), out, err);
            }
            int code = follow(t, err, job.stallSeconds());
            if (code == 0) {
                err.println("verified " + t.name() + " (" + Sizes.human(t.totalBytes()) + ") in " + job.dir());
                err.println(DownloadCommand.transferSummary(t.downloadedBytes(), System.nanoTime() - started));
                out.flush();
            }
            err.flush();
            return code;
        } catch (EngineException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return DownloadCommand.EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DownloadCommand.EXIT_FAILED;
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
                return DownloadCommand.EXIT_FAILED;
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
                    return DownloadCommand.EXIT_FAILED;
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
                return DownloadCommand.EXIT_FAILED;
            }
        }
    }

    private static String detail(Torrent t) {
        Long eta = t.etaSeconds();
        return DownloadCommand.progressDetail(t.downloadRate(), t.uploadRate(), t.peerCount(), eta);
    }
}
