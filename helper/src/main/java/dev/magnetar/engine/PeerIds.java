package dev.magnetar.engine;

import dev.magnetar.util.ProductVersion;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Our BEP 20 peer id: Azureus style, {@code -MZ0100-} (client {@link ProductVersion#CLIENT_CODE}, version
 * 0.1.0.0, from {@link ProductVersion#peerIdDigits()}) followed by
 * 12 random bytes drawn from printable characters, so other clients' logs and UIs show it cleanly.
 */
public final class PeerIds {

    public static final String PREFIX = "-" + ProductVersion.CLIENT_CODE + ProductVersion.current().peerIdDigits() + "-";
    private static final byte[] ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private PeerIds() {}

    public static byte[] generate() {
        byte[] id = new byte[20];
        byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, id, 0, prefix.length);
        for (int i = prefix.length; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return id;
    }
}
