package dev.magnetar.daemon;

import dev.magnetar.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A helper as its own process ({@code magnetar daemon} or {@code magnetar seed}) for the tests that
 * kill it: started on the test's class path, peers on 127.0.0.1 only; its output goes to a log file
 * (kept for whoever reads a failure) and is watched for the lines that say where it listens.
 */
final class HelperProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private HelperProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code dev.magnetar.cli.<mainClass> args} and returns once a line of its output matches
     * {@code ready} (group 1: a port), with that port.
     */
    static Started start(String mainClass, Path log, Pattern ready, String... args) throws IOException, InterruptedException {
        return start(List.of("-Xmx256m"), mainClass, log, ready, args);
    }

    /** {@link #start(String, Path, Pattern, String...)} with these JVM options instead of the default small heap. */
    static Started start(List<String> jvmOptions, String mainClass, Path log, Pattern ready, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(jvmOptions, "dev.magnetar.cli." + mainClass, args))
                .redirectErrorStream(true);
        pb.environment().put(EngineLauncher.BIND_ENV, "127.0.0.1");
        Process p = pb.start();
        HelperProcess helper = new HelperProcess(p, log);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> helper.copyOutput(ready, port), "child-output-" + mainClass);
        reader.setDaemon(true);
        reader.start();
        try {
            return new Started(helper, port.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
        } catch (Exception e) {
            helper.kill();
            throw new IOException("the " + mainClass + " process did not say it was ready; its output is in " + log, e);
        }
    }

    record Started(HelperProcess helper, int port) {}

    private void copyOutput(Pattern ready, CompletableFuture<Integer> port) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                out.flush();
                Matcher m = ready.matcher(line);
                if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
            port.completeExceptionally(new IOException("the process ended, exit " + process.waitFor()));
        } catch (IOException | InterruptedException e) {
            port.completeExceptionally(e);
        }
    }

    /** kill -9: no shutdown hook runs, nothing is flushed or saved on the way out. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
