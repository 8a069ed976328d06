package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.Engine;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine opens while the API's server starts, not before it: each is hundreds of milliseconds of
 * class loading on a cold JVM. The daemon still announces itself only once both are up, and an engine
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
