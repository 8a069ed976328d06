package dev.magnetar.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.LibtorrentTorrents;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 piece verification in storage, one rule per test, on torrents libtorrent made of: a file of
 * exactly two pieces, one with a short last piece, one of exactly one block, an empty one, and one of 100
 * bytes (pieces of 32 KiB, two blocks).
 */
class PieceVerifierTest {

    private static final int PIECE = 32 * 1024;
    private static final long[] SIZES = {2L * PIECE, 40_000, 16_384, 0, 100};

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static Path content;
    private static LibtorrentTorrents.Made v2;
    private static LibtorrentTorrents.Made hybrid;
    private StorageExecutors executors;

    @BeforeAll
    static void makeTorrents() throws Exception {
        content = LibtorrentTorrents.writeFiles(shared.resolve("set"), SIZES, 11);
        v2 = LibtorrentTorrents.make(content, shared.resolve("v2.torrent"), PIECE, "v2");
        hybrid = LibtorrentTorrents.make(content, shared.resolve("hybrid.torrent"), PIECE, "hybrid");
    }

    @BeforeEach
    void setUp() {
        executors = StorageExecutors.createDefault();
    }

    @AfterEach
    void tearDown() {
        executors.close();
    }

    @Test
    void everyPieceOfAV2TorrentVerifiesAndTheFilesComeOutWholeEmptyOneIncluded() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        assertEquals(MetaVersion.V2, info.metaVersion());
        byte[] space = byteSpace(info);
        TorrentStorage storage = open(info);
        for (int p = info.pieceCount() - 1; p >= 0; p--) {
            assertEquals(PieceResult.verified(), write(storage, p, piece(info, space, p)), "piece " + p);
        }
        assertTrue(storage.isComplete());
        storage.close().get(30, TimeUnit.SECONDS);
        for (TorrentFile f : info.dataFiles()) {
            assertArrayEquals(Files.readAllBytes(content.resolve(f.path().get(1))), Files.readAllBytes(f.resolveIn(tmp.resolve("dl"))),
                    f.displayPath());
        }
    }

    @Test
    void aFlippedByteAnywhereInAnyV2PieceFailsItsHash() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        byte[] space = byteSpace(info);
        TorrentStorage storage = open(info);
        for (int p = 0; p < info.pieceCount(); p++) {
            byte[] data = piece(info, space, p);
            int fileBytes = info.pieceLayers().fileOfPiece(p).bytesInPiece(p - info.pieceLayers().fileOfPiece(p).firstPiece(), PIECE);
            for (int at : new int[] {0, fileBytes - 1, Math.min(fileBytes - 1, 16_384)}) {
                data[at] ^= 0x40;
                assertEquals(PieceResult.hashFailed(), write(storage, p, data), "piece " + p + " byte " + at);
                data[at] ^= 0x40;
            }
        }
        storage.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aFilesShortLastPieceIsHashedWithZeroLeavesAndItsPadMustBeZeros() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        byte[] space = byteSpace(info);
        // b.bin (40,000 bytes) ends 7,232 bytes into its second piece; a pad file fills the rest of it.
        int last = info.pieceLayers().files().get(1).firstPiece() + 1;
        byte[] data = piece(info, space, last);
        assertEquals(PIECE, data.length);
        TorrentStorage storage = open(info);
        data[PIECE - 1] = 1;
        assertEquals(PieceResult.hashFailed(), write(storage, last, data), "pad bytes are zeros (BEP 47), outside any tree");
        data[PIECE - 1] = 0;
        assertEquals(PieceResult.verified(), write(storage, last, data));
        storage.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aOneBlockFileAndATinyFileAreCheckedAgainstTheirRoot() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        byte[] space = byteSpace(info);
        TorrentStorage storage = open(info);
        for (int f = 2; f <= 3; f++) { // c.bin: one 16 KiB block; e.bin: 100 bytes (d.bin is empty: no pieces)
            var file = info.pieceLayers().files().get(f);
            assertEquals(1, file.pieceCount());
            assertArrayEquals(file.piecesRoot(), info.pieceLayers().expectedPieceHash(file.firstPiece()));
            assertEquals(PieceResult.verified(), write(storage, file.firstPiece(), piece(info, space, file.firstPiece())));
        }
        storage.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aHybridPieceThatPassesItsV1HashButNotItsV2HashIsRefused() throws Exception {
        // The same hybrid, but its v1 hash of piece 0 describes other bytes: both halves must agree.
        byte[] other = new byte[PIECE];
        Arrays.fill(other, (byte) 7);
        byte[] forged = withV1PieceHash(hybrid.torrent(), 0, MessageDigest.getInstance("SHA-1").digest(other));
        TorrentInfo info = MetainfoParser.parse(forged).info();
        assertEquals(MetaVersion.HYBRID, info.metaVersion());
        TorrentStorage storage = open(info);
        assertEquals(PieceResult.hashFailed(), write(storage, 0, other), "v1 says yes, v2 says no");
        assertEquals(PieceResult.hashFailed(), write(storage, 0, piece(info, byteSpace(info), 0)), "v2 says yes, v1 says no");
        assertEquals(PieceResult.verified(), write(storage, 1, piece(info, byteSpace(info), 1)), "the other pieces agree");
        storage.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyPieceOfAnHonestHybridPassesBothHashes() throws Exception {
        TorrentInfo info = MetainfoParser.parse(hybrid.torrent()).info();
        byte[] space = byteSpace(info);
        TorrentStorage storage = open(info);
        for (int p = 0; p < info.pieceCount(); p++) {
            assertEquals(PieceResult.verified(), write(storage, p, piece(info, space, p)), "piece " + p);
        }
        storage.close().get(30, TimeUnit.SECONDS);
    }

    private TorrentStorage open(TorrentInfo info) throws StorageException {
        return TorrentStorage.open(info, tmp.resolve("dl"), executors, new ResumeStore(tmp.resolve("resume")));
    }

    private static PieceResult write(TorrentStorage storage, int p, byte[] data) throws Exception {
        return storage.writePiece(p, data.clone()).get(30, TimeUnit.SECONDS);
    }

    /** The torrent's whole byte space: the files' bytes, pad files as zeros. */
    private static byte[] byteSpace(TorrentInfo info) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TorrentFile f : info.files()) {
            out.write(f.padding() ? new byte[(int) f.length()] : Files.readAllBytes(content.resolve(f.path().get(1))));
        }
        return out.toByteArray();
    }

    private static byte[] piece(TorrentInfo info, byte[] space, int p) {
        int start = p * info.pieceLength();
        return Arrays.copyOfRange(space, start, start + info.pieceSize(p));
    }

    private static byte[] withV1PieceHash(byte[] torrent, int piece, byte[] sha1) throws Exception {
        BDictionary top = (BDictionary) BencodeDecoder.decode(torrent);
        BDictionary info = (BDictionary) top.get("info");
        byte[] pieces = ((BString) info.get("pieces")).bytes();
        System.arraycopy(sha1, 0, pieces, piece * 20, 20);
        Map<BString, BValue> infoEntries = new TreeMap<>(info.entries());
        infoEntries.put(BString.of("pieces"), BString.of(pieces));
        Map<BString, BValue> topEntries = new TreeMap<>(top.entries());
        topEntries.put(BString.of("info"), BDictionary.of(infoEntries));
        return BencodeEncoder.encode(BDictionary.of(topEntries));
    }
}
