package dev.magnetar.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.LibtorrentTorrents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume data of BitTorrent v2 torrents (BEP 52): which hashes verified the pieces, the info-hash kind, the piece layers. */
class V2ResumeTest {

    private static final int PIECE = 32 * 1024;

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static Path content;
    private static LibtorrentTorrents.Made v2;
    private StorageExecutors executors;

    @BeforeAll
    static void makeTorrent() throws Exception {
        content = LibtorrentTorrents.writeFiles(shared.resolve("set"), new long[] {3L * PIECE + 5, 70_000, 10}, 3);
        v2 = LibtorrentTorrents.make(content, shared.resolve("v2.torrent"), PIECE, "v2");
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
    void aV2TorrentsResumeDataSaysMerkleAndSha256AndKeepsItsPieceLayers() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        downloadAll(info);
        ResumeData saved = resume().load(info.infoHash()).orElseThrow();
        assertEquals(VerifiedBy.MERKLE, saved.verifiedBy());
        assertEquals(2, saved.pieceLayers().size(), "a.bin and b.bin are over a piece; c.bin's root is its hash");
        String raw = new String(Files.readAllBytes(onlyFile(tmp.resolve("resume"))), StandardCharsets.ISO_8859_1);
        assertTrue(raw.contains("14:info-hash kind6:sha256"), "the info-hash is the SHA-256 cut to 20 bytes");
        assertTrue(raw.contains("11:verified by6:merkle"));
    }

    @Test
    void aRestartFromTheInfoDictionaryAloneGetsThePieceLayersBackFromResumeData() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        downloadAll(info);
        TorrentInfo bare = MetainfoParser.parseInfo(info.infoBytes()); // what a session restore reads
        assertFalse(bare.isDownloadable(), "the info dictionary has no piece layers");
        resume().load(info.infoHash()).orElseThrow().restorePieceLayers(bare);
        assertTrue(bare.isDownloadable());
        TorrentStorage again = TorrentStorage.open(MetainfoParser.parseInfo(info.infoBytes()), tmp.resolve("dl"), executors, resume());
        assertEquals(TorrentStorage.ResumeOutcome.RESUMED, again.resumeOutcome());
        assertTrue(again.isComplete());
        again.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void piecesVerifiedOnlyBySha1DoNotCountForAV2Torrent() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        downloadAll(info);
        ResumeData real = resume().load(info.infoHash()).orElseThrow();
        resume().save(new ResumeData(real.infoHash(), real.downloadDir(), real.pieceCount(), real.verifiedWire(), real.files(),
                real.priorities(), real.infoBytes(), VerifiedBy.SHA1, real.pieceLayers()));
        TorrentStorage again = TorrentStorage.open(info, tmp.resolve("dl"), executors, resume());
        assertEquals(TorrentStorage.ResumeOutcome.STALE_RESUME_DATA, again.resumeOutcome());
        assertFalse(again.isComplete());
        again.close().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aV2ResumeRoundTripsAndItsHashKindIsChecked() throws Exception {
        TorrentInfo info = MetainfoParser.parse(v2.torrent()).info();
        ResumeData d = new ResumeData(info.infoHash(), "/dl", info.pieceCount(), new Bitfield(info.pieceCount()).toWire(),
                info.files().stream().map(f -> ResumeData.FileState.ABSENT).toList(), info.files().stream().map(f -> 4).toList(),
                info.infoBytes(), VerifiedBy.MERKLE, List.of(new ResumeData.PieceLayer(new byte[32], new byte[64])));
        byte[] encoded = ResumeDataCodec.encode(d);
        ResumeData back = ResumeDataCodec.decode(encoded);
        assertEquals(VerifiedBy.MERKLE, back.verifiedBy());
        assertArrayEquals(new byte[64], back.pieceLayers().get(0).hashes());
        String text = new String(encoded, StandardCharsets.ISO_8859_1);
        byte[] sha1Kind = text.replace("14:info-hash kind6:sha256", "14:info-hash kind4:sha1").getBytes(StandardCharsets.ISO_8859_1);
        ResumeDataException e = assertThrows(ResumeDataException.class, () -> ResumeDataCodec.decode(sha1Kind));
        assertTrue(e.getMessage().contains("does not hash to"), e.getMessage());
        byte[] unknown = text.replace("11:verified by6:merkle", "11:verified by6:md5sum").getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(ResumeDataException.class, () -> ResumeDataCodec.decode(unknown));
        // A layer that does not hash to its file's root is skipped, not trusted.
        TorrentInfo bare = MetainfoParser.parseInfo(info.infoBytes());
        back.restorePieceLayers(bare);
        assertFalse(bare.isDownloadable());
    }

    @Test
    void resumeDataWrittenBeforeV2SupportReadsAsSha1() throws Exception {
        ResumeData old = ResumeDataCodecTest.sample();
        String text = new String(ResumeDataCodec.encode(old), StandardCharsets.ISO_8859_1);
        String legacy = text.replaceAll("14:info-hash kind4:sha1", "").replaceAll("12:piece layersde", "")
                .replaceAll("11:verified by4:sha1", "");
        assertFalse(legacy.contains("verified by"));
        ResumeData back = ResumeDataCodec.decode(legacy.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(VerifiedBy.SHA1, back.verifiedBy());
        assertTrue(back.verifiedBy().suffices(MetaVersion.HYBRID) && !back.verifiedBy().suffices(MetaVersion.V2));
    }

    private void downloadAll(TorrentInfo info) throws Exception {
        TorrentStorage storage = TorrentStorage.open(info, tmp.resolve("dl"), executors, resume());
        ByteArrayOutputStream space = new ByteArrayOutputStream();
        for (TorrentFile f : info.files()) {
            space.write(f.padding() ? new byte[(int) f.length()] : Files.readAllBytes(content.resolve(f.path().get(1))));
        }
        byte[] all = space.toByteArray();
        for (int p = 0; p < info.pieceCount(); p++) {
            byte[] piece = Arrays.copyOfRange(all, p * PIECE, p * PIECE + info.pieceSize(p));
            assertEquals(PieceResult.verified(), storage.writePiece(p, piece).get(30, TimeUnit.SECONDS));
        }
        storage.close().get(30, TimeUnit.SECONDS);
    }

    private ResumeStore resume() {
        return new ResumeStore(tmp.resolve("resume"));
    }

    private static Path onlyFile(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }
}
