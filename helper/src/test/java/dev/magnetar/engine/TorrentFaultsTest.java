package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.StateHistory;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import dev.magnetar.tracker.EmbeddedTracker;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a user meets, against real engines on loopback: data deleted or truncated under a running
 * torrent, files missing at start, a full disk, a folder that cannot be written. Each ends in ERROR
 * with a message that says what to do, never in SEEDING without the data, and each can be left
 * without restarting the helper.
 */
class TorrentFaultsTest {

    private static final int PIECE = 64 * 1024;

    @TempDir
    Path root;

    @Test
    void aFolderDeletedMidDownloadStopsTheTorrentWithFilesMissingAndResumeDownloadsItAgain() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "deleted", PIECE, 6_000_000, 21);
        Path dl = root.resolve("dl");
        // Limited so that the download is surely unfinished when its folder goes.
        try (Engine seeder = Engine.start(loopback(root, "seeder").toBuilder().rateLimits(0, 1L << 20).build());
                Engine leecher = Engine.start(loopback(root, "leecher"));
                StateHistory history = StateHistory.of(leecher, info.infoHash().hex())) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
            Torrent t = leecher.add(info, dl, List.of(), AddOptions.defaults());
            CompletableFuture<Void> error = stateReached(t, TorrentState.ERROR);
            CompletableFuture<Void> part = verifiedAtLeast(t, info.totalLength() * 3 / 10);
            t.addPeer(addressOf(seeder));
            await(part, "30 % of the download");

            deleteRecursively(dl);

            await(error, "the deleted folder noticed");
            assertTrue(t.error().startsWith("files missing: "), t.error());
            assertTrue(t.error().contains("resume"), "says what to do: " + t.error());
            assertFalse(history.states().contains(TorrentState.SEEDING), "never SEEDING without the data: " + history.states());

            seeder.setRateLimits(0, 0);
            CompletableFuture<Void> seeding = stateReached(t, TorrentState.SEEDING);
            leecher.resume(info.infoHash().hex()); // what POST .../resume calls
            await(seeding, "the download again after resume");
            assertEquals(info.totalLength(), t.verifiedBytes());
            assertEquals(null, t.error());
            await(t.completion(), "a completion that tells of the download after the error");
        }
        assertSameFiles(info, content, dl);
    }

    @Test
    void aFolderDeletedWhileSeedingIsNoticedAndTheTrackerNoLongerListsUs() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "seeded", PIECE, 1_000_000, 22);
        try (EmbeddedTracker tracker = InteropTorrent.quickTracker();
                Engine seeder = Engine.start(loopback(root, "seeder"))) {
            Torrent t = seeder.add(info, content, List.of(List.of(tracker.announceUri().toString())), AddOptions.defaults());
            await(t.completion(), "the seeder's check");
            Interop.pollUntil(() -> tracker.registry().peers(info.infoHash()).stream().anyMatch(p -> p.seeder()), null,
                    "the tracker lists us as a seed");
            CompletableFuture<Void> error = stateReached(t, TorrentState.ERROR);

            deleteRecursively(content);

            await(error, "the deleted folder noticed while seeding");
            assertTrue(t.error().startsWith("files missing: "), t.error());
            Interop.pollUntil(() -> tracker.registry().peers(info.infoHash()).isEmpty(), null,
                    "the tracker no longer lists us (we announced stopped)");
            assertEquals(TorrentState.ERROR, t.state());
        }
    }

    @Test
    void aFileTruncatedWhileSeedingIsNoticedAndARecheckKeepsWhatIsLeft() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "truncated", PIECE, 400_000, 700_000, 300_000);
        try (Engine seeder = Engine.start(loopback(root, "seeder"))) {
            Torrent t = seeder.add(info, content, List.of(), AddOptions.defaults());
            await(t.completion(), "the seeder's check");
            CompletableFuture<Void> error = stateReached(t, TorrentState.ERROR);
            Path middle = info.files().get(1).resolveIn(content);

            try (FileChannel ch = FileChannel.open(middle, StandardOpenOption.WRITE)) {
                ch.truncate(350_000);
            }

            await(error, "the truncated file noticed");
            assertTrue(t.error().startsWith("files missing: "), t.error());
            assertTrue(t.error().contains(info.files().get(1).displayPath() + ": 350000 of 700000 bytes"), t.error());

            CompletableFuture<Void> downloading = stateReached(t, TorrentState.DOWNLOADING);
            seeder.recheck(info.infoHash().hex()); // what POST .../recheck calls
            await(downloading, "the recheck");
            long intact = t.verifiedBytes();
            assertTrue(intact > 0 && intact < info.totalLength(), "the pieces outside the cut are kept: " + intact);
            assertEquals(null, t.error());
        }
    }

    /** Deleted while paused: resuming looks at the files first, and the torrent does not go back to SEEDING. */
    @Test
    void aFolderDeletedWhilePausedIsNoticedOnResume() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "paused", PIECE, 300_000, 26);
        try (Engine seeder = Engine.start(loopback(root, "seeder"));
                StateHistory history = StateHistory.of(seeder, info.infoHash().hex())) {
            Torrent t = seeder.add(info, content, List.of(), AddOptions.defaults());
            await(t.completion(), "the seeder's check");
            seeder.pause(info.infoHash().hex());
            await(stateReached(t, TorrentState.PAUSED), "paused");
            deleteRecursively(content);
            CompletableFuture<Void> error = stateReached(t, TorrentState.ERROR);

            seeder.resume(info.infoHash().hex());

            await(error, "the deleted folder noticed on resume");
            assertTrue(t.error().startsWith("files missing: paused: missing"), t.error());
            await(t.peerStatuses(), "a turn of its loop"); // the engine's subscribers have the change too
            assertEquals(List.of(TorrentState.CHECKING, TorrentState.SEEDING, TorrentState.PAUSED, TorrentState.ERROR),
                    history.states(), "straight from PAUSED to ERROR, never SEEDING without the data");
        }
    }

    @Test
    void filesMissingAtStartAreAnErrorAndResumeFetchesThemAgain() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "gone", PIECE, 2_000_000, 23);
        Path dl = root.resolve("dl");
        try (Engine seeder = Engine.start(loopback(root, "seeder"))) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
            try (Engine leecher = Engine.start(loopback(root, "leecher"))) {
                Torrent t = leecher.add(info, dl, List.of(), AddOptions.defaults());
                t.addPeer(addressOf(seeder));
                await(t.completion(), "the first download");
            }
            deleteRecursively(dl); // e.g. a drive that is not mounted this time

            try (Engine leecher = Engine.start(loopback(root, "leecher"))) { // same resume data
                Torrent t = leecher.add(info, dl, List.of(), AddOptions.defaults());
                await(stateReached(t, TorrentState.ERROR), "the missing files noticed at start");
                assertTrue(t.error().startsWith("files missing: gone: missing"), t.error());
                assertFalse(Files.exists(dl), "nothing was created in the missing folder's place");

                CompletableFuture<Void> seeding = stateReached(t, TorrentState.SEEDING);
                leecher.resume(info.infoHash().hex());
                t.addPeer(addressOf(seeder));
                await(seeding, "the download after resume");
            }
        }
        assertSameFiles(info, content, dl);
    }

    /**
     * A restart does not forget an error: the session list keeps no state of its own for it, the check
     * that found it runs again at start (the resume data still names the verified pieces), so the torrent
     * comes back in ERROR with the same message, never SEEDING for a moment without its data.
     */
    @Test
    void aTorrentStoppedForMissingFilesIsStillInErrorAfterARestart() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "restarted", PIECE, 400_000, 27);
        EngineSettings withSession = loopback(root, "seeder").toBuilder().sessionFile(root.resolve("session.json")).build();
        String before;
        try (Engine seeder = Engine.start(withSession)) {
            Torrent t = seeder.add(info, content, List.of(), AddOptions.defaults());
            await(t.completion(), "the seeder's check");
            CompletableFuture<Void> error = stateReached(t, TorrentState.ERROR);
            deleteRecursively(content);
            await(error, "the deleted folder noticed");
            before = t.error();
        }

        try (Engine seeder = Engine.open(withSession);
                StateHistory history = StateHistory.of(seeder, info.infoHash().hex())) {
            seeder.restoreSession();
            Torrent t = seeder.torrent(info.infoHash()).orElseThrow(() -> new AssertionError("not restored"));
            await(stateReached(t, TorrentState.ERROR), "the error found again at start");

            assertEquals(before, t.error(), "the same message as before the restart");
            await(t.peerStatuses(), "a turn of its loop"); // the engine's subscribers have the change too
            assertFalse(history.states().contains(TorrentState.SEEDING), "never SEEDING without the data: " + history.states());
            assertFalse(history.states().contains(TorrentState.DOWNLOADING), "nothing downloaded behind the error: " + history.states());
            assertFalse(Files.exists(content), "nothing was created in the missing folder's place");
        }
    }

    /** A full disk (a small tmpfs, so root only) stops the torrent; freeing space lets it go on, no restart, no click. */
    @Test
    void aFullDiskStopsTheTorrentAndItGoesOnByItselfOnceThereIsRoom() throws Exception {
        try (AlmostFullDisk disk = new AlmostFullDisk(root.resolve("small"))) {
            Path content = root.resolve("content");
            TorrentInfo info = TestTorrents.singleFile(content, "big", PIECE, 2_500_000, 24);
            Path dl = disk.dir().resolve("dl");
            try (Engine seeder = Engine.start(loopback(root, "seeder"));
                    Engine leecher = Engine.start(loopback(root, "leecher"))) {
                await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
                Torrent t = leecher.add(info, dl, List.of(), AddOptions.defaults());
                awaitStoppedByTheFullDisk(t, seeder, "the full disk");
                awaitGoingOnOnceThereIsRoom(t, info, disk);
                assertSameFiles(info, content, dl);
            }
        }
    }

    /** Restarted with the disk still full: the write that found it fails again, and room still lets it go on by itself. */
    @Test
    void aTorrentStoppedByAFullDiskIsStoppedAgainAfterARestartUntilThereIsRoom() throws Exception {
        try (AlmostFullDisk disk = new AlmostFullDisk(root.resolve("small"))) {
            Path content = root.resolve("content");
            TorrentInfo info = TestTorrents.singleFile(content, "big", PIECE, 2_500_000, 28);
            Path dl = disk.dir().resolve("dl");
            EngineSettings withSession = loopback(root, "leecher").toBuilder().sessionFile(root.resolve("session.json")).build();
            try (Engine seeder = Engine.start(loopback(root, "seeder"))) {
                await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
                try (Engine leecher = Engine.start(withSession)) {
                    Torrent t = leecher.add(info, dl, List.of(), AddOptions.defaults());
                    awaitStoppedByTheFullDisk(t, seeder, "the full disk");
                }

                try (Engine leecher = Engine.open(withSession)) {
                    leecher.restoreSession();
                    Torrent t = leecher.torrent(info.infoHash()).orElseThrow(() -> new AssertionError("not restored"));
                    awaitStoppedByTheFullDisk(t, seeder, "the disk still full after the restart");
                    awaitGoingOnOnceThereIsRoom(t, info, disk);
                }
            }
            assertSameFiles(info, content, dl);
        }
    }

    /** Gives {@code t} the seeder and waits for the write that finds the disk full to stop it, with what to do next. */
    private static void awaitStoppedByTheFullDisk(Torrent t, Engine seeder, String what) throws Exception {
        CompletableFuture<Void> error = stateReached(t, TorrentState.ERROR);
        t.addPeer(addressOf(seeder));
        await(error, what);
        assertTrue(t.error().contains("disk full") && t.error().contains("free space on"), t.error());
    }

    private static void awaitGoingOnOnceThereIsRoom(Torrent t, TorrentInfo info, AlmostFullDisk disk) throws Exception {
        CompletableFuture<Void> seeding = stateReached(t, TorrentState.SEEDING);
        disk.makeRoom();
        await(seeding, "the download going on by itself once there is room");
        assertEquals(info.totalLength(), t.verifiedBytes());
    }

    /** A 4 MiB tmpfs with 3 MiB taken, so a 2.5 MB download runs out of room part-way; unmounted at close. */
    private static final class AlmostFullDisk implements AutoCloseable {
        private final Path dir;
        private final Path filler;

        AlmostFullDisk(Path dir) throws Exception {
            this.dir = Files.createDirectories(dir);
            mountTmpfs(dir, "size=4m");
            this.filler = dir.resolve("filler");
            try {
                Files.write(filler, new byte[3 << 20]);
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        Path dir() {
            return dir;
        }

        void makeRoom() throws IOException {
            Files.delete(filler);
        }

        @Override
        public void close() throws Exception {
            run("umount", dir.toString());
        }
    }

    @Test
    void aFolderItCannotWriteIsRefusedBeforeAnyPieceIsDownloaded() throws Exception {
        Path readOnly = Files.createDirectories(root.resolve("read-only"));
        boolean mounted = isRoot();
        if (mounted) {
            mountTmpfs(readOnly, "ro,size=1m"); // root writes through permissions, not through a read-only mount
        } else {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            Path content = root.resolve("content");
            TorrentInfo info = TestTorrents.singleFile(content, "unwritable", PIECE, 500_000, 25);
            byte[] torrentFile = Files.readAllBytes(TorrentFiles.write(info, root.resolve("t.torrent")));
            AddOptions there = new AddOptions(readOnly.toString(), false, false);
            try (Engine seeder = Engine.start(loopback(root, "seeder"));
                    Engine engine = Engine.start(loopback(root, "leecher"))) {
                await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
                String magnet = "magnet:?xt=urn:btih:" + info.infoHash().hex() + "&x.pe=127.0.0.1:" + addressOf(seeder).getPort();

                UnusableDownloadFolderException m = assertThrows(UnusableDownloadFolderException.class,
                        () -> engine.addMagnet(magnet, there));
                assertTrue(m.getMessage().contains("cannot write to the download folder " + readOnly), m.getMessage());
                assertThrows(UnusableDownloadFolderException.class, () -> engine.addTorrentFile(torrentFile, there));
                assertTrue(engine.list().isEmpty(), "nothing was added");

                // The CLI adds without the API's check: the torrent stops before a single piece is asked for.
                Torrent t = engine.add(info, readOnly, List.of(), AddOptions.defaults());
                CompletableFuture<Void> error = stateReached(t, TorrentState.ERROR);
                t.addPeer(addressOf(seeder));
                await(error, "the unwritable folder noticed");
                assertTrue(t.error().contains("cannot write to the download folder"), t.error());
                assertEquals(0, t.downloadedBytes(), "no piece was downloaded");
            }
        } finally {
            if (mounted) {
                run("umount", readOnly.toString());
            } else {
                Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Completes when {@code t} is in {@code state} (now or later). */
    private static CompletableFuture<Void> stateReached(Torrent t, TorrentState state) {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        t.addListener(e -> {
            if (e instanceof EngineEvent.StateChanged c && c.current() == state) {
                reached.complete(null);
            }
        });
        if (t.state() == state) {
            reached.complete(null);
        }
        return reached;
    }

    private static CompletableFuture<Void> verifiedAtLeast(Torrent t, long bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        t.addListener(e -> {
            if (e instanceof EngineEvent.PieceVerified && t.verifiedBytes() >= bytes) {
                done.complete(null);
            }
        });
        return done;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Mounts a tmpfs at {@code dir}; skips the test (with why) where that is not allowed. */
    private static void mountTmpfs(Path dir, String options) throws Exception {
        Assumptions.assumeTrue(isRoot(), "mounting a small tmpfs needs root; run as root to test a full or read-only disk");
        int exit = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        Assumptions.assumeTrue(exit == 0, "cannot mount a tmpfs here (exit " + exit + "); no full or read-only disk to test with");
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
