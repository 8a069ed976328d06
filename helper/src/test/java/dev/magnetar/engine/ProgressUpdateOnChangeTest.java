package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A progress event says what changed: an active torrent whose status stays the same (a magnet nobody
 * shares, a seed nobody asks) sends nothing on later ticks, so a daemon with a thousand such torrents
 * does not publish a thousand identical statuses a second to every API client.
 */
class ProgressUpdateOnChangeTest {

    private static final String HASH = "abcd0000abcd0000abcd0000abcd0000abcd0000";

    @TempDir
    Path root;

    @Test
    void anActiveTorrentWhoseStatusDoesNotChangeSendsNoProgressOnLaterTicks() throws Exception {
        try (Engine engine = Engine.start(loopback(root, "e"))) {
            AtomicInteger progress = new AtomicInteger();
            try (AutoCloseable subscription = engine.subscribe(event -> {
                if (event instanceof EngineEvent.ProgressUpdated && event.infoHash().hex().equals(HASH)) {
                    progress.incrementAndGet();
                }
            })) {
                engine.addMagnet("magnet:?xt=urn:btih:" + HASH + "&dn=nobody-shares-it", new AddOptions(null, false, false));
                Torrent torrent = engine.torrent(InfoHash.fromHex(HASH)).orElseThrow();
                awaitTicks(torrent, 4);
            }
            // The first tick reports the status once; the three after it have nothing new to say.
            assertTrue(progress.get() <= 1, progress.get() + " progress events for a status that never changed");
        }
    }

    /** Waits until the torrent's loop has run {@code count} ticks; a hang guard, not a timing. */
    private static void awaitTicks(Torrent torrent, long count) throws InterruptedException {
        long deadline = System.nanoTime() + EngineFixtures.GUARD.toNanos();
        while (torrent.ticks() < count) {
            assertTrue(System.nanoTime() < deadline, "the torrent's ticks stopped at " + torrent.ticks());
            TimeUnit.MILLISECONDS.sleep(50); // polling pace only
        }
    }
}
