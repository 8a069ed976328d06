package dev.magnetar.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An external process whose output lines a test waits on (a libtorrent script, a child JVM). Output
 * is read by daemon threads into a queue; stderr is kept for failure messages. {@link #close} kills
 * the process by its own handle.
 */
public final class ChildProcess implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final StringBuffer stdout = new StringBuffer();

    private ChildProcess(Process process) {
        this.process = process;
        Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), stdout, true));
        Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), stderr, false));
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    public static ChildProcess start(List<String> command, Path workDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        return new ChildProcess(pb.start());
    }

    /** Treats stderr lines like stdout lines (for programs that report progress on stderr). */
    static ChildProcess startMerged(List<String> command) throws IOException {
        return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Like {@link #startMerged(List)}, with extra environment variables (e.g. a throwaway HOME). */
    static ChildProcess startMerged(List<String> command, java.util.Map<String, String> environment) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        return new ChildProcess(pb.start());
    }

    private void pump(BufferedReader in, StringBuffer copy, boolean queue) {
        try (in) {
            // Progress bars redraw with \r: split on it too, so each redraw is a line.
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n' || c == '\r') {
                    if (line.length() > 0) {
                        copy.append(line).append('\n');
                        if (queue) {
                            lines.add(line.toString());
                        }
                    }
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
        } catch (IOException ignored) {
            // the process went away
        } finally {
            if (queue) {
                lines.add(EOF);
            }
        }
    }

    /** Waits for the first line matching {@code wanted}; fails on end of output or after the guard. */
    public String awaitLine(Predicate<String> wanted, Duration guard, String what) throws InterruptedException {
        String line = awaitLineOrEnd(wanted, guard, what);
        if (line == null) {
            throw new AssertionError(what + " not seen before the process ended; " + output());
        }
        return line;
    }

    /** Like {@link #awaitLine}, but the end of output before a matching line gives null instead of failing. */
    String awaitLineOrEnd(Predicate<String> wanted, Duration guard, String what) throws InterruptedException {
        long deadline = System.nanoTime() + guard.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError(what + " not seen within " + guard + "; " + output());
            }
            if (line.equals(EOF)) {
                return null;
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** The tail of what the process printed, for failure messages. */
    String output() {
        return "stdout:\n" + tail(stdout) + "\nstderr:\n" + tail(stderr);
    }

    private static String tail(StringBuffer b) {
        String s = b.toString();
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    public int waitFor(Duration guard) throws InterruptedException {
        if (!process.waitFor(guard.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process did not exit within " + guard + "; stderr:\n" + tail(stderr));
        }
        return process.exitValue();
    }

    String stderr() {
        return stderr.toString();
    }

    String stdout() {
        return stdout.toString();
    }

    Process process() {
        return process;
    }

    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
