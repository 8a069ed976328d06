package dev.magnetar.testing;

import dev.magnetar.engine.TorrentControl;
import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.TorrentState;
import java.util.ArrayList;
import java.util.List;

/**
 * Every state one torrent went through, in order, from the engine's events. Subscribe before adding
 * the torrent, then assert on the path once it has settled: a state the torrent only passes through
 * (FETCHING_METADATA, CHECKING) may be over before a test thread looks at {@code state()}, on a
 * loaded machine or on a fast path, but it is never missing from here.
 */
public final class StateHistory implements AutoCloseable {

    private final String infoHash;
    private final List<TorrentState> states = new ArrayList<>(); // guarded by this
    private TorrentState addedIn; // guarded by this
    private final AutoCloseable subscription;

    private StateHistory(TorrentControl engine, String infoHash) {
        this.infoHash = infoHash;
        this.subscription = engine.subscribe(this::onEvent);
    }

    /** Starts recording the torrent of {@code infoHashHex} (lower-case hex). */
    public static StateHistory of(TorrentControl engine, String infoHashHex) {
        return new StateHistory(engine, infoHashHex);
    }

    private synchronized void onEvent(EngineEvent event) {
        if (!event.infoHash().hex().equals(infoHash)) {
            return;
        }
        if (event instanceof EngineEvent.TorrentAdded added) {
            addedIn = added.status().state();
        } else if (event instanceof EngineEvent.StateChanged changed) {
            if (states.isEmpty()) {
                states.add(changed.previous());
            }
            states.add(changed.current());
        }
    }

    /**
     * The states so far, the first being the one the torrent started in. Changes come from the
     * torrent's own loop, in order, each naming the state before it, so the path is taken from them;
     * the Added event (published by the adding thread, which may read a state already changed) only
     * says where a torrent that never changed state stands.
     */
    public synchronized List<TorrentState> states() {
        if (states.isEmpty()) {
            return addedIn == null ? List.of() : List.of(addedIn);
        }
        return List.copyOf(states);
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
