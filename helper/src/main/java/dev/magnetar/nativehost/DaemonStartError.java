package dev.magnetar.nativehost;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Why a daemon the host started stopped: the last {@code error: …} line it printed (the daemon command
 * prints its start failure so, with what to do) in its console file, which the host appends every start to.
 */
final class DaemonStartError {

    /** Enough of the file's end for the last start's output; the rest is older starts. */
    private static final int TAIL_BYTES = 16 * 1024;
    private static final String PREFIX = "error: ";

    private DaemonStartError() {}

    static Optional<String> lastError(Path consoleFile) {
        List<String> lines;
        try (RandomAccessFile f = new RandomAccessFile(consoleFile.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] tail = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(tail);
            lines = new String(tail, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return Optional.empty(); // no console file: the caller falls back to the exit status
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(PREFIX)) {
                return Optional.of(lines.get(i).substring(PREFIX.length()).strip());
            }
        }
        return Optional.empty();
    }
}
