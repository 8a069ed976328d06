package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.ResumeData;
import dev.magnetar.storage.StorageExecutors;
import dev.magnetar.storage.TorrentStorage;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removing a torrent with its data, then adding it again at once: the removal's file deletion runs
 * after the torrent's files are closed, so a new copy added in between could have its fresh files
 * deleted under it. The engine refuses the add until the removal is done.
 */
class EngineRemoveTest {

    @TempDir
    Path root;

    @Test
    void aTorrentBeingRemovedCannotBeAddedAgainUntilItsFilesAreGone() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "again", 16 * 1024, 100_000);
        try (Engine engine = Engine.start(loopback(root, "e"))) {
            Torrent t = engine.add(info, content, List.of(), AddOptions.defaults());
            await(t.completion(), "the check of the data");

            // Hold both disk threads so the removal's close (which saves resume data on the disk
            // pool) stays in progress for as long as the test needs.
            StorageExecutors ex = engine.storageExecutors();
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(StorageExecutors.DEFAULT_DISK_THREADS);
            for (int i = 0; i < StorageExecutors.DEFAULT_DISK_THREADS; i++) {
                ex.disk().execute(() -> {
                    held.countDown();
                    awaitUninterruptibly(hold);
                });
            }
            awaitUninterruptibly(held);
            CompletableFuture<Void> removed = new CompletableFuture<>();
            try (AutoCloseable sub = engine.subscribe(e -> {
                if (e instanceof EngineEvent.TorrentRemoved) {
                    removed.complete(null);
                }
            })) {
                try {
                    engine.remove(info.infoHash().hex(), true);
                    EngineException refused = assertThrows(EngineException.class,
                            () -> engine.add(info, content, List.of(), AddOptions.defaults()));
                    assertTrue(refused.getMessage().contains("still being removed"), refused.getMessage());
                } finally {
                    hold.countDown();
                }
                await(removed, "the removal");
            }
            Path file = info.files().get(0).resolveIn(content);
            assertTrue(Files.notExists(file), "the removal deleted the data");
            // Once removed, the same torrent can be added again.
            Torrent again = engine.add(info, content, List.of(), AddOptions.defaults());
            assertTrue(again != t, "a new torrent, not the removed one");
        }
    }

    @Test
    void removingWithTheDataSyncsNothingAndKeepsNoResumeData() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "gone", 16 * 1024, 100_000);
        try (Engine engine = Engine.start(loopback(root, "e"))) {
            Torrent t = engine.add(info, content, List.of(), AddOptions.defaults());
            await(t.completion(), "the check of the data");
            TorrentStorage storage = t.storage();
            EngineFixtures.removeAndAwait(engine, info.infoHash().hex(), true);
            assertEquals(0, storage.dataSyncs(), "an fsync of data about to be deleted is wasted disk work");
            assertTrue(Files.notExists(info.files().get(0).resolveIn(content)), "the removal deleted the data");
            assertTrue(engine.resumeStore().load(info.infoHash()).isEmpty(), "nor does its resume data stay");
        }
    }

    @Test
    void removingButKeepingTheDataSyncsItForTheNextAdd() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "kept", 16 * 1024, 100_000);
        try (Engine engine = Engine.start(loopback(root, "e"))) {
            Torrent t = engine.add(info, content, List.of(), AddOptions.defaults());
            await(t.completion(), "the check of the data");
            TorrentStorage storage = t.storage();
            EngineFixtures.removeAndAwait(engine, info.infoHash().hex(), false);
            assertEquals(1, storage.dataSyncs(), "the close's save syncs once");
            ResumeData kept = engine.resumeStore().load(info.infoHash()).orElseThrow();
            assertTrue(kept.verified().isComplete() && kept.unsynced().isEmpty(), "every piece claimed, all synced");
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
