package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.WebSeedServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web seeds (BEP 19) in the engine: torrents made by libtorrent with {@code url-list}, served by a real
 * Jetty server on 127.0.0.1 that can be told to lie, be busy, redirect or mangle ranges.
 */
class WebSeedTest {

    private static final int PIECE = 64 * 1024;

    @TempDir
    Path root;

    private Path content;

    /** Three files of odd sizes under content/ws/ (libtorrent pads between them), and its torrent with {@code urls}. */
    private Metainfo libtorrentTorrent(String... urls) throws Exception {
        content = root.resolve("content");
        TestTorrents.multiFile(content, "ws", PIECE, 1_000_003, 2_500_001, 700_123);
        Path torrent = root.resolve("ws.torrent");
        List<String> command = new ArrayList<>(List.of(ExternalTools.requireLibtorrentPython().toString(),
                script("lt_make_web_seed_torrent.py"), content.resolve("ws").toString(), torrent.toString(),
                Integer.toString(PIECE)));
        command.addAll(List.of(urls));
        ExternalTools.Result made = ExternalTools.run(GUARD, command.toArray(String[]::new));
        assertEquals(0, made.exitCode(), made.toString());
        Metainfo m = MetainfoParser.parse(Files.readAllBytes(torrent));
        assertEquals(List.of(urls), m.webSeeds());
        assertTrue(m.info().files().stream().anyMatch(f -> f.padding()), "libtorrent's hybrid torrent has pad files");
        return m;
    }

    private static String script(String name) throws Exception {
        return Path.of(WebSeedTest.class.getResource("/interop/" + name).toURI()).toString();
    }

    private static WebSeedStatus seed(Torrent t, String url) {
        return t.webSeedStatuses().stream().filter(s -> s.url().equals(url)).findFirst().orElseThrow();
    }

    @Test
    void aWebSeedAloneCompletesAMultiFileDownloadWithinItsConnectionLimit() throws Exception {
        Path served = root.resolve("content");
        try (WebSeedServer server = new WebSeedServer(served);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String url = server.uri("/").toString();
            Metainfo m = libtorrentTorrent(url);
            long start = System.nanoTime();
            Torrent t = engine.add(m, root.resolve("ours"), AddOptions.defaults());
            await(t.completion(), "download from the web seed alone");
            Interop.printRate("web seed -> magnetar", m.info().totalLength(), start);
            assertSameFiles(m.info(), content, root.resolve("ours"));
            WebSeedStatus s = seed(t, url);
            assertEquals("ACTIVE", s.state());
            long dataBytes = m.info().files().stream().filter(f -> !f.padding()).mapToLong(f -> f.length()).sum();
            assertTrue(s.downloadedBytes() >= dataBytes, s.toString());
            assertTrue(server.maxInFlight() <= WebSeed.MAX_REQUESTS, "at most " + WebSeed.MAX_REQUESTS
                    + " requests at once, saw " + server.maxInFlight());
            assertTrue(server.paths().stream().noneMatch(p -> p.contains(".pad")), "pad files are never fetched");
        }
    }

    @Test
    void aMagnetsWsUrlServesThePiecesOnceTheMetadataIsKnown() throws Exception {
        Path served = root.resolve("content");
        try (WebSeedServer server = new WebSeedServer(served);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String url = server.uri("/").toString();
            Metainfo m = libtorrentTorrent(url);
            Torrent t = engine.addMagnet(dev.magnetar.metainfo.MagnetParser.parse("magnet:?xt=urn:btih:" + m.info().infoHash().hex()
                    + "&ws=" + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8)), root.resolve("ours"),
                    AddOptions.defaults());
            assertEquals(0, server.requests(), "a web seed serves no metadata: nothing is asked before it is known");
            // The metadata as BEP 9 would bring it from a peer; there is no peer, so every piece is the web seed's.
            t.setMetadata(m.info().infoBytes()).get(GUARD.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            await(t.completion(), "download from the magnet's web seed");
            assertSameFiles(m.info(), content, root.resolve("ours"));
            assertEquals(List.of(url), t.webSeedStatuses().stream().map(WebSeedStatus::url).toList());
            assertTrue(seed(t, url).downloadedBytes() > 0, seed(t, url).toString());
        }
    }

    @Test
    void aSingleFileTorrentFetchesTheUrlItself() throws Exception {
        var info = TestTorrents.singleFile(root.resolve("content"), "movie.bin", PIECE, 900_001);
        try (WebSeedServer server = new WebSeedServer(root.resolve("content"));
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String url = server.uri("/movie.bin").toString();
            Torrent t = engine.add(new Metainfo(info, List.of(), List.of(url), null, null, null), root.resolve("ours"),
                    AddOptions.defaults());
            await(t.completion(), "single-file download from a web seed");
            assertSameFiles(info, root.resolve("content"), root.resolve("ours"));
            assertTrue(server.paths().stream().allMatch(p -> p.equals("/movie.bin")), server.paths().toString());
        }
    }

    /** Two honest seeds, one of them slow: both deliver, each counted on its own. */
    @Test
    void severalSeedsShareTheDownloadEachWithItsOwnCount() throws Exception {
        Path served = root.resolve("content");
        try (WebSeedServer fast = new WebSeedServer(served);
                WebSeedServer slow = new WebSeedServer(served).throttle(1 << 20);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String fastUrl = fast.uri("/").toString();
            String slowUrl = slow.uri("/").toString();
            Metainfo m = libtorrentTorrent(fastUrl, slowUrl);
            Torrent t = engine.add(m, root.resolve("ours"), AddOptions.defaults());
            await(t.completion(), "download from two web seeds");
            assertSameFiles(m.info(), content, root.resolve("ours"));
            WebSeedStatus f = seed(t, fastUrl);
            WebSeedStatus s = seed(t, slowUrl);
            System.out.printf("fast seed %d bytes, slow seed %d bytes%n", f.downloadedBytes(), s.downloadedBytes());
            assertTrue(f.downloadedBytes() > 0 && s.downloadedBytes() > 0, f + " / " + s);
            long dataBytes = m.info().files().stream().filter(x -> !x.padding()).mapToLong(x -> x.length()).sum();
            assertTrue(f.downloadedBytes() + s.downloadedBytes() >= dataBytes, "every byte came from one of them");
        }
    }

    /** The url-list is not in the info dictionary (which the resume data keeps): the session list keeps it. */
    @Test
    void aRestartedEngineFetchesFromTheSameWebSeeds() throws Exception {
        Path served = root.resolve("content");
        EngineSettings settings = loopback(root, "ours").toBuilder().sessionFile(root.resolve("session.json")).build();
        // Busy for the first two requests, asking for an hour of patience: nothing arrives before the restart.
        try (WebSeedServer server = new WebSeedServer(served).busy(2, 3600)) {
            String url = server.uri("/").toString();
            Metainfo m = libtorrentTorrent(url);
            try (Engine engine = Engine.start(settings)) {
                Torrent t = engine.add(m, root.resolve("ours"), AddOptions.defaults());
                Interop.pollUntil(() -> server.requests() >= 2 && "BACKING_OFF".equals(t.webSeedStatuses().get(0).state()),
                        null, "the web seed resting for an hour");
                assertEquals(0, t.verifiedBytes());
            }
            try (Engine engine = Engine.start(settings)) {
                assertEquals(List.of(url), engine.sessionEntries().get(0).webSeeds());
                Torrent t = engine.torrents().get(0);
                await(t.resume(), "resume after the restart");
                await(t.completion(), "download from the web seed after a restart");
                assertEquals(url, t.webSeedStatuses().get(0).url());
                assertTrue(t.webSeedStatuses().get(0).downloadedBytes() > 0);
            }
            assertSameFiles(m.info(), content, root.resolve("ours"));
        }
    }

    /** The torrent's download limit holds for web seeds (the bound of {@code PauseAndLimitTest}: load only makes it looser). */
    @Test
    void theTorrentsDownloadLimitHoldsForWebSeeds() throws Exception {
        Path served = root.resolve("content");
        long limit = 512L << 10;
        long slack = 512L << 10; // the requests in flight when the bucket ran dry: two runs of a 64 KiB piece
        try (WebSeedServer server = new WebSeedServer(served);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            Metainfo m = libtorrentTorrent(server.uri("/").toString());
            Torrent t = engine.add(m, root.resolve("ours"), new AddOptions(null, true, false));
            t.setRateLimits(limit, 0);
            long start = System.nanoTime();
            await(t.resume(), "resume");
            await(t.completion(), "limited download from a web seed");
            double seconds = (System.nanoTime() - start) / 1e9;
            long granted = limit + (long) (limit * seconds);
            System.out.printf("web seed limited: %d bytes in %.2f s at %d B/s%n", t.downloadedBytes(), seconds, limit);
            assertTrue(t.downloadedBytes() <= granted + slack,
                    t.downloadedBytes() + " bytes in " + seconds + " s exceed the limit's " + granted + " + " + slack);
            assertSameFiles(m.info(), content, root.resolve("ours"));
        }
    }

    /**
     * The web seed lacks the last file (404: it backs off on those pieces), so the libtorrent seeder must
     * supply them; the seeder is added only once the web seed has delivered, so both contribute.
     */
    @Test
    void mixedWithALibtorrentSeederBothContribute() throws Exception {
        Path served = root.resolve("served");
        try (WebSeedServer server = new WebSeedServer(served);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String url = server.uri("/").toString();
            Metainfo m = libtorrentTorrent(url);
            Path torrentFile = root.resolve("ws.torrent");
            Files.createDirectories(served.resolve("ws"));
            Files.copy(content.resolve("ws/file-0.bin"), served.resolve("ws/file-0.bin"));
            Files.copy(content.resolve("ws/file-1.bin"), served.resolve("ws/file-1.bin"));
            try (ChildProcess seeder = ChildProcess.start(List.of(ExternalTools.requireLibtorrentPython().toString(),
                    script("lt_seed.py"), torrentFile.toString(), content.toString(), "0"), null)) {
                String ready = seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY");
                int port = Integer.parseInt(ready.substring(6).strip());
                Torrent t = engine.add(m, root.resolve("ours"), AddOptions.defaults());
                Interop.pollUntil(() -> t.webSeedStatuses().stream().anyMatch(s -> s.downloadedBytes() > 0), seeder, "the web seed delivering");
                t.addPeer(new InetSocketAddress("127.0.0.1", port));
                await(t.completion(), "download from a web seed and libtorrent");
                seeder.closeStdin();
                assertSameFiles(m.info(), content, root.resolve("ours"));
                long fromWebSeed = seed(t, url).downloadedBytes();
                long fromPeers = t.downloadedBytes() - fromWebSeed;
                System.out.printf("web seed %d bytes, libtorrent %d bytes%n", fromWebSeed, fromPeers);
                assertTrue(fromWebSeed > 0);
                assertTrue(fromPeers >= 700_123, "the last file came from the peer: " + fromPeers);
            }
        }
    }

    @Test
    void aLyingSeedIsBannedAndItsPiecesComeFromAnHonestOne() throws Exception {
        Path served = root.resolve("content");
        try (WebSeedServer liar = new WebSeedServer(served).mode(WebSeedServer.Mode.LIE);
                WebSeedServer honest = new WebSeedServer(served).throttle(4 << 20);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String liarUrl = liar.uri("/").toString();
            String honestUrl = honest.uri("/").toString();
            Metainfo m = libtorrentTorrent(liarUrl, honestUrl);
            List<EngineEvent> events = new CopyOnWriteArrayList<>();
            engine.subscribe(events::add);
            Torrent t = engine.add(m, root.resolve("ours"), AddOptions.defaults());
            await(t.completion(), "download despite a lying web seed");
            assertSameFiles(m.info(), content, root.resolve("ours"));
            WebSeedStatus lying = seed(t, liarUrl);
            assertEquals("DROPPED", lying.state());
            assertTrue(lying.lastError().contains("failed the hash check"), lying.lastError());
            assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.PieceFailed), "a piece failed its check");
            assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.PeerBanned), "the liar was banned");
            assertEquals("ACTIVE", seed(t, honestUrl).state());
        }
    }

    @Test
    void aBusySeedWaitsAsToldAndThenServesEverything() throws Exception {
        Path served = root.resolve("content");
        try (WebSeedServer server = new WebSeedServer(served).busy(3, 1);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String url = server.uri("/").toString();
            Metainfo m = libtorrentTorrent(url);
            Torrent t = engine.add(m, root.resolve("ours"), AddOptions.defaults());
            await(t.completion(), "download from a web seed that was busy first");
            assertSameFiles(m.info(), content, root.resolve("ours"));
            WebSeedStatus s = seed(t, url);
            assertEquals("ACTIVE", s.state());
            assertEquals(0, s.failures(), "a good reply clears the failures");
            assertTrue(s.lastError().contains("busy (HTTP 503)"), s.lastError());
        }
    }

    /**
     * Hostile and broken seeds beside an honest one: a non-http entry, a server ignoring ranges, one
     * claiming a terabyte for a range, one cutting bodies short, a redirect loop and a redirect from
     * loopback to a public address. The download completes from the honest one, byte for byte, and each
     * bad seed says what is wrong with it.
     */
    @Test
    void brokenAndHostileSeedsAreRefusedOrRestedWithAClearReason() throws Exception {
        Path served = root.resolve("content");
        try (WebSeedServer ignoring = new WebSeedServer(served).mode(WebSeedServer.Mode.IGNORE_RANGES);
                WebSeedServer huge = new WebSeedServer(served).mode(WebSeedServer.Mode.HUGE_LENGTH);
                WebSeedServer shortBodies = new WebSeedServer(served).mode(WebSeedServer.Mode.SHORT_BODY);
                WebSeedServer loop = new WebSeedServer(served).mode(WebSeedServer.Mode.REDIRECT_LOOP);
                WebSeedServer toPublic = new WebSeedServer(served).redirectTo("http://93.184.216.34");
                WebSeedServer honest = new WebSeedServer(served).throttle(4 << 20);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String ftp = "ftp://127.0.0.1/ws/";
            Metainfo m = libtorrentTorrent(ftp, ignoring.uri("/").toString(), huge.uri("/").toString(),
                    shortBodies.uri("/").toString(), loop.uri("/").toString(), toPublic.uri("/").toString(),
                    honest.uri("/").toString());
            Torrent t = engine.add(m, root.resolve("ours"), AddOptions.defaults());
            await(t.completion(), "download beside broken web seeds");
            assertSameFiles(m.info(), content, root.resolve("ours"));

            assertRefused(t, ftp, "http and https web seeds only");
            // Each bad seed asked at least once at the start; its verdict may land after the honest one finished.
            Interop.pollUntil(() -> seed(t, huge.uri("/").toString()).lastError() != null
                    && seed(t, shortBodies.uri("/").toString()).lastError() != null
                    && seed(t, loop.uri("/").toString()).lastError() != null
                    && seed(t, toPublic.uri("/").toString()).lastError() != null, null, "every bad seed's verdict",
                    Duration.ofSeconds(60));
            assertRefused(t, huge.uri("/").toString(), "declared 1099511627776 bytes");
            assertRefused(t, toPublic.uri("/").toString(), "to a public one");
            assertTrue(seed(t, shortBodies.uri("/").toString()).lastError().contains("bytes asked for, then failed"),
                    seed(t, shortBodies.uri("/").toString()).toString());
            assertTrue(seed(t, loop.uri("/").toString()).lastError().contains("redirected more than 5 times"),
                    seed(t, loop.uri("/").toString()).toString());
            WebSeedStatus ignoringStatus = seed(t, ignoring.uri("/").toString());
            assertTrue(ignoringStatus.state().equals("ACTIVE") || ignoringStatus.lastError().contains("ignores HTTP range"),
                    "a server ignoring ranges serves a file's head, and is dropped for the rest: " + ignoringStatus);
        }
    }

    private static void assertRefused(Torrent t, String url, String reason) {
        WebSeedStatus s = seed(t, url);
        assertEquals("DROPPED", s.state(), s.toString());
        assertTrue(s.lastError().contains(reason), s.lastError());
    }
}
