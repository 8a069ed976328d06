package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine with a session file brings its torrents back after a restart; one without does not. */
class SessionRestartTest {

    /** Nothing listens there: announces fail at once, and no test traffic leaves 127.0.0.1. */
    private static final String TRACKER = "http://127.0.0.1:9/announce";
    private static final String BACKUP_TRACKER = "udp://127.0.0.1:9";

    @TempDir
    Path root;

    private EngineSettings withSession(String name) {
        return loopback(root, name).toBuilder().sessionFile(root.resolve(name + "-session.json")).build();
    }

    @Test
    void pausedTorrentMagnetAndTrackedTorrentComeBackAsTheyWere() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo paused = TestTorrents.singleFile(content, "paused", 16 * 1024, 50_000, 1);
        TorrentInfo tracked = TestTorrents.singleFile(content, "tracked", 16 * 1024, 70_000, 2);
        String magnetHash = "0123456789abcdef0123456789abcdef01234567";
        String magnetUri = "magnet:?xt=urn:btih:" + magnetHash + "&dn=wanted&tr=" + TRACKER;
        List<List<String>> tiers = List.of(List.of(TRACKER), List.of(BACKUP_TRACKER));
        Path magnetDir = root.resolve("magnet-dir");

        try (Engine engine = Engine.start(withSession("e"))) {
            Torrent p = engine.add(paused, content, List.of(), new AddOptions(null, true, false));
            Torrent t = engine.add(tracked, content, tiers, new AddOptions(null, false, true));
            engine.addMagnet(MagnetParser.parse(magnetUri), magnetDir, AddOptions.defaults());
            // Their storage is open (so resume data with the info dictionary is written at close).
            await(p.completion(), "the paused torrent's check");
            await(t.completion(), "the tracked torrent's check");
        }

        try (Engine engine = Engine.start(withSession("e"))) {
            Map<String, Torrent> back = engine.torrents().stream()
                    .collect(Collectors.toMap(t -> t.infoHash().hex(), Function.identity()));
            assertEquals(Set.of(paused.infoHash().hex(), tracked.infoHash().hex(), magnetHash), back.keySet());

            Torrent p = back.get(paused.infoHash().hex());
            await(p.completion(), "the restored paused torrent's check");
            await(p.peerStatuses(), "a turn of its loop"); // after the restore's pause ran
            assertEquals(TorrentState.PAUSED, p.state());
            assertEquals(paused.infoHash(), p.info().infoHash(), "metadata from the resume data");
            assertEquals(content.toAbsolutePath().normalize(), p.downloadDir());

            Torrent t = back.get(tracked.infoHash().hex());
            await(t.completion(), "the restored tracked torrent's check");
            assertNotNull(t.info());
            assertEquals(List.of(TRACKER, BACKUP_TRACKER), t.trackerStatuses().stream().map(TrackerStatus::url).toList());
            assertEquals(tracked.totalLength(), t.verifiedBytes(), "its data counts as verified again");

            Torrent m = back.get(magnetHash);
            assertEquals(TorrentState.FETCHING_METADATA, m.state());
            assertNull(m.info());
            assertEquals("wanted", m.name());
            assertEquals(magnetDir.toAbsolutePath().normalize(), m.downloadDir());
            assertEquals(List.of(TRACKER), m.trackerStatuses().stream().map(TrackerStatus::url).toList());

            Map<String, SessionEntry> entries = engine.sessionEntries().stream()
                    .collect(Collectors.toMap(SessionEntry::infoHash, Function.identity()));
            assertTrue(entries.get(paused.infoHash().hex()).paused());
            assertFalse(entries.get(tracked.infoHash().hex()).paused());
            assertTrue(entries.get(tracked.infoHash().hex()).sequential(), "sequential mode is kept");
            SessionEntry magnetEntry = entries.get(magnetHash);
            assertFalse(magnetEntry.metadataKnown());
            assertEquals(MagnetParser.parse(magnetUri), MagnetParser.parse(magnetEntry.magnet()), "the magnet is kept");
        }
    }

    /**
     * The daemon opens the engine, attaches the speed economy once its wallet's chain is up, then
     * restores: a torrent takes its economy when it is created, so restoring first would leave the
     * torrents of the last session without the speed economy.
     */
    @Test
    void anOpenedEngineRestoresOnlyWhenAskedAndOnceWithTheEconomySetBefore() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "kept", 16 * 1024, 40_000, 4);
        try (Engine engine = Engine.start(withSession("e"))) {
            await(engine.add(info, content, List.of(), new AddOptions(null, true, false)).completion(), "the check");
        }
        List<InfoHash> attached = new CopyOnWriteArrayList<>();
        try (Engine engine = Engine.open(withSession("e"))) {
            assertTrue(engine.torrent(info.infoHash()).isEmpty(), "open alone restores nothing");
            engine.setEconomy(t -> {
                attached.add(t.infoHash());
                return TorrentEconomy.NONE;
            });
            engine.restoreSession();
            engine.restoreSession();
            assertTrue(engine.torrent(info.infoHash()).isPresent(), "restored");
            assertEquals(List.of(info.infoHash()), attached, "restored once, with the economy set before");
        }
    }

    @Test
    void pauseResumeAndSequentialChangesArePersisted() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "toggled", 16 * 1024, 40_000, 3);
        try (Engine engine = Engine.start(withSession("e"))) {
            Torrent t = engine.add(info, content, List.of(), AddOptions.defaults());
            await(t.completion(), "the check");
            engine.pause(info.infoHash().hex());
            engine.setSequential(info.infoHash().hex(), true);
        }
        try (Engine engine = Engine.start(withSession("e"))) {
            SessionEntry e = engine.sessionEntries().get(0);
            assertTrue(e.paused());
            assertTrue(e.sequential());
            engine.resume(info.infoHash().hex());
        }
        try (Engine engine = Engine.start(withSession("e"))) {
            assertFalse(engine.sessionEntries().get(0).paused(), "resumed before the last restart");
            Torrent t = engine.torrents().get(0);
            await(t.completion(), "the check");
            await(t.peerStatuses(), "a turn of its loop");
            assertEquals(TorrentState.SEEDING, t.state());
        }
    }

    @Test
    void perTorrentRateLimitsComeBackAfterARestart() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "limited", 16 * 1024, 40_000, 5);
        try (Engine engine = Engine.start(withSession("e"))) {
            Torrent t = engine.add(info, content, List.of(), AddOptions.defaults());
            await(t.completion(), "the check");
            engine.setRateLimits(info.infoHash().hex(), new RateLimits(300_000, 70_000)); // the API's way in
        }
        try (Engine engine = Engine.start(withSession("e"))) {
            Torrent t = engine.torrents().get(0);
            assertEquals(300_000, t.downloadLimiter().bytesPerSecond());
            assertEquals(70_000, t.uploadLimiter().bytesPerSecond());
            assertEquals(new RateLimits(300_000, 70_000), engine.detail(info.infoHash().hex()).orElseThrow().limits());
            t.setRateLimits(0, 0); // back to the global limit only
        }
        try (Engine engine = Engine.start(withSession("e"))) {
            Torrent t = engine.torrents().get(0);
            assertEquals(RateLimiter.UNLIMITED, t.downloadLimiter().bytesPerSecond());
            assertEquals(RateLimiter.UNLIMITED, t.uploadLimiter().bytesPerSecond());
            assertFalse(engine.sessionEntries().get(0).hasRateLimits());
        }
    }

    @Test
    void anInterruptedDownloadContinuesAfterRestartWithoutFetchingVerifiedPiecesAgain() throws Exception {
        Path content = root.resolve("content");
        int pieceLength = 64 * 1024;
        TorrentInfo info = TestTorrents.singleFile(content, "big", pieceLength, 6_000_000, 8);
        Path dl = root.resolve("dl");
        // Limited so that the download is surely unfinished when the leecher stops at a quarter.
        try (Engine seeder = Engine.start(loopback(root, "seeder").toBuilder().rateLimits(0, 1L << 20).build())) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");

            long verifiedAtClose;
            try (Engine leecher = Engine.start(withSession("leecher"))) {
                Torrent t = leecher.add(info, dl, List.of(), AddOptions.defaults());
                CompletableFuture<Void> quarter = quarterVerified(t, info);
                t.addPeer(EngineFixtures.addressOf(seeder));
                await(quarter, "a quarter of the download");
                leecher.close(); // saves resume data after the pieces in flight are written
                verifiedAtClose = t.verifiedBytes();
            }
            assertTrue(verifiedAtClose >= info.totalLength() / 4 && verifiedAtClose < info.totalLength(),
                    "stopped mid-download: " + verifiedAtClose + " of " + info.totalLength());

            seeder.setRateLimits(0, 0);
            try (Engine leecher = Engine.start(withSession("leecher"))) {
                Torrent t = leecher.torrent(info.infoHash()).orElseThrow(() -> new AssertionError("not restored"));
                t.addPeer(EngineFixtures.addressOf(seeder)); // no tracker in this test: the peer is given again
                await(t.completion(), "the continued download");
                assertEquals(info.totalLength(), t.verifiedBytes());
                System.out.printf("restart: %d of %d bytes verified before, %d downloaded after%n",
                        verifiedAtClose, info.totalLength(), t.downloadedBytes());
                // Only what was missing came over the wire, give or take a few pieces (end-game duplicates).
                long missing = info.totalLength() - verifiedAtClose;
                assertTrue(t.downloadedBytes() <= missing + 4L * pieceLength,
                        "downloaded " + t.downloadedBytes() + " bytes after the restart, but only " + missing + " were missing");
            }
        }
        EngineFixtures.assertSameFiles(info, content, dl);
    }

    @Test
    void aMagnetStoppedMidDownloadReconnectsToItsXPePeersAfterARestart() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "lan", 64 * 1024, 4_000_000, 10);
        Path dl = root.resolve("dl");
        // Limited so that the download is surely unfinished when the leecher stops at a quarter.
        try (Engine seeder = Engine.start(loopback(root, "seeder").toBuilder().rateLimits(0, 1L << 20).build())) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
            String magnet = "magnet:?xt=urn:btih:" + info.infoHash().hex()
                    + "&x.pe=127.0.0.1:" + EngineFixtures.addressOf(seeder).getPort();
            long verifiedAtClose;
            try (Engine leecher = Engine.start(withSession("leecher"))) {
                Torrent t = leecher.addMagnet(MagnetParser.parse(magnet), dl, AddOptions.defaults());
                await(quarterVerified(t, info), "a quarter of the download");
                leecher.close();
                verifiedAtClose = t.verifiedBytes();
            }
            assertTrue(verifiedAtClose < info.totalLength(), "stopped mid-download: " + verifiedAtClose);
            seeder.setRateLimits(0, 0);
            try (Engine leecher = Engine.start(withSession("leecher"))) {
                Torrent t = leecher.torrent(info.infoHash()).orElseThrow(() -> new AssertionError("not restored"));
                assertNotNull(t.info(), "restored with its metadata");
                // No peer given by hand: the magnet's x.pe peer is the only one there is.
                await(t.completion(), "the continued download");
                assertEquals(info.totalLength(), t.verifiedBytes());
            }
        }
        EngineFixtures.assertSameFiles(info, content, dl);
    }

    /**
     * Every source of peers survives any number of restarts: the magnet (its x.pe peers and trackers)
     * once the metadata is known, the trackers, and peers added by hand. The first restart re-adds the
     * torrent from its resume data; the next ones must still find the magnet and the peers in the list.
     */
    @Test
    void theMagnetItsTrackersAndPeersAddedByHandSurviveThreeRestarts() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "sources", 16 * 1024, 60_000, 11);
        Path dl = root.resolve("dl");
        String byHand = "127.0.0.1:7"; // nothing listens: only the list is under test here
        try (Engine seeder = Engine.start(loopback(root, "seeder"))) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
            String magnet = "magnet:?xt=urn:btih:" + info.infoHash().hex() + "&tr=" + TRACKER
                    + "&x.pe=127.0.0.1:" + EngineFixtures.addressOf(seeder).getPort();
            try (Engine leecher = Engine.start(withSession("leecher"))) {
                Torrent t = leecher.addMagnet(MagnetParser.parse(magnet), dl, AddOptions.defaults());
                t.addPeer(Engine.parsePeer(byHand).orElseThrow());
                await(t.completion(), "the magnet download");
            }
            for (int restart = 1; restart <= 3; restart++) {
                try (Engine leecher = Engine.start(withSession("leecher"))) {
                    Torrent t = leecher.torrent(info.infoHash()).orElseThrow(() -> new AssertionError("not restored"));
                    assertNotNull(t.info(), "metadata from the resume data");
                    await(t.completion(), "the check after restart " + restart);
                    SessionEntry e = leecher.sessionEntries().get(0);
                    assertEquals(MagnetParser.parse(magnet), MagnetParser.parse(e.magnet()), "the magnet after restart " + restart);
                    assertEquals(List.of(List.of(TRACKER)), e.trackers(), "the trackers after restart " + restart);
                    assertEquals(List.of(byHand), e.peers(), "the peers added by hand after restart " + restart);
                    assertEquals(List.of(TRACKER), t.trackerStatuses().stream().map(TrackerStatus::url).toList());
                }
            }
        }
    }

    @Test
    void aMagnetWhoseMetadataArrivedComesBackWithItsMetadata() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "fetched", 16 * 1024, 60_000, 9);
        Path dl = root.resolve("dl");
        try (Engine seeder = Engine.start(loopback(root, "seeder"))) {
            await(seeder.add(info, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
            try (Engine leecher = Engine.start(withSession("leecher"))) {
                Torrent t = leecher.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + info.infoHash().hex()
                        + "&x.pe=127.0.0.1:" + EngineFixtures.addressOf(seeder).getPort()), dl, AddOptions.defaults());
                await(t.completion(), "the magnet download");
            }
        }
        // The seeder is gone: whatever comes back must come from our own disk.
        try (Engine leecher = Engine.start(withSession("leecher"))) {
            Torrent t = leecher.torrent(info.infoHash()).orElseThrow(() -> new AssertionError("not restored"));
            assertNotNull(t.info(), "the metadata came back from the resume data, not from peers");
            await(t.completion(), "the check of the restored data");
            assertEquals(info.totalLength(), t.verifiedBytes());
            assertEquals(0, t.downloadedBytes());
            assertTrue(leecher.sessionEntries().get(0).metadataKnown());
        }
    }

    @Test
    void removedTorrentsDoNotComeBack() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo kept = TestTorrents.singleFile(content, "kept", 16 * 1024, 30_000, 4);
        TorrentInfo gone = TestTorrents.singleFile(content, "gone", 16 * 1024, 30_000, 5);
        TorrentInfo goneWithData = TestTorrents.singleFile(root.resolve("other"), "gone2", 16 * 1024, 30_000, 6);
        String magnetHash = "89abcdef0123456789abcdef0123456789abcdef";
        try (Engine engine = Engine.start(withSession("e"))) {
            engine.add(kept, content, List.of(), AddOptions.defaults());
            engine.add(gone, content, List.of(), AddOptions.defaults());
            engine.add(goneWithData, root.resolve("other"), List.of(), AddOptions.defaults());
            engine.addMagnet("magnet:?xt=urn:btih:" + magnetHash, AddOptions.defaults());
            CompletableFuture<Void> removed = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            try (AutoCloseable sub = engine.subscribe(ev -> {
                if (ev instanceof EngineEvent.TorrentRemoved && count.incrementAndGet() == 3) {
                    removed.complete(null);
                }
            })) {
                engine.remove(gone.infoHash().hex(), false);
                engine.remove(goneWithData.infoHash().hex(), true);
                engine.remove(magnetHash, false);
                await(removed, "the removals");
            }
        }
        try (Engine engine = Engine.start(withSession("e"))) {
            assertEquals(List.of(kept.infoHash()), engine.torrents().stream().map(Torrent::infoHash).toList());
            assertTrue(Files.exists(content.resolve("gone")), "removing without deleting keeps the data");
        }
    }

    @Test
    void aCorruptSessionFileIsSetAsideAndTheEngineStartsEmpty() throws Exception {
        Path file = root.resolve("e-session.json");
        Files.writeString(file, "{\"version\":1,\"torrents\":[{\"infoHash\":");
        try (Engine engine = Engine.start(withSession("e"))) {
            assertTrue(engine.torrents().isEmpty());
            List<Path> aside;
            try (Stream<Path> files = Files.list(root)) {
                aside = files.filter(f -> f.getFileName().toString().startsWith("e-session.json.corrupt-")).toList();
            }
            assertEquals(1, aside.size(), "the corrupt file is kept aside");
            assertEquals("{\"version\":1,\"torrents\":[{\"infoHash\":", Files.readString(aside.get(0)));
            // The engine works and records new torrents in a fresh file.
            engine.addMagnet("magnet:?xt=urn:btih:" + "ab".repeat(20), AddOptions.defaults());
        }
        try (Engine engine = Engine.start(withSession("e"))) {
            assertEquals(1, engine.torrents().size());
        }
    }

    @Test
    void oneBadEntryIsSkippedAndTheOthersRestored() throws Exception {
        String good = "{\"infoHash\":\"" + "cd".repeat(20) + "\",\"name\":\"good\",\"magnet\":\"magnet:?xt=urn:btih:"
                + "cd".repeat(20) + "\",\"metadataKnown\":false,\"downloadDir\":\"" + root.resolve("dl")
                + "\",\"trackers\":[],\"paused\":true,\"sequential\":false}";
        String bad = "{\"infoHash\":\"not-a-hash\",\"downloadDir\":\"/x\",\"trackers\":[],\"metadataKnown\":true,"
                + "\"paused\":false,\"sequential\":false}";
        String alsoGood = good.replace("cd".repeat(20), "ef".repeat(20)).replace("\"good\"", "\"also\"");
        // Parses, but cannot be restored: its magnet names another torrent.
        String unusable = good.replaceFirst("\"infoHash\":\"" + "cd".repeat(20), "\"infoHash\":\"" + "12".repeat(20));
        Files.writeString(root.resolve("e-session.json"),
                "{\"version\":1,\"torrents\":[" + good + "," + bad + "," + unusable + "," + alsoGood + "]}");
        Set<String> restored = Set.of("cd".repeat(20), "ef".repeat(20));
        try (Engine engine = Engine.start(withSession("e"))) {
            assertEquals(restored, engine.torrents().stream().map(t -> t.infoHash().hex()).collect(Collectors.toSet()));
            Torrent t = engine.torrent(InfoHash.fromHex("cd".repeat(20))).orElseThrow();
            await(t.peerStatuses(), "a turn of its loop");
            assertEquals(TorrentState.PAUSED, t.state());
            assertEquals(restored, engine.sessionEntries().stream().map(SessionEntry::infoHash).collect(Collectors.toSet()),
                    "the unusable entry is dropped from the list");
        }
        try (Engine engine = Engine.start(withSession("e"))) {
            assertEquals(restored, engine.torrents().stream().map(t -> t.infoHash().hex()).collect(Collectors.toSet()));
        }
    }

    @Test
    void anEngineWithoutTheOptionRestoresNothing() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "one", 16 * 1024, 30_000, 7);
        try (Engine engine = Engine.start(withSession("e"))) {
            await(engine.add(info, content, List.of(), AddOptions.defaults()).completion(), "the check");
        }
        assertTrue(Files.exists(root.resolve("e-session.json")));
        // Same resume directory, same session file next to it, but the option off (the CLI's default).
        EngineSettings plain = loopback(root, "e");
        assertNull(plain.sessionFile());
        try (Engine engine = Engine.start(plain)) {
            assertTrue(engine.torrents().isEmpty());
        }
    }

    /** Completes once a quarter of {@code info} is verified in {@code t}. */
    private static CompletableFuture<Void> quarterVerified(Torrent t, TorrentInfo info) {
        CompletableFuture<Void> quarter = new CompletableFuture<>();
        t.addListener(ev -> {
            if (ev instanceof EngineEvent.PieceVerified && t.verifiedBytes() >= info.totalLength() / 4) {
                quarter.complete(null);
            }
        });
        return quarter;
    }
}
