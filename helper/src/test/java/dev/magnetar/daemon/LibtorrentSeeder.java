package dev.magnetar.daemon;

import dev.magnetar.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A libtorrent seeder on 127.0.0.1 (test resource interop/lt_seed.py) for daemon tests: started with
 * an upload limit so a download is still under way while the test restarts the daemon. Killed by its
 * own process handle on close.
 */
public final class LibtorrentSeeder implements AutoCloseable {

    private static final Duration GUARD = Duration.ofSeconds(90);

    private final Process process;
    private final int port;

    private LibtorrentSeeder(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Seeds {@code torrentFile} from {@code contentDir} at most {@code uploadBytesPerSecond}; returns once it listens. */
    public static LibtorrentSeeder start(Path torrentFile, Path contentDir, long uploadBytesPerSecond) throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        String script = Path.of(LibtorrentSeeder.class.getResource("/interop/lt_seed.py").toURI()).toString();
        Process p = new ProcessBuilder(python.toString(), script, torrentFile.toString(), contentDir.toString(), "0",
                Long.toString(uploadBytesPerSecond)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        return Integer.parseInt(line.substring(6).strip());
                    }
                }
                throw new IllegalStateException("the libtorrent seeder exited before it was ready");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return new LibtorrentSeeder(p, ready.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
