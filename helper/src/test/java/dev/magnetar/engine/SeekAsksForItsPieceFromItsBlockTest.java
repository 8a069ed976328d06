package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seek lands mid-piece. In a v2 or hybrid torrent the player can have each block of a time-critical piece once
 * it matches its leaf hash, so only the blocks from the one it reads on are time-critical: the piece's head
 * would otherwise come first and take a capped seeder's quota tick (bench/stream's WebM seek: 448 KiB before
 * the seek position). A v1 torrent's piece is readable only whole: it is asked for whole, from its start.
 * Nothing downloads here (there are no peers): the picker's state is read on the torrent's loop.
 */
class SeekAsksForItsPieceFromItsBlockTest {

    private static final int PIECE = 256 * 1024;
    private static final int BLOCK = 16 * 1024;
    private static final long SIZE = 40L * PIECE - 777;

    @TempDir
    Path root;

    @Test
    void aHybridTorrentsSeekPieceIsTimeCriticalFromTheBlockReadOn() throws Exception {
        assertEquals(Map.of(5, 3), firstNeededAfterASeekTo(5L * PIECE + 3 * BLOCK + 100, MetaVersion.HYBRID));
    }

    @Test
    void aV1TorrentsSeekPieceIsTimeCriticalWhole() throws Exception {
        assertEquals(Map.of(), firstNeededAfterASeekTo(5L * PIECE + 3 * BLOCK + 100, MetaVersion.V1));
    }

    private Map<Integer, Integer> firstNeededAfterASeekTo(long position, MetaVersion version) throws Exception {
        byte[] film = new byte[(int) SIZE];
        new SplittableRandom(21).nextBytes(film);
        Path file = Files.createDirectories(root.resolve("content")).resolve("film.webm");
        Files.write(file, film);
        Metainfo metainfo = MetainfoParser.parse(TorrentCreator.create(file,
                new TorrentCreator.Options(List.of(), PIECE, false, null, "Magnetar/test", null, version), b -> { }));
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = EngineFixtures.addAndAwaitDownloading(engine, metainfo, downloads);
            try (FileStream stream = engine.fileStreaming().orElseThrow().openStream(metainfo.info().infoHash().hex(), 0)) {
                CompletableFuture<ByteBuffer> waiting = stream.read(position, 64 * 1024);
                List<Integer> deadlines = EngineFixtures.timeCriticalPieces(t);
                assertEquals(5, deadlines.get(0), "the seek's piece leads: " + deadlines);
                Map<Integer, Integer> first = t.loop().submit(() -> t.picker().firstNeededBlocks())
                        .get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
                waiting.cancel(false);
                return first;
            }
        }
    }
}
