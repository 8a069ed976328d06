package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A player seeks: its old request still waits for the piece at the old position (the server learns that the
 * player dropped it only when it next writes to it), and the seek's request waits for the piece at the new
 * position. Until the seek's first bytes are out, the old position's piece is not time-critical at all: its
 * blocks would be queued at the seeder among the seek's. Nothing downloads here (there are no peers): the
 * deadlines are read after each read has begun to wait; only piece 0 is on disk.
 */
class SeekDropsTheOldReadersPieceTest {

    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 40L * PIECE - 4321;
    private static final int OLD_POSITION_PIECE = 5;
    private static final int SEEK_PIECE = 30;

    @TempDir
    Path root;

    @Test
    void theSeeksPiecesLeadAndTheOldRequestsPieceIsNoLongerTimeCritical() throws Exception {
        byte[] film = new byte[(int) SIZE];
        new SplittableRandom(5).nextBytes(film);
        Metainfo metainfo = EngineFixtures.singleFileTorrent(root, "film.webm", film, PIECE);
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        try (FileChannel partial = FileChannel.open(downloads.resolve("film.webm"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            partial.write(ByteBuffer.wrap(film, 0, PIECE), 0);
        }
        String hash = metainfo.info().infoHash().hex();
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = EngineFixtures.addAndAwaitDownloading(engine, metainfo, downloads);
            FileStreaming streaming = engine.fileStreaming().orElseThrow();
            try (FileStream old = streaming.openStream(hash, 0); FileStream header = streaming.openStream(hash, 0)) {
                // The player reads from the start: piece 0 is here, the next one is not.
                old.read(0, 64 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
                CompletableFuture<ByteBuffer> waitingAtTheOldPosition = old.read((long) OLD_POSITION_PIECE * PIECE, 64 * 1024);
                // A newer request served from verified bytes only (a player reading the header again) does not lead.
                header.read(0, 64 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
                List<Integer> beforeTheSeek = EngineFixtures.timeCriticalPieces(t);
                assertEquals(OLD_POSITION_PIECE, beforeTheSeek.get(0), "the old position's piece leads before the seek: " + beforeTheSeek);

                try (FileStream seek = streaming.openStream(hash, 0)) {
                    CompletableFuture<ByteBuffer> waitingAtTheSeek = seek.read((long) SEEK_PIECE * PIECE + 1000, 64 * 1024);
                    List<Integer> afterTheSeek = EngineFixtures.timeCriticalPieces(t);
                    assertEquals(SEEK_PIECE, afterTheSeek.get(0), "the seek's piece leads: " + afterTheSeek);
                    assertTrue(afterTheSeek.contains(SEEK_PIECE + 1), "the seek's first window: " + afterTheSeek);
                    assertFalse(afterTheSeek.contains(OLD_POSITION_PIECE), "the old request's piece is dropped: " + afterTheSeek);
                    assertFalse(waitingAtTheOldPosition.isDone() || waitingAtTheSeek.isDone(), "no peers: both still wait");
                }
                // The seek's request is gone: the old one leads again.
                assertEquals(OLD_POSITION_PIECE, EngineFixtures.timeCriticalPieces(t).get(0));
            }
        }
    }
}
