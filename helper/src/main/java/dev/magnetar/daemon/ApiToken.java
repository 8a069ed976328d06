package dev.magnetar.daemon;

import dev.magnetar.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The API's bearer token: 32 random bytes, base64url without padding (43 characters, all valid in a
 * WebSocket subprotocol name). A fresh one per daemon start, written 0600 to {@code <data>/api-token}
 * for the native host (same user) to hand to the extension; a token that leaked dies with the daemon.
 */
public final class ApiToken {

    public static final int BYTES = 32;

    private ApiToken() {}

    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve("api-token");
    }

    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Owner-only from birth; not fsynced: a token is this run's alone ({@link AtomicFiles#writeForThisRun}). */
    public static void write(Path file, String token) throws IOException {
        AtomicFiles.writeForThisRun(file, token.getBytes(StandardCharsets.US_ASCII), true);
    }

    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
}
