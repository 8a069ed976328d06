package dev.magnetar.daemon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and writes {@code <data>/daemon.json}. */
public final class DaemonStateFile {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Data binding only for the readers (the native host): the daemon writes before its API answers ({@link #encode}). */
    private static final class Binding {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private DaemonStateFile() {}

    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve("daemon.json");
    }

    /** Not fsynced: it names this process, which a crash ends anyway ({@link AtomicFiles#writeForThisRun}). */
    public static void write(Path file, DaemonState state) throws IOException {
        AtomicFiles.writeForThisRun(file, encode(state), false);
    }

    /**
     * With Jackson's streaming generator, byte for byte what {@code ObjectMapper}'s pretty printer wrote
     * ({@code DaemonStateFileTest}): the daemon writes this file before its API answers, and data binding's first use in
     * a process loads and initialises hundreds of classes (bench/README.md, start-up, session 20).
     */
    static byte[] encode(DaemonState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("pid", state.pid());
            g.writeNumberField("port", state.port());
            g.writeStringField("version", state.version());
            g.writeStringField("startedAt", state.startedAt());
            g.writeStringField("tokenFile", state.tokenFile());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** The state, or empty when there is no file or it cannot be read (a daemon that died mid-start). */
    public static Optional<DaemonState> read(Path file) {
        try {
            return Optional.of(Binding.JSON.readValue(Files.readAllBytes(file), DaemonState.class));
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
