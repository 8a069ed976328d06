package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.ChildJvm;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code magnetar download} in a child JVM is killed (SIGKILL) mid-download and started again: it
 * finishes with the right bytes, and the pieces it had verified before the kill are not fetched
 * again — the seeder, which counts every byte it sends, sends little more than one copy.
 */
class KillAndResumeTest {

    private static final Pattern DOWNLOAD_PERCENT = Pattern.compile("^download \\[[#-]+\\] (\\d+)%");
    private static final long SEEDER_UPLOAD_LIMIT = 8L << 20;

    @TempDir
    Path root;

    @Test
    void killedDownloadResumesWithoutRefetchingVerifiedPieces() throws Exception {
        Path content = root.resolve("content");
        int pieceLength = 256 * 1024;
        TestTorrents.multiFile(content, "big", pieceLength, 42_000_000, 27_000_123);
        byte[] torrentBytes = TorrentCreator.create(content.resolve("big"),
                new TorrentCreator.Options(List.of(), pieceLength, false, null, "Magnetar test", null), n -> { });
        Path torrentFile = root.resolve("big.torrent");
        Files.write(torrentFile, torrentBytes);
        Metainfo metainfo = MetainfoParser.parse(torrentBytes);
        long total = metainfo.info().totalLength();
        assertTrue(total >= 64L << 20);

        // The seeder's upload is limited so that the child is surely mid-download when it is killed.
        try (Engine seeder = Engine.start(loopback(root, "seeder").toBuilder().rateLimits(0, SEEDER_UPLOAD_LIMIT).build())) {
            Torrent seeding = seeder.add(metainfo, content, AddOptions.defaults());
            await(seeding.completion(), "seeder's check");
            Path target = root.resolve("target");
            List<String> command = downloadCommand(torrentFile, target, root.resolve("resume"),
                    "127.0.0.1:" + addressOf(seeder).getPort());

            int percentAtKill;
            try (ChildProcess first = ChildProcess.startMerged(command)) {
                String line = first.awaitLine(l -> percent(l) >= 30, GUARD, "progress of at least 30 %");
                percentAtKill = percent(line);
                first.process().destroyForcibly(); // kill -9: no shutdown hook, no final resume save
                first.waitFor(GUARD);
            }
            assertTrue(percentAtKill < 100, "killed mid-download, at " + percentAtKill + " %");
            long uploadedBeforeRestart = seeding.uploadedBytes();

            try (ChildProcess second = ChildProcess.startMerged(command)) {
                int exit = second.waitFor(GUARD);
                assertEquals(0, exit, "the resumed download completes; output:\n" + second.stdout());
            }
            long uploaded = seeding.uploadedBytes();
            System.out.printf("kill at %d %%: seeder sent %.1f MiB before, %.1f MiB in all, for %.1f MiB%n",
                    percentAtKill, uploadedBeforeRestart / 1048576.0, uploaded / 1048576.0, total / 1048576.0);
            // Lost at the kill: what the seeder had sent but the child had not yet verified — requests in
            // flight (the queue is capped at 500 blocks = 8 MiB; socket buffers hold part of it) plus
            // partly assembled pieces and pieces still being hashed (16 pieces). Re-downloading the
            // verified pieces would cost ≥ 30 % of the torrent (≥ 19 MiB), well above this margin.
            long margin = (500L * 16 * 1024) + 16L * pieceLength;
            assertTrue(margin < total * 3 / 10, "the margin must stay below what a re-download would cost");
            assertTrue(uploaded <= total + margin,
                    "seeder sent " + uploaded + " bytes for a " + total + "-byte torrent: verified pieces were fetched again");
            assertSameFiles(metainfo.info(), content, target);
        }
    }

    private static int percent(String line) {
        Matcher m = DOWNLOAD_PERCENT.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static List<String> downloadCommand(Path torrent, Path dir, Path resumeDir, String peer) {
        return ChildJvm.command("dev.magnetar.cli.Main", "download", torrent.toString(), "--dir", dir.toString(),
                "--peer", peer, "--bind", "127.0.0.1", "--resume-dir", resumeDir.toString());
    }
}
