package dev.magnetar.metainfo;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.util.encoders.Base32;

/**
 * Parses magnet URIs (BEP 9): {@code xt=urn:btih:} with a 40-digit hex or 32-character base32
 * (RFC 4648) info-hash, {@code dn}, any number of {@code tr}, {@code x.pe} peers and {@code xl}.
 * BEP 52's {@code xt=urn:btmh:1220<64 hex>} names a v2 torrent by the SHA-256 of its info dictionary
 * (a multihash: 0x12 SHA-256, 0x20 bytes long); alone it is a v2-only link, whose swarm is the SHA-256
 * truncated to 20 bytes; beside a btih it is a hybrid's link, joined through its v1 hash and checked
 * by both. BEP 53 {@code so} is ignored for now. Unknown parameters are ignored, as every client does.
 */
public final class MagnetParser {

    private static final Pattern HEX_40 = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern BASE32_32 = Pattern.compile("[A-Za-z2-7]{32}");
    /** BEP 52: multihash prefix 0x12 (SHA-256), 0x20 (32 bytes), then 64 hex digits. */
    private static final Pattern BTMH_SHA256 = Pattern.compile("1220[0-9a-fA-F]{64}");
    /** Display names longer than this are cut: they are for showing, the files come from the metadata. */
    private static final int MAX_DISPLAY_NAME_CODE_POINTS = 255;

    private MagnetParser() {}

    public static MagnetLink parse(String uri) throws InvalidMagnetException {
        if (uri == null) {
            throw new InvalidMagnetException("not a magnet link: nothing was given");
        }
        String trimmed = uri.strip();
        if (!trimmed.regionMatches(true, 0, "magnet:", 0, 7)) {
            throw new InvalidMagnetException("not a magnet link: it must start with \"magnet:?\"");
        }
        String rest = trimmed.substring(7);
        if (rest.startsWith("?")) {
            rest = rest.substring(1);
        }
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }

        InfoHash infoHash = null;
        byte[] v2InfoHash = null;
        String displayName = null;
        Set<String> trackers = new LinkedHashSet<>();
        Set<String> peers = new LinkedHashSet<>();
        Set<String> webSeeds = new LinkedHashSet<>();
        Long exactLength = null;
        for (String parameter : rest.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int eq = parameter.indexOf('=');
            String key = eq < 0 ? parameter : parameter.substring(0, eq);
            String value = eq < 0 ? "" : percentDecode(parameter.substring(eq + 1), key);
            // BEP 9 and common practice number repeated keys: "tr.1", "xt.2".
            String base = key.toLowerCase(Locale.ROOT).replaceFirst("\\.\\d+$", "");
            switch (base) {
                case "xt" -> {
                    String lower = value.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("urn:btih:")) {
                        InfoHash h = btih(value.substring(9));
                        if (infoHash != null && !infoHash.equals(h)) {
                            throw new InvalidMagnetException("the magnet link names two different BitTorrent info-hashes ("
                                    + infoHash.hex() + " and " + h.hex() + ")");
                        }
                        infoHash = h;
                    } else if (lower.startsWith("urn:btmh:")) {
                        byte[] h = btmh(value.substring(9));
                        if (v2InfoHash != null && !java.util.Arrays.equals(v2InfoHash, h)) {
                            throw new InvalidMagnetException("the magnet link names two different BitTorrent v2 info-hashes");
                        }
                        v2InfoHash = h;
                    }
                }
                case "dn" -> displayName = value.isBlank() ? null : displayable(value);
                case "tr" -> {
                    if (!value.isBlank()) {
                        trackers.add(value.strip());
                    }
                }
                case "x.pe" -> peers.add(peer(value));
                case "ws" -> {
                    if (!value.isBlank()) {
                        webSeeds.add(value.strip()); // checked where used: a bad one shows as a dropped web seed
                    }
                }
                case "xl" -> exactLength = length(value);
                default -> { } // "so" (BEP 53), "as", vendor extensions: not used
            }
        }
        if (infoHash == null && v2InfoHash == null) {
            throw new InvalidMagnetException("the magnet link has no BitTorrent info-hash (xt=urn:btih:... or xt=urn:btmh:...)");
        }
        if (infoHash == null) {
            infoHash = InfoHash.of(java.util.Arrays.copyOf(v2InfoHash, InfoHash.LENGTH)); // BEP 52: the v2 swarm's 20 bytes
        }
        return new MagnetLink(infoHash, v2InfoHash, displayName, List.copyOf(trackers), List.copyOf(peers), exactLength,
                List.copyOf(webSeeds));
    }

    private static InfoHash btih(String encoded) throws InvalidMagnetException {
        if (HEX_40.matcher(encoded).matches()) {
            return InfoHash.fromHex(encoded);
        }
        if (BASE32_32.matcher(encoded).matches()) {
            return InfoHash.of(Base32.decode(encoded.toUpperCase(Locale.ROOT)));
        }
        throw new InvalidMagnetException("the info-hash \"" + displayable(encoded) + "\" in xt=urn:btih: must be 40 hex digits or"
                + " 32 base32 characters (A-Z, 2-7); it has " + encoded.length() + " characters");
    }

    private static byte[] btmh(String encoded) throws InvalidMagnetException {
        if (!BTMH_SHA256.matcher(encoded).matches()) {
            throw new InvalidMagnetException("the v2 info-hash \"" + displayable(encoded) + "\" in xt=urn:btmh: must be"
                    + " \"1220\" (a SHA-256 multihash) followed by 64 hex digits; it has " + encoded.length() + " characters");
        }
        return HexFormat.of().parseHex(encoded.substring(4));
    }

    /** x.pe: "host:port", "[v6]:port"; the port 1-65535. */
    private static String peer(String value) throws InvalidMagnetException {
        String v = value.strip();
        String host;
        String port;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0 || close + 1 >= v.length() || v.charAt(close + 1) != ':') {
                throw new InvalidMagnetException("x.pe peer \"" + displayable(v) + "\" must be [IPv6]:port");
            }
            host = v.substring(1, close);
            port = v.substring(close + 2);
            if (host.isEmpty() || !host.matches("[0-9A-Fa-f:.]+(%[0-9A-Za-z]+)?")) {
                throw new InvalidMagnetException("x.pe peer \"" + displayable(v) + "\" has an invalid IPv6 address");
            }
        } else {
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || v.indexOf(':') != colon) {
                throw new InvalidMagnetException("x.pe peer \"" + displayable(v) + "\" must be host:port (or [IPv6]:port)");
            }
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
            if (!host.matches("[0-9A-Za-z.-]+")) {
                throw new InvalidMagnetException("x.pe peer \"" + displayable(v) + "\" has an invalid host name");
            }
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new InvalidMagnetException("x.pe peer \"" + displayable(v) + "\" needs a port from 1 to 65535");
        }
        return v;
    }

    private static Long length(String value) throws InvalidMagnetException {
        if (!value.matches("\\d{1,18}")) {
            throw new InvalidMagnetException("xl (exact length) must be a whole number of bytes, got \"" + displayable(value) + "\"");
        }
        return Long.parseLong(value);
    }

    /** RFC 3986 percent-decoding to UTF-8; '+' means a space, as in the forms most magnet links come from. */
    private static String percentDecode(String s, String key) throws InvalidMagnetException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? hexDigit(s.charAt(i + 1)) : -1;
                int lo = i + 2 < s.length() ? hexDigit(s.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw new InvalidMagnetException("bad percent-encoding in the magnet link's \"" + displayable(key)
                            + "\" value at character " + i + ": '%' must be followed by two hex digits");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                int cp = s.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMagnetException("the magnet link's \"" + displayable(key) + "\" value is not valid UTF-8 once"
                    + " percent-decoded");
        }
    }

    /** ASCII hex only: Character.digit would also accept e.g. Arabic-Indic digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Untrusted text made safe to show, for names and error messages. */
    static String displayable(String s) {
        return DisplayText.of(s, MAX_DISPLAY_NAME_CODE_POINTS).strip();
    }
}
