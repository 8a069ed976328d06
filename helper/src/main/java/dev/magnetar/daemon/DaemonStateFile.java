package dev.magnetar.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and writes {@code <data>/daemon.json}. */
public final class DaemonStateFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DaemonStateFile() {}

    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve("daemon.json");
    }

    /** Not fsynced: it names this process, which a crash ends anyway ({@link AtomicFiles#writeForThisRun}). */
    public static void write(Path file, DaemonState state) throws IOException {
        AtomicFiles.writeForThisRun(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state), false);
    }

    /** The state, or empty when there is no file or it cannot be read (a daemon that died mid-start). */
    public static Optional<DaemonState> read(Path file) {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), DaemonState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }
}
