package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that keeps a torrent list from the event stream (the popup does) learns of a torrent from
 * its {@code TorrentAdded} and then follows its {@code StateChanged}s. If a state change that the add
 * itself causes (a paused add) were published before the {@code TorrentAdded}, the list would end on the
 * add's older status and never hear of the pause: progress ticks do not run for a paused torrent.
 */
class TorrentAddedEventOrderTest {

    private static final String HASH = "feed0000feed0000feed0000feed0000feed0000";

    @TempDir
    Path root;

    @Test
    void aTorrentAddedPausedIsAnnouncedFirstAndTheLastStatusAClientSeesIsPaused() throws Exception {
        try (Engine engine = Engine.start(loopback(root, "e"))) {
            List<EngineEvent> seen = new ArrayList<>();
            CompletableFuture<Void> pausedSeen = new CompletableFuture<>();
            try (AutoCloseable subscription = engine.subscribe(event -> {
                if (!event.infoHash().hex().equals(HASH)) {
                    return;
                }
                synchronized (seen) {
                    seen.add(event);
                }
                if (event instanceof EngineEvent.StateChanged s && s.status().state() == TorrentState.PAUSED) {
                    pausedSeen.complete(null);
                }
            })) {
                engine.addMagnet("magnet:?xt=urn:btih:" + HASH + "&dn=paused-one", new AddOptions(null, true, false));
                pausedSeen.get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            }
            synchronized (seen) {
                assertInstanceOf(EngineEvent.TorrentAdded.class, seen.get(0), "first event of the torrent: " + seen);
                EngineEvent last = seen.get(seen.size() - 1);
                TorrentState lastState = last instanceof EngineEvent.StateChanged s ? s.status().state()
                        : last instanceof EngineEvent.TorrentAdded a ? a.status().state() : null;
                assertEquals(TorrentState.PAUSED, lastState, "events: " + seen);
            }
        }
    }
}
