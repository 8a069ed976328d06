package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Play pressed in the add dialog, before the download starts: the played file's first and last pieces are
 * time-critical from the moment the torrent gets its picker, before any peer is asked for a block — so the
 * first requests are for what the player reads first, not for random pieces its arrival would then cancel
 * (a peer that already read them from its disk sends them anyway, ahead of the ones the player waits for).
 */
class PlayBeforeStartTest {

    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 40L * PIECE - 1234;

    @TempDir
    Path root;

    @Test
    void thePlayedFilesEdgesAreTimeCriticalWhenThePickerIsMade() throws Exception {
        List<Integer> deadlines = deadlinesAtStart(true);

        int last = (int) ((SIZE - 1) / PIECE);
        assertEquals(List.of(0, last), deadlines.subList(0, 2), "the first piece, then the last (an mp4's moov, a Matroska file's cues)");
        assertTrue(deadlines.stream().allMatch(p -> p < 4 || p == last), "nothing but the file's edges: " + deadlines);
    }

    @Test
    void withoutPlayNothingIsTimeCritical() throws Exception {
        assertEquals(List.of(), deadlinesAtStart(false));
    }

    @Test
    void aFileTheTorrentDoesNotHaveIsRefused() throws Exception {
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "film.webm", PIECE, SIZE);
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            engine.add(info, root, List.of(), new AddOptions(null, false, false, true));
            FileStreaming streaming = engine.fileStreaming().orElseThrow();
            assertThrows(NoSuchFileInTorrentException.class, () -> streaming.prepareStream(info.infoHash().hex(), 1));
            assertThrows(TorrentNotFoundException.class, () -> streaming.prepareStream("ab".repeat(20), 0));
        }
    }

    /** Adds the torrent to wait for the add dialog's choice, optionally prepares file 0 for a player, starts it. */
    private List<Integer> deadlinesAtStart(boolean play) throws Exception {
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "film.webm", PIECE, SIZE);
        String hash = info.infoHash().hex();
        Path chosen = Files.createDirectories(root.resolve("chosen"));
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.add(info, root.resolve("default"), List.of(), new AddOptions(null, false, false, true));
            CompletableFuture<Void> downloading = new CompletableFuture<>();
            engine.subscribe(e -> {
                if (e instanceof EngineEvent.StateChanged c && c.infoHash().hex().equals(hash) && c.status().state() == TorrentState.DOWNLOADING) {
                    downloading.complete(null);
                }
            });
            if (play) {
                engine.fileStreaming().orElseThrow().prepareStream(hash, 0);
            }
            engine.startWithChoice(hash, chosen.toString(), Set.of());
            await(downloading, "the start");
            // The picker and its deadlines are made in one task on the torrent's loop, before it goes DOWNLOADING.
            return EngineFixtures.timeCriticalPieces(t);
        }
    }
}
