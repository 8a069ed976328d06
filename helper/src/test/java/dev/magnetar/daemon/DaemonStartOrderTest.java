package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.Engine;
import dev.magnetar.engine.TorrentControl;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine opens while the API's server starts, not before it: each is hundreds of milliseconds of
 * class loading on a cold JVM. The daemon announces itself as soon as its API listens, so a client's
 * first request is answered while the engine still opens (the torrent routes wait for it); an engine
 * that cannot open still fails the start and leaves nothing behind.
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
            assertTrue(engineMayOpen.await(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the test never let the engine open");
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

    /** A stop asked for through the API while the engine opens waits for the start to end, then closes everything. */
    @Test
    void aShutdownWhileTheEngineOpensStopsTheDaemonOnceTheStartEnds() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        CountDownLatch engineMayOpen = new CountDownLatch(1);
        Engine[] engine = new Engine[1];
        Daemon.EngineFactory offline = DaemonFixtures.offlineEngine(engine);
        Daemon.EngineFactory heldBack = (dataDir, s) -> {
            assertTrue(engineMayOpen.await(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the test never let the engine open");
            return offline.open(dataDir, s);
        };
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<Daemon> starting = starter.submit(() -> Daemon.start(new Daemon.Options(dir, 0, heldBack, DaemonFixtures.FAST_SCRYPT)));
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

    /** Waits for daemon.json (the start is still running: the engine is held back); fails if the start ended first. */
    private DaemonState awaitAnnounced(Future<Daemon> starting) throws Exception {
        long deadline = System.nanoTime() + DaemonApi.HANG_GUARD.toNanos();
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
                throw new AssertionError("the daemon was never announced while its engine was held back");
            }
            TimeUnit.MILLISECONDS.sleep(10); // polling interval, not synchronisation
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
