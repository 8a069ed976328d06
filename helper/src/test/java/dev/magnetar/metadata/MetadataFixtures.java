package dev.magnetar.metadata;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.InfoHash;
import java.security.MessageDigest;
import java.util.Random;

/** Real info dictionaries of chosen sizes for the metadata tests. */
final class MetadataFixtures {

    private MetadataFixtures() {}

    /** A valid single-file info dictionary whose piece hashes make it about {@code approxSize} bytes. */
    static byte[] infoDictionary(int approxSize, long seed) {
        int pieces = Math.max(1, (approxSize - 80) / 20);
        byte[] hashes = new byte[pieces * 20];
        new Random(seed).nextBytes(hashes);
        return BencodeEncoder.encode(BDictionary.builder()
                .put("length", (long) pieces * 16384)
                .put("name", "fixture-" + seed + ".bin")
                .put("piece length", 16384)
                .put("pieces", hashes)
                .build());
    }

    /**
     * A hybrid (BEP 52) info dictionary: v1 fields beside "meta version" 2 and a "file tree" (left empty:
     * only the metadata check reads it, which goes by the fields present).
     */
    static byte[] hybridInfoDictionary(long seed) {
        byte[] hashes = new byte[20];
        new Random(seed).nextBytes(hashes);
        return BencodeEncoder.encode(BDictionary.builder()
                .put("file tree", BDictionary.builder().build())
                .put("length", 16384L)
                .put("meta version", 2L)
                .put("name", "hybrid-" + seed + ".bin")
                .put("piece length", 16384)
                .put("pieces", hashes)
                .build());
    }

    /** The SHA-256 of an info dictionary truncated to 20 bytes: the wire info-hash of a v2-only torrent (BEP 52). */
    static InfoHash truncatedSha256Of(byte[] info) {
        try {
            return InfoHash.of(java.util.Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(info), InfoHash.LENGTH));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The full SHA-256 of an info dictionary: what a BEP 52 btmh magnet names. */
    static byte[] sha256Of(byte[] info) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(info);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static InfoHash infoHashOf(byte[] info) {
        try {
            return InfoHash.of(MessageDigest.getInstance("SHA-1").digest(info));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
