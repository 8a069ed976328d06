package dev.magnetar.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.testing.LibtorrentTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v2-only and hybrid torrents made by libtorrent 2.0.8 (three files: an odd size, an exact multiple of the
 * 256 KiB piece, and one under a block): we read the same info-hashes, lay every file out on a piece
 * boundary, and verify every piece of the real data against the piece layers.
 */
class V2TorrentInteropTest {

    static final int PIECE = 256 * 1024;
    /** An odd size over two pieces, exactly two pieces, and one short block. */
    static final long[] SIZES = {614_523, 2L * PIECE, 5_000};

    @TempDir
    static Path dir;

    private static Path content;
    private static Lt v2;
    private static Lt hybrid;

    record Lt(byte[] torrent, String v2Hash, String v1Hash) {}

    @BeforeAll
    static void makeTorrents() throws Exception {
        content = LibtorrentTorrents.writeFiles(dir.resolve("pack"), SIZES, 7);
        v2 = libtorrentTorrent(content, dir.resolve("v2.torrent"), PIECE, "v2");
        hybrid = libtorrentTorrent(content, dir.resolve("hybrid.torrent"), PIECE, "hybrid");
    }

    @Test
    void aV2OnlyTorrentIsKnownByItsTruncatedSha256AndIsDownloadable() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        assertEquals(MetaVersion.V2, info.metaVersion());
        assertEquals(v2.v2Hash(), HexFormat.of().formatHex(info.v2InfoHash()));
        assertEquals(v2.v2Hash().substring(0, 40), info.infoHash().hex(), "BEP 52: the wire's info-hash is the SHA-256 cut to 20 bytes");
        assertTrue(info.pieceLayers().isComplete());
        assertTrue(info.isDownloadable());
        assertEquals(info, info.requireDownloadable());
    }

    @Test
    void everyFileOfAV2TorrentStartsOnAPieceBoundary() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        List<TorrentFile> data = info.dataFiles();
        assertEquals(List.of("a.bin", "b.bin", "c.bin"), data.stream().map(f -> f.path().get(1)).toList());
        for (TorrentFile f : data) {
            assertEquals(0, f.offset() % PIECE, f.displayPath());
        }
        // a.bin: 3 pieces, b.bin: 2 (no pad needed after it), c.bin: 1
        assertEquals(6, info.pieceCount());
        assertEquals(List.of(0, 3, 5), info.pieceLayers().files().stream().map(FileHashes::firstPiece).toList());
        assertEquals(List.of(true, true, false), info.pieceLayers().files().stream().map(FileHashes::hasPieceLayer).toList());
        assertEquals(6L * PIECE, info.totalLength(), "like libtorrent, the last file is padded to a whole piece too");
    }

    @Test
    void everyPieceOfTheRealDataMatchesItsPieceLayerAndAFlippedByteDoesNot() throws Exception {
        for (Lt lt : List.of(v2, hybrid)) {
            TorrentInfo info = MetainfoParser.parse(lt.torrent()).info();
            PieceLayers layers = info.pieceLayers();
            int checked = 0;
            for (FileHashes f : layers.files()) {
                byte[] bytes = Files.readAllBytes(content.resolve(info.files().get(f.fileIndex()).path().get(1)));
                for (int p = 0; p < f.pieceCount(); p++) {
                    int offset = p * PIECE;
                    int length = f.bytesInPiece(p, PIECE);
                    assertTrue(layers.matches(f.firstPiece() + p, bytes, offset, length), f.displayPath() + " piece " + p);
                    bytes[offset + length - 1] ^= 1;
                    assertFalse(layers.matches(f.firstPiece() + p, bytes, offset, length));
                    bytes[offset + length - 1] ^= 1;
                    checked++;
                }
            }
            assertEquals(6, checked);
        }
    }

    @Test
    void aHybridKeepsBothHashesAsLibtorrentComputesThem() throws Exception {
        TorrentInfo info = MetainfoParser.parse(hybrid.torrent()).info();
        assertEquals(MetaVersion.HYBRID, info.metaVersion());
        assertEquals(hybrid.v1Hash(), info.infoHash().hex(), "a hybrid joins the v1 swarm under its SHA-1");
        assertEquals(hybrid.v2Hash(), HexFormat.of().formatHex(info.v2InfoHash()));
        assertEquals(6, info.pieceCount());
        assertTrue(info.pieceLayers().isComplete());
        assertArrayEquals(new long[] {0, 3L * PIECE, 5L * PIECE},
                info.dataFiles().stream().mapToLong(TorrentFile::offset).toArray(), "the v1 pad files align as the v2 tree does");
    }

    @Test
    void aHybridWhoseV1AndV2FileListsDisagreeIsRefused() throws Exception {
        BDictionary torrent = (BDictionary) BencodeDecoder.decode(hybrid.torrent());
        BDictionary info = (BDictionary) torrent.get("info");
        List<BValue> files = new ArrayList<>(((BList) info.get("files")).items());
        int c = -1;
        for (int i = 0; i < files.size(); i++) {
            if (((BDictionary) files.get(i)).get("path").toString().contains("c.bin")) {
                c = i;
            }
        }
        files.set(c, with((BDictionary) files.get(c), "length", new BInteger(4_999)));
        byte[] edited = BencodeEncoder.encode(with(torrent, "info", with(info, "files", new BList(files))));
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MetainfoParser.parse(edited));
        assertTrue(e.getMessage().contains("v1 and v2 file lists of this hybrid torrent do not match"), e.getMessage());
    }

    @Test
    void aV2TorrentWithoutPieceLayersLoadsButIsNotDownloadableYet() throws Exception {
        BDictionary torrent = (BDictionary) BencodeDecoder.decode(v2.torrent());
        TorrentInfo info = MetainfoParser.parse(BencodeEncoder.encode(with(torrent, "piece layers", null))).info();
        assertFalse(info.pieceLayers().isComplete());
        assertNotNull(info.pieceLayers().expectedPieceHash(5), "c.bin is one piece: its root is its hash");
        assertEquals(null, info.pieceLayers().expectedPieceHash(0));
        UnsupportedTorrentException e = assertThrows(UnsupportedTorrentException.class, info::requireDownloadable);
        assertTrue(e.getMessage().contains("piece layers"), e.getMessage());
        // The layers a peer would send are accepted once they hash to the root.
        TorrentInfo full = MetainfoParser.parse(v2.torrent()).info();
        for (FileHashes f : full.pieceLayers().files()) {
            if (f.hasPieceLayer()) {
                info.pieceLayers().addLayer(f.piecesRoot(), full.pieceLayers().layer(f));
            }
        }
        assertTrue(info.isDownloadable());
    }

    /** {@code d} with {@code key} set to {@code value}, or removed when value is null. */
    static BDictionary with(BDictionary d, String key, BValue value) {
        java.util.Map<dev.magnetar.bencode.BString, BValue> entries = new java.util.TreeMap<>(d.entries());
        if (value == null) {
            entries.remove(dev.magnetar.bencode.BString.of(key));
        } else {
            entries.put(dev.magnetar.bencode.BString.of(key), value);
        }
        return BDictionary.of(entries);
    }

    @Test
    void ourLayoutOfPadFilesAndPiecesIsLibtorrentsForSingleAndMultiFileTorrents() throws Exception {
        for (String kind : List.of("v2", "hybrid")) {
            for (Path source : List.of(content, content.resolve("a.bin"), content.resolve("c.bin"))) {
                LibtorrentTorrents.Made made = LibtorrentTorrents.make(source, dir.resolve("layout.torrent"), PIECE, kind);
                TorrentInfo info = MetainfoParser.parse(made.torrent()).info();
                String what = kind + " of " + source.getFileName();
                assertEquals(made.totalSize(), info.totalLength(), what);
                assertEquals(made.pieces(), info.pieceCount(), what);
                assertEquals(made.v2Hash().substring(0, 40), kind.equals("v2") ? info.infoHash().hex() : made.v2Hash().substring(0, 40));
                for (int p = 0; p < info.pieceCount(); p++) {
                    assertTrue(info.pieceLayers().expectedPieceHash(p) != null, what + " piece " + p);
                }
            }
        }
    }

    static Lt libtorrentTorrent(Path content, Path out, int pieceLength, String kind) throws Exception {
        LibtorrentTorrents.Made m = LibtorrentTorrents.make(content, out, pieceLength, kind);
        return new Lt(m.torrent(), m.v2Hash(), m.v1Hash());
    }
}
