package dev.magnetar.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 metadata whose hashes do not fit together: each is refused with an {@link InvalidTorrentException}
 * that says what is wrong, or (a missing layer, which libtorrent accepts and peers can supply) loads but
 * is not downloadable until the layer is known. Built from a v2 torrent we make of an odd-sized file over
 * three pieces, one of exactly two pieces and a small one.
 */
class V2BadInputTest {

    private static final int PIECE = 32 * 1024;

    @TempDir
    static Path dir;

    private static byte[] good;
    private static byte[] bigRoot;
    private static byte[] exactRoot;
    private static byte[] smallRoot;

    @BeforeAll
    static void makeTorrent() throws Exception {
        Path content = dev.magnetar.testing.LibtorrentTorrents.writeFiles(dir.resolve("set"), new long[] {3L * PIECE - 9, 2L * PIECE, 500}, 1);
        good = TorrentCreator.create(content, new TorrentCreator.Options(List.of(), PIECE, false, null, null, null, MetaVersion.V2),
                b -> { });
        TorrentInfo info = MetainfoParser.parse(good).info();
        bigRoot = info.pieceLayers().files().get(0).piecesRoot();
        exactRoot = info.pieceLayers().files().get(1).piecesRoot();
        smallRoot = info.pieceLayers().files().get(2).piecesRoot();
    }

    @Test
    void theUntouchedTorrentLoads() throws Exception {
        assertTrue(MetainfoParser.parse(good).info().isDownloadable());
    }

    @Test
    void aLayerThatDoesNotHashToItsRootIsRefused() {
        assertRefused("does not hash to the file's pieces root", withLayers(l -> {
            byte[] layer = l.get(BString.of(bigRoot)).bytes();
            layer[5] ^= 1;
            l.put(BString.of(bigRoot), BString.of(layer));
        }));
    }

    @Test
    void aLayerWithTooFewOrTooManyHashesForTheFileSizeIsRefused() {
        assertRefused("has 2 hashes, but a file of 98295 bytes in pieces of 32768 has 3 pieces", withLayers(l ->
                l.put(BString.of(bigRoot), BString.of(Arrays.copyOf(l.get(BString.of(bigRoot)).bytes(), 64)))));
        assertRefused("has 4 hashes", withLayers(l ->
                l.put(BString.of(bigRoot), BString.of(Arrays.copyOf(l.get(BString.of(bigRoot)).bytes(), 128)))));
    }

    @Test
    void aLayerOfPartHashesIsRefused() {
        assertRefused("which are not whole 32-byte SHA-256 hashes", withLayers(l ->
                l.put(BString.of(exactRoot), BString.of(Arrays.copyOf(l.get(BString.of(exactRoot)).bytes(), 63)))));
    }

    @Test
    void aLayerForAFileOfOnePieceOrForNoFileIsRefused() {
        assertRefused("belongs to no file larger than a piece", withLayers(l -> l.put(BString.of(smallRoot), BString.of(smallRoot))));
        byte[] stranger = bigRoot.clone();
        stranger[0] ^= 1;
        assertRefused("belongs to no file larger than a piece", withLayers(l -> l.put(BString.of(stranger), l.get(BString.of(bigRoot)))));
    }

    @Test
    void aPiecesRootOfTheWrongLengthOrAllZerosIsRefused() {
        assertRefused("pieces root must be 32 bytes, it is 31", withRoot(Arrays.copyOf(smallRoot, 31)));
        assertRefused("pieces root is all zeros", withRoot(new byte[32]));
    }

    @Test
    void aMissingLayerForAFileOverOnePieceLoadsLikeLibtorrentButIsNotDownloadable() throws Exception {
        TorrentInfo info = MetainfoParser.parse(withLayers(l -> l.remove(BString.of(bigRoot)))).info();
        assertFalse(info.isDownloadable());
        InvalidTorrentException e = assertThrows(UnsupportedTorrentException.class, info::requireDownloadable);
        assertTrue(e.getMessage().contains("without the piece layers"), e.getMessage());
        assertTrue(e.getMessage().contains("xt=urn:btmh:"), "says how to get them: " + e.getMessage());
        assertFalse(e.getMessage().contains("cannot fetch them"), "v2 magnets fetch layers from peers now: " + e.getMessage());
    }

    @Test
    void aPieceLengthThatIsNotAPowerOfTwoOfAtLeast16KiBIsRefused() {
        for (long bad : new long[] {8192, 3 * 16384, 16385}) {
            assertRefused("info.piece length of a v2 torrent must be a power of two of at least 16 KiB (BEP 52), it is " + bad,
                    withInfo(info -> {
                        info.put(BString.of("piece length"), new dev.magnetar.bencode.BInteger(bad));
                        return info;
                    }));
        }
    }

    private static void assertRefused(String expected, byte[] torrent) {
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MetainfoParser.parse(torrent));
        assertFalse(e instanceof UnsupportedTorrentException, e.getMessage());
        assertTrue(e.getMessage().contains(expected), "got: " + e.getMessage());
    }

    private static byte[] withLayers(java.util.function.Consumer<Map<BString, BString>> edit) {
        return edit(top -> {
            Map<BString, BString> layers = new TreeMap<>();
            ((BDictionary) top.get(BString.of("piece layers"))).entries().forEach((k, v) -> layers.put(k, (BString) v));
            edit.accept(layers);
            top.put(BString.of("piece layers"), BDictionary.of(layers));
            return top;
        });
    }

    private static byte[] withInfo(UnaryOperator<Map<BString, BValue>> edit) {
        return edit(top -> {
            top.put(BString.of("info"), BDictionary.of(edit.apply(new TreeMap<>(((BDictionary) top.get(BString.of("info"))).entries()))));
            return top;
        });
    }

    /** The small file's pieces root replaced. */
    private static byte[] withRoot(byte[] root) {
        return withInfo(info -> {
            Map<BString, BValue> tree = new TreeMap<>(((BDictionary) info.get(BString.of("file tree"))).entries());
            BDictionary file = (BDictionary) ((BDictionary) tree.get(BString.of("c.bin"))).get("");
            Map<BString, BValue> entry = new TreeMap<>(file.entries());
            entry.put(BString.of("pieces root"), BString.of(root));
            tree.put(BString.of("c.bin"), BDictionary.of(Map.of(BString.of(""), BDictionary.of(entry))));
            info.put(BString.of("file tree"), BDictionary.of(tree));
            return info;
        });
    }

    private static byte[] edit(UnaryOperator<Map<BString, BValue>> edit) {
        try {
            BDictionary top = (BDictionary) BencodeDecoder.decode(good);
            return BencodeEncoder.encode(BDictionary.of(edit.apply(new TreeMap<>(top.entries()))));
        } catch (dev.magnetar.bencode.BencodeException e) {
            throw new AssertionError(e);
        }
    }
}
