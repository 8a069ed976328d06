package dev.magnetar.dht;

import dev.magnetar.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Drives interop/lt_dht.py: libtorrent DHT sessions on 127.0.0.1 or ::1, one line command at a time. */
final class LibtorrentDhtProcess implements AutoCloseable {

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<Integer> ports;

    LibtorrentDhtProcess(int sessions, List<Integer> bootstrapPorts) throws IOException, InterruptedException {
        this(sessions, bootstrapPorts, "127.0.0.1");
    }

    /** @param host "127.0.0.1", or "::1" for sessions in the IPv6 DHT (BEP 32) */
    LibtorrentDhtProcess(int sessions, List<Integer> bootstrapPorts, String host) throws IOException, InterruptedException {
        Path python = ExternalTools.requireLibtorrentPython();
        Path script;
        try {
            script = Path.of(LibtorrentDhtProcess.class.getResource("/interop/lt_dht.py").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        String zeros = String.join(",", java.util.Collections.nCopies(sessions, "0"));
        String bootstrap = bootstrapPorts.isEmpty() ? "-"
                : bootstrapPorts.stream().map(p -> (host.contains(":") ? "[" + host + "]:" : host + ":") + p)
                        .collect(Collectors.joining(","));
        process = new ProcessBuilder(python.toString(), script.toString(), zeros, bootstrap, "180", host)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("EOF " + e);
            }
        }, "lt_dht-reader");
        reader.setDaemon(true);
        reader.start();
        String ready = awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(60));
        ports = Arrays.stream(ready.substring(6).split(",")).map(Integer::valueOf).toList();
    }

    List<Integer> ports() {
        return ports;
    }

    void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    /** The next output line matching {@code wanted}; other lines are skipped. Fails after {@code limit}. */
    String awaitLine(Predicate<String> wanted, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("libtorrent helper printed no matching line within " + limit);
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Like {@link #awaitLine} but returns null instead of failing, for retry loops. */
    String pollLine(Predicate<String> wanted, Duration limit) throws InterruptedException {
        try {
            return awaitLine(wanted, limit);
        } catch (AssertionError e) {
            return null;
        }
    }

    /** Lines printed so far and not yet consumed (for diagnostics). */
    List<String> drain() {
        List<String> out = new ArrayList<>();
        lines.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        try {
            send("quit");
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
