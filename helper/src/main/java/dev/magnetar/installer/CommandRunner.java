package dev.magnetar.installer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external command ({@code reg.exe} on Windows, the class archive's training run) and reports its exit code and output. */
@FunctionalInterface
public interface CommandRunner {

    record Result(int exitCode, String output) {}

    /** The longest a command may take; a stuck one must not hang the install. */
    long TIMEOUT_SECONDS = 60;

    Result run(List<String> argv) throws IOException;

    /** The real one: no shell, no input, stderr merged into the output, bounded by {@link #TIMEOUT_SECONDS}. */
    static CommandRunner processes() {
        return processes(Map.of());
    }

    /**
     * {@link #processes()} with these variables added to the command's environment. The output goes
     * through a file, so a command that prints more than a pipe holds cannot block on its output
     * while we wait for it to exit.
     */
    static CommandRunner processes(Map<String, String> environment) {
        return argv -> {
            Path output = Files.createTempFile("magnetar-command-", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
                pb.environment().putAll(environment);
                Process p = pb.start();
                p.getOutputStream().close();
                try {
                    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new IOException(String.join(" ", argv) + " did not finish within " + TIMEOUT_SECONDS + " s");
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while running " + argv.get(0), e);
                }
                return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8).trim());
            } finally {
                Files.deleteIfExists(output);
            }
        };
    }
}
