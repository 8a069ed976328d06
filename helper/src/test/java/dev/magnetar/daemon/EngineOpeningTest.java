package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.api.Settings;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineEvent;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API subscribes to the engine while its server starts, which is before the engine has opened now
 * that the daemon is announced as soon as its API listens: the subscription must not wait for the
 * engine, and must be in place before the daemon's start sees the engine open (it restores the last
 * session right after, and each restored torrent is an event).
 */
class EngineOpeningTest {

    private static final String HASH = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void aSubscriptionMadeWhileTheEngineOpensReturnsAtOnceAndSeesTheFirstTorrentAdded() throws Exception {
        CountDownLatch mayOpen = new CountDownLatch(1);
        Daemon.EngineFactory offline = DaemonFixtures.offlineEngine(new Engine[1]);
        EngineOpening opening = EngineOpening.begin(() -> {
            assertTrue(mayOpen.await(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the test never let the engine open");
            return offline.open(dir, Settings.defaults(dir.resolve("dl")));
        });
        CountDownLatch added = new CountDownLatch(1);
        AtomicInteger seenByClosed = new AtomicInteger();
        ExecutorService api = Executors.newSingleThreadExecutor();
        Engine engine = null;
        try {
            // On another thread, so that a subscription that waited for the engine fails this test instead of hanging it.
            Future<AutoCloseable> subscribing = api.submit(() -> opening.subscribe(e -> {
                if (e instanceof EngineEvent.TorrentAdded a && a.infoHash().hex().equals(HASH)) {
                    added.countDown();
                }
            }));
            AutoCloseable subscribed = subscribing.get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            AutoCloseable closedBeforeTheOpen = api.submit(() -> opening.subscribe(e -> seenByClosed.incrementAndGet()))
                    .get(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            closedBeforeTheOpen.close();
            mayOpen.countDown();
            engine = (Engine) opening.await();
            engine.addMagnet("magnet:?xt=urn:btih:" + HASH + "&dn=first", new AddOptions(null, true, false));
            assertTrue(added.await(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS),
                    "the torrent added right after the open reached the subscription made before it");
            subscribed.close();
            assertEquals(0, seenByClosed.get(), "a subscription closed before the open never began");
        } finally {
            mayOpen.countDown();
            api.shutdownNow();
            if (engine != null) {
                engine.close();
            }
        }
    }
}
