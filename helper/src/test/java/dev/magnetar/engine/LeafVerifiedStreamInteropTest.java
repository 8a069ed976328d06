package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.daemon.LibtorrentSeeder;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.LibtorrentTorrents;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A player reads the first bytes of a piece that is still coming from a real libtorrent seeder: with a hybrid
 * torrent (libtorrent's default) they are served once their 16 KiB blocks match the BEP 52 leaf hashes the
 * seeder sent, before the piece is whole — and they are the file's bytes. With a v1 torrent there are no
 * leaves and the read waits for the whole piece, as before. The seeder's cap keeps the piece incomplete for
 * many seconds after its first block; "still incomplete when served" is read after the read returned (a piece
 * that is not verified then was not verified before).
 */
class LeafVerifiedStreamInteropTest {

    private static final int PIECE = 1 << 20;
    private static final int SIZE = 4 * PIECE + 12_345;
    /** A whole piece takes 8 s at this rate; a block comes in the seeder's first half-second quota tick. */
    private static final long SEEDER_RATE = 128 * 1024;

    @TempDir
    Path root;

    @Test
    void aHybridTorrentsFirstBytesAreServedFromLeafVerifiedBlocksBeforeTheirPieceIsWhole() throws Exception {
        byte[] film = new byte[SIZE];
        new SplittableRandom(21).nextBytes(film);
        Path content = Files.createDirectories(root.resolve("content"));
        Files.write(content.resolve("film.mp4"), film);
        LibtorrentTorrents.Made made = LibtorrentTorrents.make(content.resolve("film.mp4"), root.resolve("film.torrent"), PIECE, "hybrid");
        Metainfo metainfo = MetainfoParser.parse(made.torrent());
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(made.file(), content, SEEDER_RATE);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = EngineFixtures.addAndAwaitDownloading(engine, metainfo, downloads);
            try (FileStream stream = engine.fileStreaming().orElseThrow().openStream(metainfo.info().infoHash().hex(), 0)) {
                t.addPeer(new InetSocketAddress("127.0.0.1", seeder.port()));
                ByteBuffer first = stream.read(0, FileStream.MAX_READ_BYTES).get(GUARD.toSeconds(), TimeUnit.SECONDS);
                boolean pieceWhole = t.loop().submit(() -> t.storage().verified().has(0)).get(GUARD.toSeconds(), TimeUnit.SECONDS);

                assertFalse(pieceWhole, "piece 0 was verified whole before the read returned: nothing shows early serving");
                assertTrue(first.remaining() > 0 && first.remaining() % (16 * 1024) == 0,
                        "whole leaf-verified blocks: " + first.remaining() + " bytes");
                byte[] got = new byte[first.remaining()];
                first.get(got);
                assertArrayEquals(Arrays.copyOf(film, got.length), got, "the file's first bytes");
            }
        }
    }

    @Test
    void aV1TorrentsReadStillWaitsForTheWholePiece() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "film.mp4", 256 * 1024, SIZE); // a piece in 2 s at the cap
        byte[] film = Files.readAllBytes(content.resolve("film.mp4"));
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(TorrentFiles.write(info, root.resolve("film.torrent")), content, SEEDER_RATE);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.add(info, downloads, List.of(), AddOptions.defaults());
            try (FileStream stream = engine.fileStreaming().orElseThrow().openStream(info.infoHash().hex(), 0)) {
                t.addPeer(new InetSocketAddress("127.0.0.1", seeder.port()));
                ByteBuffer first = stream.read(0, FileStream.MAX_READ_BYTES).get(GUARD.toSeconds(), TimeUnit.SECONDS);
                boolean pieceWhole = t.loop().submit(() -> t.storage().verified().has(0)).get(GUARD.toSeconds(), TimeUnit.SECONDS);

                assertTrue(pieceWhole, "a v1 read is served only from a verified piece");
                byte[] got = new byte[first.remaining()];
                first.get(got);
                assertArrayEquals(Arrays.copyOf(film, FileStream.MAX_READ_BYTES), got);
            }
        }
    }
}
