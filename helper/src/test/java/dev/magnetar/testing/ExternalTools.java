package dev.magnetar.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real programs interop tests run against (python3-libtorrent, aria2c, transmission-cli...).
 * When one is missing, the test is skipped with a message on a developer machine, but FAILS when the
 * environment variable CI is "true": in CI a missing tool means the CI setup is broken, and a silently
 * skipped interop test would prove nothing.
 */
public final class ExternalTools {

    /** Debian's interpreter: python3-libtorrent imports only there, not in a python3 earlier on PATH. */
    public static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    private ExternalTools() {}

    /** Output of a finished external process. */
    public record Result(int exitCode, String stdout, String stderr) {}

    public static boolean isCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** /usr/bin/python3 with the libtorrent module importable; skip or fail (in CI) otherwise. */
    public static Path requireLibtorrentPython() {
        if (!Files.isExecutable(SYSTEM_PYTHON)) {
            skipOrFail(SYSTEM_PYTHON + " is missing (install python3 and python3-libtorrent)");
        }
        Result probe;
        try {
            probe = run(PROBE_TIMEOUT, SYSTEM_PYTHON.toString(), "-c", "import libtorrent; print(libtorrent.__version__)");
        } catch (IOException | TimeoutException e) {
            skipOrFail("cannot run " + SYSTEM_PYTHON + ": " + e.getMessage());
            return SYSTEM_PYTHON;
        }
        if (probe.exitCode() != 0) {
            skipOrFail("the libtorrent Python module is missing (apt-get install python3-libtorrent): " + probe.stderr().strip());
        }
        return SYSTEM_PYTHON;
    }

    /** An executable found on PATH (then /usr/bin, /usr/sbin); skip or fail (in CI) when absent. */
    public static Path requireExecutable(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        dirs.add("/usr/bin");
        dirs.add("/usr/sbin");
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        skipOrFail(name + " is not installed (not found on PATH)");
        return null; // unreachable: skipOrFail always throws
    }

    /** Skips the current test with {@code why}, or fails it when CI=true. Always throws. */
    public static void skipOrFail(String why) {
        if (isCi()) {
            fail(why + " — CI=true, so a missing tool is an error: install it in .ci/run");
        }
        Assumptions.abort(why + " — skipping (set CI=true to make this a failure)");
    }

    /** Runs each command through {@code sh -c} in turn, failing on the first that fails; returns the last one's output. */
    public static String shell(Duration timeout, String... commands) throws IOException, TimeoutException {
        String out = "";
        for (String c : commands) {
            Result r = run(timeout, "sh", "-c", c);
            if (r.exitCode() != 0) {
                throw new AssertionError(c + " failed (" + r.exitCode() + "): " + r.stderr());
            }
            out = r.stdout();
        }
        return out;
    }

    /**
     * Runs a command to completion, capturing its output; kills it (by its own handle) and throws
     * {@link TimeoutException} if it runs longer than {@code timeout}.
     */
    public static Result run(Duration timeout, String... command) throws IOException, TimeoutException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new TimeoutException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command[0], e);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + command[0], e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
