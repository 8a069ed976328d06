package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A magnet added for the add dialog: metadata, then a wait with nothing on disk, then only the chosen file. */
class AddChoiceEngineTest {

    @TempDir
    Path root;

    @Test
    void aMagnetWaitsForTheChoiceAndThenDownloadsOnlyTheChosenFileIntoTheChosenFolder() throws Exception {
        Path content = root.resolve("content");
        int piece = 16 * 1024;
        // The first file ends on a piece boundary: no piece of the second one is needed for it.
        TorrentInfo info = TestTorrents.multiFile(content, "two-files", piece, 5L * piece, 50_000);
        String hash = info.infoHash().hex();
        Path defaultFolder = root.resolve("default");
        Path chosen = Files.createDirectories(root.resolve("chosen"));

        try (Engine seeder = Engine.start(loopback(root, "seeder"));
                Engine ours = Engine.start(loopback(root, "ours"))) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            ours.subscribe(e -> {
                if (e instanceof EngineEvent.StateChanged c && c.infoHash().hex().equals(hash) && c.status().state() == TorrentState.PAUSED) {
                    waiting.complete(null);
                }
            });
            Torrent t = ours.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + hash), defaultFolder,
                    new AddOptions(null, false, false, true));
            t.addPeer(addressOf(seeder));
            await(waiting, "the metadata, then the wait for the user's choice");

            assertTrue(t.awaitingChoice());
            assertEquals(info.infoHash(), t.info().infoHash(), "the metadata is known: the dialog can list the files");
            assertEquals(2, ours.detail(hash).orElseThrow().files().size());
            assertEquals(0, t.verifiedBytes());
            assertFalse(Files.exists(defaultFolder.resolve("two-files")), "no file was made before the choice");
            assertThrows(UnusableDownloadFolderException.class, () -> ours.startWithChoice(hash, root.resolve("nowhere").toString(), Set.of(1)));
            assertThrows(InvalidTorrentInputException.class, () -> ours.startWithChoice(hash, chosen.toString(), Set.of(7)));
            assertTrue(t.awaitingChoice(), "a refused choice changes nothing");

            ours.startWithChoice(hash, chosen.toString(), Set.of(1));
            await(t.completion(), "the chosen file's download");

            assertEquals(TorrentState.SEEDING, t.state());
            assertArrayEquals(Files.readAllBytes(content.resolve("two-files/file-0.bin")), Files.readAllBytes(chosen.resolve("two-files/file-0.bin")));
            assertFalse(Files.exists(chosen.resolve("two-files/file-1.bin")), "the skipped file was not downloaded");
            assertFalse(Files.exists(defaultFolder.resolve("two-files")));
            assertEquals(chosen.toString(), ours.detail(hash).orElseThrow().saveFolder());
            assertThrows(TorrentStateException.class, () -> ours.startWithChoice(hash, chosen.toString(), Set.of()), "started already");
        }
    }
}
