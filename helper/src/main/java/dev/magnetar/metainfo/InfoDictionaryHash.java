package dev.magnetar.metainfo;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeException;
import dev.magnetar.bencode.BencodeLimits;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The info-hash an info dictionary is known by on the wire: the one rule for "these bytes are that
 * torrent's metadata", used for .torrent files ({@link InfoParser}), for metadata pieced together from
 * peers (BEP 9, before a peer is judged) and for metadata handed to a torrent (before anything else
 * trusts it).
 *
 * <p>BEP 3: the SHA-1 of the bencoded dictionary, for v1 torrents and for hybrids, which join the v1
 * swarm under it. BEP 52: a v2-only dictionary (meta version 2, no v1 "length"/"files") is known by its
 * SHA-256, truncated to 20 bytes in handshakes, announces and magnets. Bytes that are not a dictionary
 * at all are judged by the BEP 3 rule, so that garbage hashing to an info-hash is reported as unusable
 * metadata rather than blamed on the peers that sent it.
 */
public final class InfoDictionaryHash {

    private InfoDictionaryHash() {}

    /** Whether {@code infoBytes} is the info dictionary that {@code infoHash} names. */
    public static boolean matches(InfoHash infoHash, byte[] infoBytes) {
        return infoHash.equals(of(!isV2Only(infoBytes), digest("SHA-1", infoBytes), digest("SHA-256", infoBytes)));
    }

    /**
     * Whether {@code infoBytes} is the info dictionary a magnet names: with a v2 hash (BEP 52 btmh) its
     * SHA-256 must equal that hash, and where the link also names a v1 hash of its own (a hybrid's
     * btih) the SHA-1 must equal that too; without one, as {@link #matches(InfoHash, byte[])}.
     */
    public static boolean matches(InfoHash infoHash, byte[] v2InfoHash, byte[] infoBytes) {
        if (v2InfoHash == null) {
            return matches(infoHash, infoBytes);
        }
        if (!MessageDigest.isEqual(v2InfoHash, digest("SHA-256", infoBytes))) {
            return false;
        }
        boolean namesV1 = !infoHash.equals(InfoHash.of(Arrays.copyOf(v2InfoHash, InfoHash.LENGTH)));
        return !namesV1 || infoHash.equals(InfoHash.of(digest("SHA-1", infoBytes)));
    }

    /** The wire info-hash of a dictionary with ({@code hasV1}) or without v1 fields, from its two digests. */
    static InfoHash of(boolean hasV1, byte[] sha1, byte[] sha256) {
        return InfoHash.of(hasV1 ? sha1 : Arrays.copyOf(sha256, InfoHash.LENGTH));
    }

    /** BEP 52: "meta version" 2 and neither of the v1 file fields. */
    static boolean isV2Only(BDictionary info) {
        boolean v2 = info.get("meta version") instanceof BInteger version && version.value() == 2;
        return v2 && !info.containsKey("files") && !info.containsKey("length");
    }

    private static boolean isV2Only(byte[] infoBytes) {
        try {
            BValue root = BencodeDecoder.decode(infoBytes, BencodeLimits.DEFAULT);
            return root instanceof BDictionary info && isV2Only(info);
        } catch (BencodeException e) {
            return false;
        }
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}
