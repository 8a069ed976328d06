package dev.magnetar.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class InfoDictionaryHashTest {

    private static final byte[] V1 = BencodeEncoder.encode(BDictionary.builder()
            .put("length", 16384L).put("name", "a.bin").put("piece length", 16384).put("pieces", new byte[20]).build());
    private static final byte[] HYBRID = BencodeEncoder.encode(BDictionary.builder()
            .put("file tree", BDictionary.builder().build()).put("length", 16384L).put("meta version", 2L)
            .put("name", "a.bin").put("piece length", 16384).put("pieces", new byte[20]).build());
    private static final byte[] V2_ONLY = BencodeEncoder.encode(BDictionary.builder()
            .put("file tree", BDictionary.builder().build()).put("meta version", 2L)
            .put("name", "a.bin").put("piece length", 16384).build());

    @Test
    void aV1DictionaryIsKnownByItsSha1Only() {
        assertTrue(InfoDictionaryHash.matches(sha1(V1), V1));
        assertFalse(InfoDictionaryHash.matches(truncatedSha256(V1), V1));
    }

    @Test
    void aHybridIsKnownByItsSha1NotItsTruncatedSha256() {
        assertTrue(InfoDictionaryHash.matches(sha1(HYBRID), HYBRID));
        assertFalse(InfoDictionaryHash.matches(truncatedSha256(HYBRID), HYBRID));
    }

    @Test
    void aV2OnlyDictionaryIsKnownByItsTruncatedSha256Only() {
        assertTrue(InfoDictionaryHash.matches(truncatedSha256(V2_ONLY), V2_ONLY));
        assertFalse(InfoDictionaryHash.matches(sha1(V2_ONLY), V2_ONLY));
    }

    @Test
    void aBtmhMagnetsFullSha256MustMatchAndSoMustABtihBesideIt() throws Exception {
        byte[] full = MessageDigest.getInstance("SHA-256").digest(HYBRID);
        assertTrue(InfoDictionaryHash.matches(truncatedSha256(HYBRID), full, HYBRID), "btmh alone: the v2 swarm of a hybrid");
        assertTrue(InfoDictionaryHash.matches(sha1(HYBRID), full, HYBRID), "btih and btmh of the same hybrid");
        assertFalse(InfoDictionaryHash.matches(sha1(V1), full, HYBRID), "a btih of other metadata beside the btmh");
        byte[] other = full.clone();
        other[31] ^= 1; // same first 20 bytes, another SHA-256: the full hash decides
        assertFalse(InfoDictionaryHash.matches(truncatedSha256(HYBRID), other, HYBRID));
        byte[] v2Full = MessageDigest.getInstance("SHA-256").digest(V2_ONLY);
        assertTrue(InfoDictionaryHash.matches(truncatedSha256(V2_ONLY), v2Full, V2_ONLY));
    }

    @Test
    void bytesThatAreNotADictionaryGoByTheBep3Rule() {
        byte[] junk = "not bencode at all".getBytes(StandardCharsets.US_ASCII);
        assertTrue(InfoDictionaryHash.matches(sha1(junk), junk));
        assertFalse(InfoDictionaryHash.matches(truncatedSha256(junk), junk));
        assertFalse(InfoDictionaryHash.matches(sha1(V1), Arrays.copyOf(V1, V1.length - 1)));
    }

    /** The same rule names a .torrent file's info-hash: metadata from peers is accepted exactly when its .torrent would be. */
    @Test
    void agreesWithTheInfoHashOfParsedTorrentsOfEachVersion() throws Exception {
        Path corpus = SharedCorpus.find("corpus/libtorrent-test-torrents");
        Assumptions.assumeTrue(corpus != null, "shared corpus absent");
        for (String name : new String[] {"base.torrent", "v2_hybrid.torrent", "v2_only.torrent"}) {
            TorrentInfo info = MetainfoParser.parse(Files.readAllBytes(corpus.resolve(name))).info();
            assertTrue(InfoDictionaryHash.matches(info.infoHash(), info.infoBytes()), name);
        }
        TorrentInfo v2 = MetainfoParser.parse(Files.readAllBytes(corpus.resolve("v2_only.torrent"))).info();
        assertEquals(truncatedSha256(v2.infoBytes()), v2.infoHash());
    }

    private static InfoHash sha1(byte[] bytes) {
        return InfoHash.of(digest("SHA-1", bytes));
    }

    private static InfoHash truncatedSha256(byte[] bytes) {
        return InfoHash.of(Arrays.copyOf(digest("SHA-256", bytes), InfoHash.LENGTH));
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
