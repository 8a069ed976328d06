package dev.magnetar.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.LibtorrentTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code magnetar create --v2/--hybrid}: what we make, libtorrent 2.0.8 loads, finds byte for byte the info
 * dictionary it makes itself from the same files, and verifies against the data on disk.
 */
class V2TorrentCreatorTest {

    private static final int PIECE = 32 * 1024;
    /** Odd size over pieces, exactly two pieces, one block, empty, tiny. */
    private static final long[] SIZES = {100_003, 2L * PIECE, 16_384, 0, 77};

    /** Loads a .torrent, checks the data under a folder, prints its hashes and whether every piece passed. */
    private static final String LIBTORRENT_CHECK = String.join("\n",
            "import json, sys, time, libtorrent as lt",
            "ti = lt.torrent_info(sys.argv[1])",
            "s = lt.session({'listen_interfaces': '127.0.0.1:0', 'enable_dht': False, 'enable_lsd': False,",
            "                'enable_upnp': False, 'enable_natpmp': False})",
            "h = s.add_torrent({'ti': ti, 'save_path': sys.argv[2]})",
            "deadline = time.time() + 60",
            "while time.time() < deadline and not h.status().is_seeding and h.status().errc.value() == 0:",
            "    time.sleep(0.05)",
            "ih = ti.info_hashes()",
            "print(json.dumps({'v2': str(ih.v2), 'v1': str(ih.v1) if ih.has_v1() else None, 'pieces': ti.num_pieces(),",
            "    'seeding': h.status().is_seeding, 'error': h.status().errc.message()}))");

    @TempDir
    Path dir;

    @Test
    void ourV2TorrentIsTheOneLibtorrentMakesAndItVerifiesOurData() throws Exception {
        sameAsLibtorrent(folder(), MetaVersion.V2, "v2");
    }

    @Test
    void ourHybridTorrentIsTheOneLibtorrentMakesPadFilesIncludedAndItVerifiesOurData() throws Exception {
        sameAsLibtorrent(folder(), MetaVersion.HYBRID, "hybrid");
    }

    @Test
    void singleFileV2AndHybridTorrentsAreLibtorrentsToo() throws Exception {
        Path file = folder().resolve("a.bin");
        sameAsLibtorrent(file, MetaVersion.V2, "v2");
        sameAsLibtorrent(file, MetaVersion.HYBRID, "hybrid");
    }

    @Test
    void ourPieceLayersVerifyTheDataInOurOwnParser() throws Exception {
        Path content = folder();
        byte[] torrent = TorrentCreator.create(content, options(MetaVersion.V2), b -> { });
        TorrentInfo info = MetainfoParser.parse(torrent).info();
        assertTrue(info.pieceLayers().isComplete());
        for (FileHashes f : info.pieceLayers().files()) {
            byte[] bytes = Files.readAllBytes(content.resolve(info.files().get(f.fileIndex()).path().get(1)));
            for (int p = 0; p < f.pieceCount(); p++) {
                assertTrue(info.pieceLayers().matches(f.firstPiece() + p, bytes, p * PIECE, f.bytesInPiece(p, PIECE)));
            }
        }
    }

    private void sameAsLibtorrent(Path source, MetaVersion version, String kind) throws Exception {
        byte[] ours = TorrentCreator.create(source, options(version), b -> { });
        Path ourFile = dir.resolve("ours-" + kind + ".torrent");
        Files.write(ourFile, ours);
        TorrentInfo info = MetainfoParser.parse(ours).info();
        assertEquals(version, info.metaVersion());

        LibtorrentTorrents.Made theirs = LibtorrentTorrents.make(source, dir.resolve("lt-" + kind + ".torrent"), PIECE, kind);
        assertEquals(theirs.v2Hash(), HexFormat.of().formatHex(info.v2InfoHash()), "the same v2 info dictionary as libtorrent's");
        if (version == MetaVersion.HYBRID) {
            assertEquals(theirs.v1Hash(), info.infoHash().hex(), "the same v1 view, pad files included");
        }
        assertEquals(theirs.pieces(), info.pieceCount());

        Path python = ExternalTools.requireLibtorrentPython();
        ExternalTools.Result r = ExternalTools.run(Duration.ofSeconds(90), python.toString(), "-c", LIBTORRENT_CHECK,
                ourFile.toString(), source.getParent().toString());
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode lt = new ObjectMapper().readTree(r.stdout());
        assertEquals(HexFormat.of().formatHex(info.v2InfoHash()), lt.get("v2").asText());
        assertTrue(lt.get("seeding").asBoolean(), "libtorrent did not accept our hashes for the data: " + r.stdout());
    }

    private static TorrentCreator.Options options(MetaVersion version) {
        return new TorrentCreator.Options(List.of(), PIECE, false, null, "Magnetar/test", null, version);
    }

    private Path folder() throws Exception {
        return LibtorrentTorrents.writeFiles(dir.resolve("set"), SIZES, 17);
    }
}
