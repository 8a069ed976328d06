package dev.magnetar.devnet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <devnet data>/serving.json}: where the process that holds a devnet's data directory serves it
 * over gRPC. The configured port is only a preference (another program, or another user's helper, may
 * hold it), so a client that finds the data directory locked reads the real endpoint here rather than
 * assuming the port.
 *
 * <p>Written after the server is bound, removed when it stops. A holder killed with {@code kill -9}
 * leaves the file behind; its process id tells a reader that nobody serves there any more.
 */
public final class DevnetEndpointFile {

    private static final Logger LOG = LoggerFactory.getLogger(DevnetEndpointFile.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String FILE_NAME = "serving.json";
    private static final Duration POLL = Duration.ofMillis(50);

    /** What the file says: a {@code host:port} Trident takes, and the serving process. */
    public record Serving(String endpoint, long pid) {}

    private DevnetEndpointFile() {}

    public static Path of(Path devnetDataDir) {
        return devnetDataDir.resolve(FILE_NAME);
    }

    static void write(Path devnetDataDir, Serving serving) throws IOException {
        AtomicFiles.write(of(devnetDataDir), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(serving));
    }

    static void delete(Path devnetDataDir) {
        try {
            Files.deleteIfExists(of(devnetDataDir));
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", of(devnetDataDir), e.getMessage());
        }
    }

    /** The endpoint of a live process serving this devnet, if the file names one. */
    public static Optional<String> read(Path devnetDataDir) {
        Serving s;
        try {
            s = JSON.readValue(Files.readAllBytes(of(devnetDataDir)), Serving.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) { // half-written by a process that died mid-start: nobody to talk to
            return Optional.empty();
        }
        boolean alive = ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive && s.endpoint() != null ? Optional.of(s.endpoint()) : Optional.empty();
    }

    /**
     * For a client that found the data directory locked: the holder writes the file only once its
     * port is bound (opening a long chain log first can take a moment), so wait for it up to
     * {@code patience}.
     *
     * @throws DevnetInUseException naming the directory when no endpoint appears in time
     */
    public static String await(Path devnetDataDir, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<String> endpoint = read(devnetDataDir);
            if (endpoint.isPresent()) {
                return endpoint.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new DevnetInUseException(devnetDataDir, of(devnetDataDir));
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
