package dev.magnetar.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the running boot of the operating system, so that resume data can tell a process kill from a
 * power cut. Data handed to the OS with {@code pwrite} sits in the page cache, which outlives the process
 * (kill -9, a crash) but not the machine: while the boot is the same, written pieces are still there
 * whether or not they were fsynced. Linux names each boot with a random UUID (proc(5),
 * {@code /proc/sys/kernel/random/boot_id}); elsewhere there is no name, and every resume save syncs.
 */
public final class BootSession {

    private static final Logger log = LoggerFactory.getLogger(BootSession.class);
    private static final Path LINUX_BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final Optional<String> CURRENT = read();

    private BootSession() {}

    /** This boot's id, or empty where the OS names none. */
    public static Optional<String> current() {
        return CURRENT;
    }

    private static Optional<String> read() {
        if (!Files.isReadable(LINUX_BOOT_ID)) {
            return Optional.empty();
        }
        try {
            String id = Files.readString(LINUX_BOOT_ID, StandardCharsets.US_ASCII).trim();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException e) {
            log.debug("No boot id ({}); every resume save will sync the data", e.toString());
            return Optional.empty();
        }
    }
}
