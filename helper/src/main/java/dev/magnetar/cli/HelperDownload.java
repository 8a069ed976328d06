package dev.magnetar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.metainfo.DisplayText;
import dev.magnetar.nativehost.DaemonClient;
import dev.magnetar.nativehost.DaemonEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A download handed to the user's running helper over its loopback API: the torrent is added there
 * (with the peers given), its progress polled and drawn, and the command ends when the helper has
 * verified every piece. The helper's engine is warm, so this skips this process's engine start-up and
 * JIT warm-up, which cost a one-shot JVM more than the transfer itself.
 *
 * <p>What stays in the helper: a finished download stays there and seeds, like every torrent the helper
 * finishes (the extension lists it). A download this command added that does not finish — Ctrl-C, a
 * stall, an error — is taken back out (its data stays in the folder), so an interrupted command leaves
 * the helper as it found it, as the in-process download leaves nothing running. A torrent the helper
 * already had is never removed: someone else added it.
 */
final class HelperDownload {

    /** How often the torrent's state is asked for: the completion is seen at most this late. */
    private static final long POLL_MILLIS = 100;
    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final DaemonEndpoint helper;
    private final DaemonClient client;
    private final PrintWriter err;
    private final AtomicBoolean takenBack = new AtomicBoolean();

    HelperDownload(DaemonEndpoint helper, DaemonClient client, PrintWriter err) {
        this.helper = helper;
        this.client = client;
        this.err = err;
    }

    int run(DownloadJob job) throws InterruptedException {
        long started = System.nanoTime();
        String hash = job.infoHashHex();
        JsonNode added;
        boolean alreadyThere;
        try {
            String asked = hash;
            DaemonClient.Answer listed = pastItsStart(() -> client.get(helper.port(), helper.token(), "/torrents/" + asked));
            if (stillStarting(listed)) {
                return refused(listed); // never guessed: a "not there" would let Ctrl-C remove a torrent the helper had
            }
            alreadyThere = listed.ok();
            DaemonClient.Answer answer = client.post(helper.port(), helper.token(), job.magnet() != null ? "/torrents/magnet"
                    : "/torrents/file", addRequest(job));
            if (!answer.ok()) {
                return refused(answer);
            }
            added = answer.body();
        } catch (IOException e) {
            return lost(e);
        }
        hash = added.path("infoHash").asText(hash);
        Thread takeBack = null;
        if (alreadyThere) {
            err.println("the running helper (pid " + helper.pid() + ") already has " + added.path("name").asText()
                    + "; following it there (Ctrl-C leaves it in the helper)");
        } else {
            // The hook goes in before the line that promises it: a Ctrl-C right after the line must find it.
            String addedHash = hash;
            takeBack = new Thread(() -> takeBack(addedHash), "magnetar-download-take-back");
            Runtime.getRuntime().addShutdownHook(takeBack);
            err.println("handed to the running helper (pid " + helper.pid() + "); Ctrl-C takes it back out"
                    + " (what is downloaded stays in " + job.dir() + "; --standalone downloads in this process)");
        }
        err.flush();
        int code = DownloadCommand.EXIT_FAILED;
        try {
            if (alreadyThere && "PAUSED".equals(added.path("state").asText())) {
                client.post(helper.port(), helper.token(), "/torrents/" + hash + "/resume", Map.of());
            }
            code = follow(hash, job.stallSeconds(), started);
            return code;
        } catch (IOException e) {
            return lost(e);
        } finally {
            if (takeBack != null) {
                if (code != 0) {
                    takeBack(hash);
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(takeBack);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs (or ran) already: it takes the torrent back at most once
                }
            }
            err.flush();
        }
    }

    private static Map<String, Object> addRequest(DownloadJob job) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (job.magnet() != null) {
            body.put("uri", job.magnet().toUri());
        } else {
            body.put("torrentBase64", Base64.getEncoder().encodeToString(job.torrentFile()));
        }
        body.put("downloadDir", job.dir().toAbsolutePath().toString());
        if (job.sequential()) {
            body.put("sequential", true);
        }
        if (!job.peers().isEmpty()) {
            body.put("peers", job.peers().stream().map(HelperDownload::ipLiteral).toList());
        }
        return body;
    }

    /** "ip:port" or "[ipv6]:port", the form the API takes (resolved already: no name goes to the helper). */
    private static String ipLiteral(InetSocketAddress peer) {
        String ip = peer.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + peer.getPort();
    }

    /** Polls the torrent until the helper has verified it all, it fails, or it stalls. */
    private int follow(String hash, long stallSeconds, long started) throws IOException, InterruptedException {
        ProgressBar downloading = null;
        boolean fetchingShown = false;
        boolean pausedShown = false;
        long lastProgressAt = System.nanoTime();
        long lastDrawn = 0;
        long lastVerified = -1;
        while (true) {
            DaemonClient.Answer answer = client.get(helper.port(), helper.token(), "/torrents/" + hash);
            if (answer.status() == 404) {
                finish(downloading);
                if (takenBack.get()) {
                    return DownloadCommand.EXIT_FAILED; // Ctrl-C: the shutdown hook took it back and says so
                }
                err.println("error: the torrent was removed from the helper before it finished");
                return DownloadCommand.EXIT_FAILED;
            }
            if (!answer.ok()) {
                finish(downloading);
                return refused(answer);
            }
            JsonNode detail = answer.body();
            JsonNode status = detail.path("status");
            String state = status.path("state").asText();
            long now = System.nanoTime();
            long total = status.path("totalBytes").asLong();
            long verified = status.path("verifiedBytes").asLong();
            int peers = status.path("peers").asInt();
            switch (state) {
                case "SEEDING", "COMPLETED" -> {
                    if (downloading == null) {
                        downloading = new ProgressBar(err, "download", total);
                    }
                    downloading.update(verified, detail(status));
                    downloading.finish();
                    err.println("verified " + status.path("name").asText() + " (" + Sizes.human(total) + ") in "
                            + detail.path("saveFolder").asText() + "; the helper (pid " + helper.pid() + ") goes on seeding it");
                    err.println(DownloadCommand.transferSummary(status.path("downloadedBytes").asLong(), now - started));
                    return 0;
                }
                case "ERROR" -> {
                    finish(downloading);
                    err.println("error: download failed: " + status.path("error").asText("unknown error"));
                    return DownloadCommand.EXIT_FAILED;
                }
                case "FETCHING_METADATA" -> {
                    if (!fetchingShown) {
                        err.println("fetching metadata of " + status.path("name").asText(hash) + " from peers (BEP 9)...");
                        err.flush();
                        fetchingShown = true;
                    }
                }
                case "PAUSED" -> {
                    if (!pausedShown) {
                        finish(downloading);
                        err.println("paused in the helper; waiting for it to be resumed");
                        err.flush();
                        pausedShown = true;
                    }
                    lastProgressAt = now; // a pause is someone's choice, not a stall
                }
                default -> {
                    pausedShown = false;
                    if (downloading == null) {
                        downloading = new ProgressBar(err, "download", total);
                    }
                    if (now - lastDrawn >= REDRAW_NANOS) {
                        downloading.update(verified, detail(status));
                        lastDrawn = now;
                    }
                }
            }
            if (verified != lastVerified || peers > 0) {
                lastVerified = verified;
                lastProgressAt = now;
            } else if (now - lastProgressAt > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                finish(downloading);
                err.println("error: no peer connected and no data for " + stallSeconds + " s; check --peer addresses or the"
                        + " torrent's trackers");
                return DownloadCommand.EXIT_FAILED;
            }
            // Polling the helper's API: the stall timeout above bounds the wait.
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Removes the torrent this command added, keeping its data; once, whoever asks first (the hook or the main thread). */
    private void takeBack(String hash) {
        if (!takenBack.compareAndSet(false, true)) {
            return;
        }
        try {
            DaemonClient.Answer a = client.delete(helper.port(), helper.token(), "/torrents/" + hash, Map.of("deleteData", false));
            err.println(a.ok() || a.status() == 404 ? "taken back out of the helper; what was downloaded stays on disk"
                    : "could not take the torrent back out of the helper (HTTP " + a.status() + "): remove it in the extension");
        } catch (IOException e) {
            err.println("could not take the torrent back out of the helper (" + e.getMessage() + "): remove it in the extension");
        }
        err.flush();
    }

    /** A call to the helper that is asked again while the helper says it is still starting (its 503 with Retry-After). */
    @FunctionalInterface
    private interface HelperCall {
        DaemonClient.Answer call() throws IOException;
    }

    /**
     * The answer of {@code call} once the helper is past its start: a helper just started answers its
     * torrent routes only once its last session is back, and says so (503 HELPER_STARTING) when that takes
     * longer than its own wait. Asked again each Retry-After (1 s) for at most {@link #START_PATIENCE_SECONDS}.
     */
    private DaemonClient.Answer pastItsStart(HelperCall call) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_PATIENCE_SECONDS);
        DaemonClient.Answer answer = call.call();
        if (stillStarting(answer)) { // a minute of silence would look like a hang
            err.println("the running helper (pid " + helper.pid() + ") is still starting; waiting for it (at most "
                    + START_PATIENCE_SECONDS + " s)");
            err.flush();
        }
        while (stillStarting(answer) && System.nanoTime() - deadline < 0) {
            TimeUnit.SECONDS.sleep(1); // the helper's Retry-After
            answer = call.call();
        }
        return answer;
    }

    /** A helper with a wallet brings its session back once its chain is up, which may take this long on a loaded machine. */
    private static final long START_PATIENCE_SECONDS = 60;

    private static boolean stillStarting(DaemonClient.Answer answer) {
        return answer.status() == 503 && "HELPER_STARTING".equals(answer.body().path("code").asText());
    }

    private int refused(DaemonClient.Answer answer) {
        String message = DisplayText.of(answer.body().path("message").asText("HTTP " + answer.status()), 1000);
        err.println("error: the helper (pid " + helper.pid() + ") refused: " + message);
        return answer.status() == 400 ? DownloadCommand.EXIT_BAD_INPUT : DownloadCommand.EXIT_FAILED;
    }

    private int lost(IOException e) {
        err.println("error: the helper (pid " + helper.pid() + ") stopped answering: " + e.getMessage()
                + " (run the command again, or with --standalone)");
        return DownloadCommand.EXIT_FAILED;
    }

    private static void finish(ProgressBar bar) {
        if (bar != null) {
            bar.finish();
        }
    }

    private static String detail(JsonNode status) {
        JsonNode eta = status.path("etaSeconds");
        return DownloadCommand.progressDetail(status.path("downloadRateBytesPerSecond").asLong(),
                status.path("uploadRateBytesPerSecond").asLong(), status.path("peers").asInt(), eta.isNumber() ? eta.asLong() : null);
    }
}
