package dev.magnetar.metainfo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A parsed magnet URI (BEP 9; BEP 53 for select-only). Carries only the info-hashes and hints; the
 * info dictionary itself is fetched from peers.
 *
 * @param infoHash the swarm to join: {@code xt=urn:btih:} (40 hex or 32 base32 characters), or for a
 *     v2-only link the {@code urn:btmh:} SHA-256 truncated to 20 bytes, which BEP 52 uses on the wire,
 *     with trackers and in the DHT
 * @param v2InfoHash the full SHA-256 of the info dictionary from {@code xt=urn:btmh:1220…} (BEP 52), or
 *     null; copied in and out
 * @param displayName {@code dn}, sanitised for display, or null
 * @param trackers {@code tr} URLs, in order
 * @param peers {@code x.pe} peer addresses as given ("host:port", "[v6]:port")
 * @param exactLength {@code xl}, or null
 * @param webSeeds {@code ws} URLs (BEP 19 web seeds, as the magnet scheme names them), in order; used once the
 *     metadata is known, since a web seed serves files, not the info dictionary
 */
public record MagnetLink(InfoHash infoHash, byte[] v2InfoHash, String displayName, List<String> trackers, List<String> peers,
        Long exactLength, List<String> webSeeds) {

    /** BEP 52: a v2 info-hash is a SHA-256. */
    public static final int V2_LENGTH = 32;

    public MagnetLink {
        Objects.requireNonNull(infoHash, "infoHash");
        if (v2InfoHash != null) {
            if (v2InfoHash.length != V2_LENGTH) {
                throw new IllegalArgumentException("a v2 info-hash is 32 bytes, got " + v2InfoHash.length);
            }
            v2InfoHash = v2InfoHash.clone();
        }
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        webSeeds = List.copyOf(webSeeds);
    }

    /** A link without web seeds. */
    public MagnetLink(InfoHash infoHash, byte[] v2InfoHash, String displayName, List<String> trackers, List<String> peers,
            Long exactLength) {
        this(infoHash, v2InfoHash, displayName, trackers, peers, exactLength, List.of());
    }

    /** A v1 link (btih only). */
    public MagnetLink(InfoHash infoHash, String displayName, List<String> trackers, List<String> peers, Long exactLength) {
        this(infoHash, null, displayName, trackers, peers, exactLength);
    }

    @Override
    public byte[] v2InfoHash() {
        return v2InfoHash == null ? null : v2InfoHash.clone();
    }

    /** BEP 52: the 20 bytes a v2 swarm is known by, or null for a v1 link. */
    public InfoHash truncatedV2InfoHash() {
        return v2InfoHash == null ? null : InfoHash.of(Arrays.copyOf(v2InfoHash, InfoHash.LENGTH));
    }

    /** Whether the link names a v1 (SHA-1) info-hash: false for a btmh-only link. */
    public boolean hasV1InfoHash() {
        return !infoHash.equals(truncatedV2InfoHash());
    }

    /** Whether {@code infoBytes} is the metadata this link names, by every hash it names (see {@link InfoDictionaryHash}). */
    public boolean matches(byte[] infoBytes) {
        return InfoDictionaryHash.matches(infoHash, v2InfoHash, infoBytes);
    }

    /** The magnet URI for this link; {@code MagnetParser.parse(toUri())} gives an equal link back. */
    public String toUri() {
        StringBuilder uri = new StringBuilder("magnet:?");
        if (hasV1InfoHash()) {
            uri.append("xt=urn:btih:").append(infoHash.hex());
        }
        if (v2InfoHash != null) {
            // BEP 52 / multihash: 0x12 (SHA-256), 0x20 (32 bytes), then the digest.
            uri.append(hasV1InfoHash() ? "&" : "").append("xt=urn:btmh:1220").append(HexFormat.of().formatHex(v2InfoHash));
        }
        if (displayName != null) {
            uri.append("&dn=").append(encode(displayName));
        }
        if (exactLength != null) {
            uri.append("&xl=").append(exactLength);
        }
        for (String tracker : trackers) {
            uri.append("&tr=").append(encode(tracker));
        }
        for (String peer : peers) {
            uri.append("&x.pe=").append(encode(peer));
        }
        for (String seed : webSeeds) {
            uri.append("&ws=").append(encode(seed));
        }
        return uri.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MagnetLink m && infoHash.equals(m.infoHash) && Arrays.equals(v2InfoHash, m.v2InfoHash)
                && Objects.equals(displayName, m.displayName) && trackers.equals(m.trackers) && peers.equals(m.peers)
                && Objects.equals(exactLength, m.exactLength) && webSeeds.equals(m.webSeeds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(infoHash, Arrays.hashCode(v2InfoHash), displayName, trackers, peers, exactLength, webSeeds);
    }

    @Override
    public String toString() {
        return toUri();
    }

    private static String encode(String value) {
        // URLEncoder does form encoding; a URI wants %20 for a space.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
