package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A player's request waits for a piece (a start, a seek): its window ahead is kept small until its first bytes
 * are out, so nothing shares the peers with them. Once that piece verifies, the window must be time-critical at
 * once, not only after the disk read that serves the bytes: in between, a peer whose last time-critical block
 * was that piece's would be refilled with other pieces, and a capped seeder sends whatever is in its send
 * buffer before anything asked for later (bench/stream: 24 blocks of another piece before the reader's next).
 * Nothing downloads here (there are no peers): the piece's arrival is played on the torrent's loop, and the
 * deadlines are read in the same task, before the disk read can hand its bytes back.
 */
class WindowGrowsAsTheFirstPieceVerifiesTest {

    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 40L * PIECE - 777;

    @TempDir
    Path root;

    @Test
    void theWindowAheadIsTimeCriticalAsThePieceTheReaderWaitsForVerifies() throws Exception {
        byte[] film = new byte[(int) SIZE];
        new SplittableRandom(33).nextBytes(film);
        Metainfo metainfo = EngineFixtures.singleFileTorrent(root, "film.webm", film, PIECE);
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        Path partial = downloads.resolve("film.webm");
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(film, 0, PIECE), 0);
        }
        String hash = metainfo.info().infoHash().hex();
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = EngineFixtures.addAndAwaitDownloading(engine, metainfo, downloads);
            try (FileStream stream = engine.fileStreaming().orElseThrow().openStream(hash, 0)) {
                CompletableFuture<ByteBuffer> waiting = stream.read(PIECE, 64 * 1024);
                int windowEnd = (int) (ReadAhead.MIN_WINDOW_BYTES / PIECE); // the last piece of the smallest grown window
                List<Integer> before = EngineFixtures.timeCriticalPieces(t);
                assertEquals(1, before.get(0), "the reader waits for piece 1: " + before);
                assertFalse(before.contains(windowEnd), "until its first bytes are out its window is small: " + before);

                // Piece 1 comes from a peer: its bytes are written and it verifies.
                try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    out.write(ByteBuffer.wrap(film, PIECE, PIECE), PIECE);
                }
                List<Integer> asItVerifies = t.loop().submit(() -> {
                    t.storage().verified().set(1);
                    t.streams().pieceVerified(1);
                    return t.picker().deadlines();
                }).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
                assertTrue(asItVerifies.contains(2) && asItVerifies.contains(windowEnd),
                        "the window it reads on into, before its bytes are read from disk: " + asItVerifies);

                ByteBuffer served = waiting.get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
                byte[] got = new byte[served.remaining()];
                served.get(got);
                assertArrayEquals(Arrays.copyOfRange(film, PIECE, PIECE + 64 * 1024), got, "the waiting read gets piece 1's bytes");
            }
        }
    }
}
