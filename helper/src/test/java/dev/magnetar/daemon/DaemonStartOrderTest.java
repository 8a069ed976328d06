package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.api.Settings;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.TorrentControl;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine opens while the API's server starts, not before it: each is hundreds of milliseconds of
 * class loading on a cold JVM. The daemon announces itself as soon as its API listens; what needs the
 * engine or the last session's torrents waits for them (at most the start-up wait, then 503
 * HELPER_STARTING with Retry-After), so a client never mistakes a helper still starting for an empty
 * one. An engine that cannot open still fails the start and leaves nothing behind.
 */
class DaemonStartOrderTest {

    @TempDir
    Path dir;

    /** The engine's open waits for the API's port to accept a connection: started one after the other, this start would never end. */
    @Test
    void theApiServerStartsWhileTheEngineOpens() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        int apiPort = freePort();
        Daemon.EngineFactory offline = DaemonFixtures.offlineEngine(new Engine[1]);
        Daemon.EngineFactory afterTheApiListens = (dataDir, s) -> {
            awaitListening(apiPort);
            return offline.open(dataDir, s);
        };
        try (Daemon daemon = Daemon.start(new Daemon.Options(dir, apiPort, afterTheApiListens, DaemonFixtures.FAST_SCRYPT))) {
            DaemonApi api = new DaemonApi(daemon);
            assertEquals(apiPort, daemon.port());
            assertEquals(200, api.get("/api/v1/torrents").status(), "the torrent routes reach the opened engine");
            assertTrue(Files.exists(DaemonStateFile.defaultFile(dir)));
        }
    }

    @Test
    void theDaemonIsAnnouncedAndAnswersWhileTheEngineIsStillOpening() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        CountDownLatch engineMayOpen = new CountDownLatch(1);
        AtomicBoolean engineOpened = new AtomicBoolean();
        Daemon.EngineFactory offline = DaemonFixtures.offlineEngine(new Engine[1]);
        Daemon.EngineFactory heldBack = (dataDir, s) -> {
            awaitTheTest(engineMayOpen, "open the engine");
            TorrentControl engine = offline.open(dataDir, s);
            engineOpened.set(true);
            return engine;
        };
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<Daemon> starting = starter.submit(() -> Daemon.start(new Daemon.Options(dir, 0, heldBack, DaemonFixtures.FAST_SCRYPT)));
            DaemonState announced = awaitAnnounced(starting);
            DaemonApi api = new DaemonApi(announced.port(), dir);
            assertEquals(200, api.get("/api/v1/health").status(), "the API answers before the engine has opened");
            assertEquals(200, api.get("/api/v1/settings").status(), "so do routes that need no engine");
            assertFalse(engineOpened.get(), "the engine was still held back");
            engineMayOpen.countDown();
            try (Daemon daemon = starting.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                assertEquals(announced.port(), daemon.port());
                assertEquals(200, api.get("/api/v1/torrents").status(), "the torrent routes reach the engine once it is open");
            }
        } finally {
            engineMayOpen.countDown();
            starter.shutdownNow();
        }
    }

    /** A popup opened while the engine opens must show our peer port, not "none": the network route waits for the engine. */
    @Test
    void theNetworkRouteAskedWhileTheEngineOpensAnswersWithThePeerPortOnceItListens() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        CountDownLatch engineMayOpen = new CountDownLatch(1);
        Engine[] engine = new Engine[1];
        Daemon.EngineFactory heldBack = offlineEngineOpeningOnlyAfter(engineMayOpen, engine);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // A wait longer than any engine's open, however loaded the machine: the answer is the port, whenever it comes.
            Daemon.Options options = new Daemon.Options(dir, 0, heldBack, DaemonFixtures.FAST_SCRYPT).withStartupWait(DaemonApi.HANG_GUARD);
            Future<Daemon> starting = threads.submit(() -> Daemon.start(options));
            DaemonApi api = new DaemonApi(awaitAnnounced(starting).port(), dir);
            Future<DaemonApi.Answer> network = threads.submit(() -> api.get("/api/v1/network"));
            engineMayOpen.countDown();
            try (Daemon daemon = starting.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                DaemonApi.Answer answer = network.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, answer.status(), answer.toString());
                assertEquals(engine[0].listenAddress().getPort(), answer.json().path("peerPort").asInt(), answer.toString());
            }
        } finally {
            engineMayOpen.countDown();
            threads.shutdownNow();
        }
    }

    /** An engine that takes longer than the start-up wait: the network route says so with a 503 to retry, never a port of 0. */
    @Test
    void theNetworkRouteAnswers503WithRetryAfterWhileTheEngineTakesLongerThanTheWait() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        CountDownLatch engineMayOpen = new CountDownLatch(1);
        Daemon.EngineFactory heldBack = offlineEngineOpeningOnlyAfter(engineMayOpen, new Engine[1]);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Daemon.Options options = new Daemon.Options(dir, 0, heldBack, DaemonFixtures.FAST_SCRYPT).withStartupWait(SHORT_WAIT);
            Future<Daemon> starting = starter.submit(() -> Daemon.start(options));
            DaemonApi api = new DaemonApi(awaitAnnounced(starting).port(), dir);
            assertStarting(api.getResponse("/api/v1/network"));
            assertStarting(api.getResponse("/api/v1/torrents"));
            engineMayOpen.countDown();
            try (Daemon daemon = starting.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                DaemonApi.Answer answer = api.get("/api/v1/network");
                assertEquals(200, answer.status(), answer.toString());
                assertTrue(answer.json().path("peerPort").asInt() > 0, answer.toString());
            }
        } finally {
            engineMayOpen.countDown();
            starter.shutdownNow();
        }
    }

    /**
     * A player reconnecting to a restarted helper asks for its torrent at once: while the last session
     * comes back the answer waits for it and is the torrent, never a 404 that makes the player give up.
     */
    @Test
    void aTorrentAskedForWhileTheSessionComesBackIsAnsweredOnceItIsBackNever404() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        addPausedMagnetInAnEarlierDaemon();
        CountDownLatch mayRestore = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Daemon.Options options = new Daemon.Options(dir, 0, restoreHeldBack(mayRestore), DaemonFixtures.FAST_SCRYPT)
                    .withStartupWait(DaemonApi.HANG_GUARD);
            Future<Daemon> starting = threads.submit(() -> Daemon.start(options));
            DaemonApi api = new DaemonApi(awaitAnnounced(starting).port(), dir);
            Future<DaemonApi.Answer> detail = threads.submit(() -> api.get("/api/v1/torrents/" + HASH));
            Future<DaemonApi.Answer> list = threads.submit(() -> api.get("/api/v1/torrents"));
            mayRestore.countDown();
            try (Daemon daemon = starting.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                DaemonApi.Answer d = detail.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, d.status(), d.toString());
                assertEquals(HASH, d.json().path("status").path("infoHash").asText(), d.toString());
                DaemonApi.Answer l = list.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, l.status(), l.toString());
                assertTrue(l.toString().contains(HASH), "the list has the restored torrent: " + l);
            }
        } finally {
            mayRestore.countDown();
            threads.shutdownNow();
        }
    }

    /** A restore that takes longer than the wait: every torrent and stream route answers 503 to retry, nothing is 404 or added. */
    @Test
    void torrentRoutesAnswer503WithRetryAfterWhileTheSessionTakesLongerThanTheWait() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        addPausedMagnetInAnEarlierDaemon();
        CountDownLatch mayRestore = new CountDownLatch(1);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Daemon.Options options = new Daemon.Options(dir, 0, restoreHeldBack(mayRestore), DaemonFixtures.FAST_SCRYPT)
                    .withStartupWait(SHORT_WAIT);
            Future<Daemon> starting = starter.submit(() -> Daemon.start(options));
            DaemonApi api = new DaemonApi(awaitAnnounced(starting).port(), dir);
            assertStarting(api.getResponse("/api/v1/torrents/" + HASH));
            assertStarting(api.getResponse("/api/v1/torrents"));
            assertStarting(api.getResponse("/api/v1/streams"));
            DaemonApi.Answer grant = api.post("/api/v1/torrents/" + HASH + "/files/0/stream", "{}");
            assertEquals(503, grant.status(), grant.toString());
            assertEquals("HELPER_STARTING", grant.json().path("code").asText(), grant.toString());
            // The same torrent added while its restore is held back is refused to retry, not raced against the restore.
            DaemonApi.Answer add = api.post("/api/v1/torrents/magnet", "{\"uri\":\"magnet:?xt=urn:btih:" + HASH + "\"}");
            assertEquals(503, add.status(), add.toString());
            DaemonApi.Answer network = awaitPastStarting(api, "/api/v1/network");
            assertEquals(200, network.status(), "the network route needs the engine alone, not the session: " + network);
            mayRestore.countDown();
            try (Daemon daemon = starting.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                DaemonApi.Answer detail = api.get("/api/v1/torrents/" + HASH);
                assertEquals(200, detail.status(), detail.toString());
                assertTrue(detail.json().path("status").path("state").asText().equalsIgnoreCase("paused"), "restored as it was: " + detail);
            }
        } finally {
            mayRestore.countDown();
            starter.shutdownNow();
        }
    }

    /** A stop asked for through the API while the engine opens waits for the start to end, then closes everything. */
    @Test
    void aShutdownWhileTheEngineOpensStopsTheDaemonOnceTheStartEnds() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        CountDownLatch engineMayOpen = new CountDownLatch(1);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<Daemon> starting = startWithTheEngineHeldBack(starter, engineMayOpen);
            DaemonState announced = awaitAnnounced(starting);
            assertEquals(202, new DaemonApi(announced.port(), dir).post("/api/v1/shutdown", "{}").status());
            engineMayOpen.countDown();
            Daemon daemon = starting.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            daemon.awaitStopped();
            assertFalse(Files.exists(DaemonStateFile.defaultFile(dir)), "daemon.json goes with the stopped daemon");
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", announced.port()).close(), "the API's port is closed");
            // The lock was released and the engine that opened was closed with it: a new daemon starts in the same folder.
            try (Daemon next = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
                assertEquals(200, new DaemonApi(next).get("/api/v1/health").status());
            }
        } finally {
            engineMayOpen.countDown();
            starter.shutdownNow();
        }
    }

    @Test
    void anEngineThatCannotOpenFailsTheStartAndLeavesNoDaemonBehind() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Daemon.EngineFactory broken = (dataDir, s) -> {
            throw new IOException("the resume folder is not writable");
        };
        DaemonStartException failed = assertThrows(DaemonStartException.class,
                () -> Daemon.start(new Daemon.Options(dir, 0, broken, DaemonFixtures.FAST_SCRYPT)));
        assertTrue(failed.getMessage().contains("the resume folder is not writable"), failed.getMessage());
        assertFalse(Files.exists(DaemonStateFile.defaultFile(dir)), "no daemon.json for a daemon that did not start");
        // The lock and the API's port were released: a daemon with a working engine starts in the same folder.
        try (Daemon daemon = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            assertEquals(200, new DaemonApi(daemon).get("/api/v1/health").status());
        }
    }

    /**
     * The port is announced before the API's server has started (session 19): a client that connects in between
     * waits in the kernel's backlog and is answered by the finished server, its token check included.
     */
    @Test
    void aClientThatConnectsBeforeTheServerStartedIsAnsweredOnceItHas() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        CountDownLatch engineMayOpen = new CountDownLatch(1);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<Daemon> starting = startWithTheEngineHeldBack(starter, engineMayOpen);
            DaemonState announced = awaitAnnounced(starting);
            String token = ApiToken.read(Path.of(announced.tokenFile()));
            try (Socket withToken = sendHealth(announced.port(), token); Socket without = sendHealth(announced.port(), null)) {
                assertTrue(statusLine(withToken).startsWith("HTTP/1.1 200 "), "answered once the server runs");
                assertTrue(statusLine(without).startsWith("HTTP/1.1 401 "), "by the finished server, token check and all");
            }
            engineMayOpen.countDown();
            starting.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS).close();
        } finally {
            engineMayOpen.countDown();
            starter.shutdownNow();
        }
    }

    /**
     * A start that fails after the announcement (a damaged approvals file is read after it) says why, deletes
     * daemon.json and closes the port: a client that connected meanwhile gets no answer, not a half-started helper's.
     */
    @Test
    void aStartFailingAfterTheAnnouncementClosesTheWaitingClientAndDeletesDaemonJson() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Files.writeString(dir.resolve("approvals.json"), "{\"version\":");
        CountDownLatch engineMayOpen = new CountDownLatch(1);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<Daemon> starting = startWithTheEngineHeldBack(starter, engineMayOpen);
            DaemonState announced = awaitAnnounced(starting);
            // The failed start closes the port only once the held-back engine has opened and closed again, so this connection
            // is made while the port still listens.
            try (Socket waiting = sendHealth(announced.port(), ApiToken.read(Path.of(announced.tokenFile())))) {
                engineMayOpen.countDown();
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> starting.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
                assertTrue(failed.getCause() instanceof DaemonStartException, failed.getCause().toString());
                assertTrue(failed.getCause().getMessage().contains("approvals.json"), failed.getCause().getMessage());
                assertFalse(Files.exists(DaemonStateFile.defaultFile(dir)), "no daemon.json for a daemon that did not start");
                assertEquals("", statusLineOrNothing(waiting), "the waiting client was closed unanswered");
            }
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", announced.port()).close(), "the API's port is closed");
        } finally {
            engineMayOpen.countDown();
            starter.shutdownNow();
        }
    }

    /** A raw GET of the health route on a new connection (with the token unless null); the answer is read later. */
    private static Socket sendHealth(int port, String token) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout((int) DaemonApi.HANG_GUARD.toMillis());
        String auth = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
        s.getOutputStream().write(("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + auth + "Connection: close\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private static String statusLine(Socket s) throws IOException {
        String line = statusLineOrNothing(s);
        if (line.isEmpty()) {
            throw new AssertionError("the connection closed without an answer");
        }
        return line;
    }

    /** The answer's first line, or "" when the connection ends (or is reset) before any byte of an answer. */
    private static String statusLineOrNothing(Socket s) throws IOException {
        java.io.InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        try {
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
        } catch (java.net.SocketException reset) {
            // a reset before any byte is "no answer" as well
        }
        return line.toString().trim();
    }

    /** Far below any real start-up, so that a held-back stage always outlasts it. */
    private static final Duration SHORT_WAIT = Duration.ofMillis(200);
    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";

    private static void assertStarting(HttpResponse<String> r) {
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"HELPER_STARTING\""), r.body());
        assertEquals(Optional.of("1"), r.headers().firstValue("Retry-After"), "a 503 while starting says when to ask again");
    }

    /** A paused magnet in the session list of this folder, left by a daemon that has stopped. */
    private void addPausedMagnetInAnEarlierDaemon() throws Exception {
        try (Daemon earlier = Daemon.start(DaemonFixtures.offlineOptions(dir, new Engine[1]))) {
            DaemonApi.Answer added = new DaemonApi(earlier).post("/api/v1/torrents/magnet",
                    "{\"uri\":\"magnet:?xt=urn:btih:" + HASH + "&dn=kept\",\"paused\":true}");
            assertEquals(201, added.status(), added.toString());
        }
    }

    /** The real offline engine, whose last session comes back only once the test lets it. */
    private static Daemon.EngineFactory restoreHeldBack(CountDownLatch mayRestore) {
        Daemon.EngineFactory offline = DaemonFixtures.offlineEngine(new Engine[1]);
        return new Daemon.EngineFactory() {
            @Override
            public TorrentControl open(Path dataDir, Settings settings) throws Exception {
                return offline.open(dataDir, settings);
            }

            @Override
            public void restoreSession(Engine engine) {
                awaitTheTest(mayRestore, "restore the session");
                engine.restoreSession();
            }
        };
    }

    /** The offline engine (into {@code opened}), opened only once the test releases {@code mayOpen}. */
    /** Starts a daemon in {@code dir} on {@code starter} whose offline engine opens only once {@code engineMayOpen} is counted down. */
    private Future<Daemon> startWithTheEngineHeldBack(ExecutorService starter, CountDownLatch engineMayOpen) {
        Daemon.EngineFactory heldBack = offlineEngineOpeningOnlyAfter(engineMayOpen, new Engine[1]);
        return starter.submit(() -> Daemon.start(new Daemon.Options(dir, 0, heldBack, DaemonFixtures.FAST_SCRYPT)));
    }

    private static Daemon.EngineFactory offlineEngineOpeningOnlyAfter(CountDownLatch mayOpen, Engine[] opened) {
        Daemon.EngineFactory offline = DaemonFixtures.offlineEngine(opened);
        return (dataDir, s) -> {
            awaitTheTest(mayOpen, "open the engine");
            return offline.open(dataDir, s);
        };
    }

    private static void awaitTheTest(CountDownLatch latch, String what) {
        try {
            if (!latch.await(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the test never let the daemon " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while held back", e);
        }
    }

    /** GET {@code path} until it is no longer 503 HELPER_STARTING (a stage of the start it needs is not held back); that answer. */
    private static DaemonApi.Answer awaitPastStarting(DaemonApi api, String path) throws Exception {
        long deadline = System.nanoTime() + DaemonApi.HANG_GUARD.toNanos();
        while (true) {
            DaemonApi.Answer a = api.get(path);
            if (!"HELPER_STARTING".equals(a.json().path("code").asText())) {
                return a;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still starting after " + DaemonApi.HANG_GUARD + ": " + a);
            }
        }
    }

    /** Waits for daemon.json while the start still runs (a stage is held back); fails if the start ended first or never announced. */
    private DaemonState awaitAnnounced(Future<Daemon> starting) throws Exception {
        long deadline = System.nanoTime() + ANNOUNCE_GUARD.toNanos();
        while (true) {
            Optional<DaemonState> state = DaemonStateFile.read(DaemonStateFile.defaultFile(dir));
            if (state.isPresent()) {
                return state.get();
            }
            if (starting.isDone()) {
                starting.get(); // throws what ended the start
                throw new AssertionError("the start ended without announcing the daemon");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon was never announced while a stage of its start was held back");
            }
            TimeUnit.MILLISECONDS.sleep(10); // polling interval, not synchronisation
        }
    }

    /** How long an announcement may take on a loaded machine: the API alone, no engine, no session. */
    private static final Duration ANNOUNCE_GUARD = Duration.ofSeconds(60);

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the API never listened on " + port + " while the engine waited to open", notYet);
                }
                TimeUnit.MILLISECONDS.sleep(10); // polling interval, not synchronisation
            }
        }
    }
}
