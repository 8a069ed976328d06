package dev.magnetar.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Magnetar's version, from the one place it is written: the Maven project version, which the build
 * filters into {@code dev/magnetar/version.properties} (the extension's build reads the same pom.xml).
 * Everything that shows a version derives it from here: the CLI, the API, the BEP 10 {@code v}, the
 * BEP 20 peer id, the packages.
 *
 * @param full as in the pom, e.g. {@code 0.1.0-SNAPSHOT}
 */
public record ProductVersion(String full) {

    /**
     * Our two-letter client code in the BEP 20 peer id and the DHT's {@code v}. "MZ" is in neither
     * libtorrent's nor Transmission's table of clients; "MG", used before, is MediaGet's, and every such
     * client called us "MediaGet".
     */
    public static final String CLIENT_CODE = "MZ";

    private static final String RESOURCE = "/dev/magnetar/version.properties";
    /** Major.minor.patch, then anything (a Maven qualifier such as -SNAPSHOT or -rc1). */
    private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)([-.+~].*)?");

    private static final ProductVersion CURRENT = load();

    public ProductVersion {
        if (!FORM.matcher(full).matches()) {
            throw new IllegalArgumentException("version \"" + full + "\" is not MAJOR.MINOR.PATCH[-QUALIFIER]");
        }
    }

    public static ProductVersion current() {
        return CURRENT;
    }

    /** Just the numbers, {@code 0.1.0}: what a browser extension's manifest accepts. */
    public String numeric() {
        Matcher m = matcher();
        return m.group(1) + "." + m.group(2) + "." + m.group(3);
    }

    /**
     * The version as a Debian package version: a qualifier sorts before the release it leads to
     * ({@code 0.1.0~SNAPSHOT} &lt; {@code 0.1.0}), which is what the tilde means to dpkg.
     */
    public String debian() {
        Matcher m = matcher();
        String qualifier = m.group(4);
        return numeric() + (qualifier == null ? "" : "~" + qualifier.substring(1).replaceAll("[^A-Za-z0-9.+~]", "."));
    }

    /**
     * The four version characters of an Azureus-style BEP 20 peer id ({@code -MZ0100-}): major,
     * minor, patch and 0, each one character — 0–9, then A–Z for 10–35 as other clients do; a larger
     * number shows as Z.
     */
    public String peerIdDigits() {
        Matcher m = matcher();
        return "" + digit(m.group(1)) + digit(m.group(2)) + digit(m.group(3)) + '0';
    }

    /**
     * The DHT's {@code v} (BEP 5: "a two character client identifier … followed by a two character
     * version identifier"): our client code, then major and minor as one byte each.
     */
    public byte[] dhtVersion() {
        Matcher m = matcher();
        return new byte[] {(byte) CLIENT_CODE.charAt(0), (byte) CLIENT_CODE.charAt(1),
            (byte) Math.min(255, Integer.parseInt(m.group(1))), (byte) Math.min(255, Integer.parseInt(m.group(2)))};
    }

    private static char digit(String number) {
        int n = Integer.parseInt(number);
        return n < 10 ? (char) ('0' + n) : n < 36 ? (char) ('A' + n - 10) : 'Z';
    }

    private Matcher matcher() {
        Matcher m = FORM.matcher(full);
        if (!m.matches()) {
            throw new IllegalStateException(full);
        }
        return m;
    }

    private static ProductVersion load() {
        try (InputStream in = ProductVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: build with Maven, which writes it");
            }
            Properties p = new Properties();
            p.load(in);
            return new ProductVersion(p.getProperty("version", "").strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public String toString() {
        return full;
    }
}
