package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MagnetLink;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.StateHistory;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three of our engines on 127.0.0.1: one seeds, two download from it at the same time. */
class EngineLoopbackTest {

    @TempDir
    Path root;

    @Test
    void twoEnginesDownloadFromOneSeederByteIdentical() throws Exception {
        Path content = root.resolve("content");
        // Several MiB over 4 files; 64 KiB pieces; the last piece is short (odd total).
        TorrentInfo info = TestTorrents.multiFile(content, "album", 64 * 1024, 1_500_000, 3_000_001, 0, 2_345_678);
        assertTrue(info.totalLength() % info.pieceLength() != 0, "the final piece must be short");

        try (Engine seeder = Engine.start(loopback(root, "seeder"));
                // No PEX: the seeder would introduce the downloaders to each other (BEP 11).
                Engine first = Engine.start(EngineFixtures.loopbackWithoutPex(root, "first"));
                Engine second = Engine.start(EngineFixtures.loopbackWithoutPex(root, "second"))) {
            Torrent seeding = seeder.add(info, content, List.of(), AddOptions.defaults());
            await(seeding.completion(), "the seeder's check of its data");
            assertEquals(TorrentState.SEEDING, seeding.state());

            Path dirA = root.resolve("a");
            Path dirB = root.resolve("b");
            Torrent a = first.add(info, dirA, List.of(), AddOptions.defaults());
            Torrent b = second.add(info, dirB, List.of(), AddOptions.defaults());
            a.addPeer(addressOf(seeder));
            b.addPeer(addressOf(seeder));
            long start = System.nanoTime();
            await(a.completion(), "first download");
            await(b.completion(), "second download");
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("loopback: 2 x %.1f MiB in %.2f s%n", info.totalLength() / 1048576.0, seconds);

            assertEquals(TorrentState.SEEDING, a.state());
            assertEquals(TorrentState.SEEDING, b.state());
            assertEquals(info.totalLength(), a.verifiedBytes());
            // Neither downloader knows the other, so every byte came from the seeder.
            assertTrue(seeding.uploadedBytes() >= 2 * info.totalLength(), "the seeder served both copies");
        }
        // After close, resume data is on disk and the files are complete.
        assertSameFiles(info, content, root.resolve("a"));
        assertSameFiles(info, content, root.resolve("b"));
    }

    @Test
    void twoTorrentsInOneEngineShareItsBoundOnPiecesInProgress() throws Exception {
        int pieceLength = 64 * 1024;
        TorrentInfo one = TestTorrents.multiFile(root.resolve("c1"), "one", pieceLength, 2_000_000, 1_111_111);
        TorrentInfo two = TestTorrents.multiFile(root.resolve("c2"), "two", pieceLength, 3_000_003);
        long bound = 2L * pieceLength;
        try (Engine seeder = Engine.start(loopback(root, "seeder"));
                Engine leecher = Engine.start(loopback(root, "leecher").toBuilder().maxAssemblyBytes(bound).build())) {
            await(seeder.add(one, root.resolve("c1"), List.of(), AddOptions.defaults()).completion(), "seeding one");
            await(seeder.add(two, root.resolve("c2"), List.of(), AddOptions.defaults()).completion(), "seeding two");
            Torrent a = leecher.add(one, root.resolve("d1"), List.of(), AddOptions.defaults());
            Torrent b = leecher.add(two, root.resolve("d2"), List.of(), AddOptions.defaults());
            a.addPeer(addressOf(seeder));
            b.addPeer(addressOf(seeder));
            await(a.completion(), "download one");
            await(b.completion(), "download two");

            AssemblyBudget budget = leecher.assemblyBudget();
            assertTrue(budget.peak() >= pieceLength, "the pieces in progress were counted: " + budget.peak());
            // Unbounded, each torrent's peer would have had tens of pieces under way (a queue of up to
            // 500 blocks); the bound lets each torrent past it by one piece at most.
            assertTrue(budget.peak() <= bound + 2L * pieceLength, "peak " + budget.peak() + " over the bound");
            assertEquals(0, budget.total(), "every piece verified, nothing left counted");
        }
        assertSameFiles(one, root.resolve("c1"), root.resolve("d1"));
        assertSameFiles(two, root.resolve("c2"), root.resolve("d2"));
    }

    @Test
    void magnetDownloadFetchesMetadataFromOurSeederThenTheData() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "magnet", 32 * 1024, 400_000, 123_457);
        try (Engine seeder = Engine.start(loopback(root, "seeder"));
                Engine leecher = Engine.start(loopback(root, "leecher"))) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "seeder's check");
            MagnetLink magnet = MagnetParser.parse("magnet:?xt=urn:btih:" + info.infoHash().hex()
                    + "&x.pe=127.0.0.1:" + addressOf(seeder).getPort());
            try (StateHistory history = StateHistory.of(leecher, info.infoHash().hex())) {
                Torrent t = leecher.addMagnet(magnet, root.resolve("m"), AddOptions.defaults());
                await(t.completion(), "magnet download");
                assertEquals(info.infoHash(), t.info().infoHash());
                assertEquals(info.totalLength(), t.verifiedBytes());
                // The metadata may be in before this thread could look: the path shows it was fetched.
                assertEquals(List.of(TorrentState.FETCHING_METADATA, TorrentState.CHECKING), history.states().subList(0, 2));
            }
        }
        assertSameFiles(info, content, root.resolve("m"));
    }

    @Test
    void metadataThatDoesNotHashToTheInfoHashIsRefused() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "x", 16 * 1024, 20_000);
        try (Engine engine = Engine.start(loopback(root, "e"))) {
            Torrent t = engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + "ab".repeat(20)), root.resolve("m"),
                    AddOptions.defaults());
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> t.setMetadata(info.infoBytes()).get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("does not hash"), e.getCause().getMessage());
            assertEquals(TorrentState.FETCHING_METADATA, t.state());
        }
    }

    @Test
    void v2OnlyMetadataUnderItsTruncatedSha256IsRefusedAsV2OnlyNotAsALie() throws Exception {
        Path corpus = dev.magnetar.metainfo.SharedCorpus.find("corpus/libtorrent-test-torrents");
        org.junit.jupiter.api.Assumptions.assumeTrue(corpus != null, "shared corpus absent");
        TorrentInfo v2 = dev.magnetar.metainfo.MetainfoParser.parse(java.nio.file.Files.readAllBytes(corpus.resolve("v2_only.torrent"))).info();
        try (Engine engine = Engine.start(loopback(root, "e"))) {
            // The truncated SHA-256 is how a v2-only torrent is known (BEP 52): this is its metadata, and the
            // user hears what is wrong with it (v2-only) rather than that peers sent something else.
            Torrent t = engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + v2.infoHash().hex()), root.resolve("m"),
                    AddOptions.defaults());
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> t.setMetadata(v2.infoBytes()).get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("v2-only"), e.getCause().getMessage());
        }
    }
}
