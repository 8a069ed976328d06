package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TorrentListViewTest {

    private static final long MAX_AGE = 1_000_000_000L;
    private static final InfoHash HASH = InfoHash.fromHex("ab".repeat(20));

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final AtomicInteger builds = new AtomicInteger();
    private final AtomicReference<TorrentState> state = new AtomicReference<>(TorrentState.DOWNLOADING);
    private final TorrentListView view = new TorrentListView(() -> {
        builds.incrementAndGet();
        return List.of(status(state.get()));
    }, now::get, MAX_AGE);

    private static TorrentStatus status(TorrentState state) {
        return new TorrentStatus(HASH.hex(), "a", state, 10, 0, 0, 0, 0, 0, 0, 0, null, null, null);
    }

    @Test
    void nothingChangedHandsOutTheSameListWithoutBuildingAgain() {
        List<TorrentStatus> first = view.rows();
        now.addAndGet(MAX_AGE - 1);
        assertSame(first, view.rows());
        assertEquals(1, builds.get());
    }

    @Test
    void aChangeIsInTheVeryNextList() {
        assertEquals(TorrentState.DOWNLOADING, view.rows().get(0).state());
        state.set(TorrentState.PAUSED);
        view.changed();
        assertEquals(TorrentState.PAUSED, view.rows().get(0).state());
    }

    @Test
    void aListOlderThanTheMaximumAgeIsBuiltAgainEvenWithoutAnEvent() {
        List<TorrentStatus> first = view.rows();
        state.set(TorrentState.SEEDING); // a change no event announced
        now.addAndGet(MAX_AGE);
        List<TorrentStatus> second = view.rows();
        assertNotSame(first, second);
        assertEquals(TorrentState.SEEDING, second.get(0).state());
    }

    @Test
    void aChangeWhileTheListIsBuiltMakesTheNextCallBuildAgain() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<TorrentListView> self = new AtomicReference<>();
        TorrentListView racing = new TorrentListView(() -> {
            TorrentState seen = state.get();
            if (calls.incrementAndGet() == 1) {
                state.set(TorrentState.PAUSED); // lands after this build read the old state
                self.get().changed();
            }
            return List.of(status(seen));
        }, now::get, MAX_AGE);
        self.set(racing);
        assertEquals(TorrentState.DOWNLOADING, racing.rows().get(0).state());
        assertEquals(TorrentState.PAUSED, racing.rows().get(0).state());
    }

    @Test
    void onlyEventsThatChangeARowMakeTheListOutOfDate() {
        assertTrue(TorrentListView.affectsRows(new EngineEvent.StateChanged(HASH, TorrentState.DOWNLOADING, status(TorrentState.PAUSED))));
        assertTrue(TorrentListView.affectsRows(new EngineEvent.TorrentRemoved(HASH, false)));
        assertTrue(TorrentListView.affectsRows(new EngineEvent.ProgressUpdated(HASH, status(TorrentState.DOWNLOADING))));
        assertTrue(TorrentListView.affectsRows(new EngineEvent.MetadataReceived(HASH, "a", 10, 1)));
        // Hundreds a second while downloading; their effect shows in the next tick's progress.
        assertFalse(TorrentListView.affectsRows(new EngineEvent.PieceVerified(HASH, 3)));
        assertFalse(TorrentListView.affectsRows(new EngineEvent.PeersFound(HASH, PeerSource.TRACKER, List.of())));
    }
}
