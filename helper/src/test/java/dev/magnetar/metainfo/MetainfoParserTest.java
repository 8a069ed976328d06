package dev.magnetar.metainfo;

import static dev.magnetar.metainfo.TorrentBytes.file;
import static dev.magnetar.metainfo.TorrentBytes.multiFileInfo;
import static dev.magnetar.metainfo.TorrentBytes.singleFileInfo;
import static dev.magnetar.metainfo.TorrentBytes.strings;
import static dev.magnetar.metainfo.TorrentBytes.torrent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BencodeEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MetainfoParserTest {

    @Test
    void singleFileTorrent() throws Exception {
        byte[] bytes = BencodeEncoder.encode(BDictionary.builder()
                .put("info", singleFileInfo("movie.mkv", 40000).put("private", 1).build())
                .put("announce", "http://tracker.example/announce")
                .put("comment", "hello")
                .put("created by", "someone")
                .put("creation date", 1700000000)
                .put("url-list", "http://seed.example/movie.mkv")
                .build());

        Metainfo m = MetainfoParser.parse(bytes);

        assertEquals("movie.mkv", m.info().name());
        assertEquals(List.of(new TorrentFile(List.of("movie.mkv"), 40000, 0, false)), m.info().files());
        assertEquals(3, m.info().pieceCount());
        assertTrue(m.info().isPrivate());
        assertEquals(MetaVersion.V1, m.info().metaVersion());
        assertNull(m.info().v2InfoHash());
        assertEquals(List.of(List.of("http://tracker.example/announce")), m.announceTiers());
        assertEquals(List.of("http://seed.example/movie.mkv"), m.webSeeds());
        assertEquals("hello", m.comment());
        assertEquals("someone", m.createdBy());
        assertEquals(1700000000L, m.creationDate());
    }

    @Test
    void infoHashIsOverTheOriginalBytesEvenWhenNotCanonical() throws Exception {
        // Keys out of order: a re-encoding would sort them and give a different hash.
        String info = "d4:name1:a6:lengthi5e12:piece lengthi16384e6:pieces20:" + "x".repeat(20) + "e";
        byte[] bytes = ("d4:info" + info + "8:announce3:urle").getBytes(StandardCharsets.ISO_8859_1);

        Metainfo m = MetainfoParser.parse(bytes);

        byte[] expected = MessageDigest.getInstance("SHA-1").digest(info.getBytes(StandardCharsets.ISO_8859_1));
        assertArrayEquals(expected, m.info().infoHash().bytes());
        assertArrayEquals(info.getBytes(StandardCharsets.ISO_8859_1), m.info().infoBytes());
        assertEquals(m.info().infoHash(), MetainfoParser.parseInfo(m.info().infoBytes()).infoHash());
    }

    @Test
    void multiFileTorrentWithPadFilesAndUtf8Names() throws Exception {
        BDictionary utf8Named = BDictionary.builder().put("length", 10).put("path", strings("bad\u0000name"))
                .put("path.utf-8", strings("good", "naïve.txt")).build();
        BDictionary pad = BDictionary.builder().put("length", 16374).put("path", strings(".pad", "16374")).put("attr", "p").build();
        BDictionary padByName = file(100, ".pad", "100");
        BDictionary info = multiFileInfo("ignored", utf8Named, pad, file(5, "b.txt"), padByName)
                .put("name.utf-8", "Album").build();

        TorrentInfo t = MetainfoParser.parse(torrent(info)).info();

        assertEquals("Album", t.name());
        assertEquals(List.of("Album", "good", "naïve.txt"), t.files().get(0).path());
        assertTrue(t.files().get(1).padding());
        assertEquals(10, t.files().get(1).offset());
        assertEquals(List.of("Album", "b.txt"), t.files().get(2).path());
        assertEquals(16384, t.files().get(2).offset());
        assertTrue(t.files().get(3).padding(), "libtorrent's .pad/ convention");
        assertEquals(2, t.dataFiles().size());
    }

    @Test
    void announceListTiersDropBlankUrlsAndTrim() throws Exception {
        BList tiers = new BList(List.of(strings(" http://a/announce ", "  ", "http://b/announce"), strings(""),
                strings("udp://c:80")));
        byte[] bytes = BencodeEncoder.encode(BDictionary.builder().put("info", singleFileInfo("f", 1).build())
                .put("announce", "http://ignored/announce").put("announce-list", tiers)
                .put("url-list", strings("http://w1/", " ", "http://w2/")).build());

        Metainfo m = MetainfoParser.parse(bytes);

        assertEquals(List.of(List.of("http://a/announce", "http://b/announce"), List.of("udp://c:80")), m.announceTiers());
        assertEquals(List.of("http://w1/", "http://w2/"), m.webSeeds());
    }

    @Test
    void hostilePathsStayInsideAndDuplicatesAreRenamed() throws Exception {
        BDictionary info = multiFileInfo("../../etc",
                file(1, "..", "..", "passwd"), file(1, "/abs", "x"), file(1, "C:\\Windows", "system32"),
                file(1, "foo", "bar.txt"), file(1, "foo", "bar.txt"), file(1, "FOO", "Bar.txt"), file(1, "con.txt")).build();

        TorrentInfo t = MetainfoParser.parse(torrent(info)).info();

        assertEquals("etc", t.name());
        List<String> paths = t.files().stream().map(TorrentFile::displayPath).toList();
        assertEquals(List.of("etc/passwd", "etc/abs/x", "etc/Windows/system32", "etc/foo/bar.txt", "etc/foo/bar.1.txt",
                "etc/FOO/Bar.2.txt", "etc/con_.txt"), paths);
    }

    @Test
    void multiFileTorrentWithoutAUsableNameIsNamedAfterItsInfoHash() throws Exception {
        TorrentInfo t = MetainfoParser.parse(torrent(multiFileInfo("..", file(3, "a")).build())).info();
        assertEquals(t.infoHash().hex(), t.name());
    }

    @Test
    void clearErrorsForBrokenTorrents() {
        assertError("the file is not a torrent: bencode error at byte 0", "hello".getBytes(StandardCharsets.UTF_8));
        assertError("the file is not a torrent: it is empty", new byte[0]);
        assertError("info.piece length is missing", torrent(BDictionary.builder().put("name", "a").put("length", 1)
                .put("pieces", new byte[20]).build()));
        assertError("info.piece length must be between 1", torrent(singleFileInfo("a", 1).put("piece length", 0).build()));
        assertError("info.name is missing", torrent(BDictionary.builder().put("length", 1).put("piece length", 16384)
                .put("pieces", new byte[20]).build()));
        assertError("info.name must be a string", torrent(singleFileInfo("a", 1).put("name", 5).build()));
        assertError("info.pieces has 2 hashes, but 1 bytes in pieces of 16384 need 1",
                torrent(singleFileInfo("a", 1).put("pieces", new byte[40]).build()));
        assertError("info.files[0].length must be between 0", torrent(multiFileInfo("d", file(-1, "a")).build()));
        assertError("info.files[0].path[0] must be a string", torrent(multiFileInfo("d", BDictionary.builder().put("length", 1)
                .put("path", new BList(List.of(new dev.magnetar.bencode.BInteger(3)))).build()).build()));
        assertError("info.files is empty", torrent(multiFileInfo("d").build()));
        assertError("the torrent has no data", torrent(singleFileInfo("a", 0).build()));
        assertError("the torrent has no info dictionary", BencodeEncoder.encode(BDictionary.builder().put("x", 1).build()));
        assertError("info.name is empty or unusable", torrent(singleFileInfo("/", 1).build()));
        assertError("info.meta version is 3", torrent(singleFileInfo("a", 1).put("meta version", 3).build()));
    }

    @Test
    void parseInfoRejectsTrailingBytes() {
        byte[] info = BencodeEncoder.encode(singleFileInfo("a", 1).build());
        byte[] withTail = java.util.Arrays.copyOf(info, info.length + 1);
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MetainfoParser.parseInfo(withTail));
        assertTrue(e.getMessage().startsWith("the metadata is not a valid info dictionary: bencode error at byte " + info.length),
                e.getMessage());
    }

    @Test
    void hybridAndV2OnlyTorrentsFromTheCorpus() throws Exception {
        Path corpus = SharedCorpus.find("corpus/libtorrent-test-torrents");
        Assumptions.assumeTrue(corpus != null, "shared corpus absent");
        // Expected hashes: what python3-libtorrent 2.0.8 reports for these files (info_hashes()).
        TorrentInfo hybrid = MetainfoParser.parse(Files.readAllBytes(corpus.resolve("v2_hybrid.torrent"))).info();
        assertEquals(MetaVersion.HYBRID, hybrid.metaVersion());
        assertEquals("514c76c1f27ec61ca8b37851bcd1cbf0b26cf120", hybrid.infoHash().hex());
        assertEquals("518fbaf39b37020c896e8768a967da6d76bbd5ef7a02c761021b65a72c6cfa11", HexFormat.of().formatHex(hybrid.v2InfoHash()));
        assertTrue(hybrid.isDownloadable());
        assertEquals(1715, hybrid.pieceCount());

        TorrentInfo v2 = MetainfoParser.parse(Files.readAllBytes(corpus.resolve("v2_only.torrent"))).info();
        assertEquals(MetaVersion.V2, v2.metaVersion());
        assertEquals("95e04d0c4bad94ab206efa884666fd89777dbe4f7bd9945af1829037a85c6192", HexFormat.of().formatHex(v2.v2InfoHash()));
        assertEquals("95e04d0c4bad94ab206efa884666fd89777dbe4f", v2.infoHash().hex(), "truncated SHA-256 on the wire");
        assertEquals(16, v2.layoutPieceCount());
        assertTrue(v2.isDownloadable(), "its piece layers are in the file");

        TorrentInfo v1 = MetainfoParser.parse(Files.readAllBytes(corpus.resolve("base.torrent"))).info();
        assertEquals("c0fda1edafdbdbb96443424e0b3899af7159d10e", v1.infoHash().hex());
    }

    private static void assertError(String expectedStart, byte[] bytes) {
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MetainfoParser.parse(bytes));
        assertTrue(e.getMessage().startsWith(expectedStart), "got: " + e.getMessage());
    }
}
