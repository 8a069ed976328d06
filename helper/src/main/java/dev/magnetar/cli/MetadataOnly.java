package dev.magnetar.cli;

import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentState;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code download --metadata-only}: waiting for a magnet's metadata, and saying how long it took. */
final class MetadataOnly {

    private MetadataOnly() {}

    /**
     * {@code --metadata-only}: waits for the verified metadata (BEP 9), prints "metadata NAME in N ms"
     * on stdout, and returns 0; 1 when no peer shows up for {@code stallSeconds}.
     */
    static int awaitMetadata(Torrent t, long startedNanos, long stallSeconds, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        CompletableFuture<Long> got = new CompletableFuture<>();
        t.addListener(e -> {
            if (e instanceof EngineEvent.MetadataReceived) {
                got.complete(System.nanoTime());
            }
        });
        if (t.info() != null) {
            got.complete(System.nanoTime());
        }
        long lastPeerAt = System.nanoTime();
        while (true) {
            try {
                long at = got.get(200, TimeUnit.MILLISECONDS);
                out.println("metadata " + t.name() + " in " + TimeUnit.NANOSECONDS.toMillis(at - startedNanos) + " ms");
                out.flush();
                return 0;
            } catch (TimeoutException e) {
                if (t.state() == TorrentState.ERROR) {
                    err.println("error: " + t.error());
                    err.flush();
                    return DownloadCommand.EXIT_FAILED;
                }
                if (t.peerCount() > 0) {
                    lastPeerAt = System.nanoTime();
                } else if (System.nanoTime() - lastPeerAt > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                    err.println("error: could not fetch the metadata: no peer for " + stallSeconds + " s");
                    err.flush();
                    return DownloadCommand.EXIT_FAILED;
                }
            } catch (ExecutionException e) {
                err.println("error: " + e.getCause().getMessage());
                err.flush();
                return DownloadCommand.EXIT_FAILED;
            }
        }
    }
}
