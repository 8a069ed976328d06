package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.PeerIdentity;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.engine.TorrentStatus;
import dev.magnetar.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineEventMappingTest {

    private static final InfoHash HASH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
    private static final TorrentStatus STATUS = new TorrentStatus(HASH.hex(), "a", TorrentState.DOWNLOADING, 100, 50, 50, 0,
            10, 0, 1, 1, 5L, null, null);
    private static final PeerIdentity V4 = new PeerIdentity(new InetSocketAddress("127.0.0.1", 6881), "aa".repeat(20));
    private static final PeerIdentity V6 = new PeerIdentity(new InetSocketAddress("::1", 6882), "bb".repeat(20));

    /** Adding an engine event forces a decision: map it here, or say in NOT_SENT why clients never see it. */
    @Test
    void everyEngineEventIsEitherSentOrDeliberatelyKeptInside() {
        List<Class<?>> mapped = mappedKinds();
        List<String> undecided = new ArrayList<>();
        for (Class<?> kind : EngineEvent.class.getPermittedSubclasses()) {
            if (mapped.contains(kind) == EngineEventMapping.NOT_SENT.contains(kind)) {
                undecided.add(kind.getSimpleName());
            }
        }
        assertEquals(List.of(), undecided);
    }

    @Test
    void peersAreNamedByAddressAndPeerId() {
        ApiEvent banned = EngineEventMapping.toApi(new EngineEvent.PeerBanned(HASH, V6, "bad data")).orElseThrow();
        assertEquals(new ApiEvent.PeerBanned(HASH.hex(), new ApiEvent.Peer("[::1]:6882", "bb".repeat(20)), "bad data"), banned);
        ApiEvent failed = EngineEventMapping.toApi(new EngineEvent.PieceFailed(HASH, 7, List.of(V4, V6))).orElseThrow();
        assertEquals(new ApiEvent.PieceFailed(HASH.hex(), 7, List.of(new ApiEvent.Peer("127.0.0.1:6881", "aa".repeat(20)),
                new ApiEvent.Peer("[::1]:6882", "bb".repeat(20)))), failed);
    }

    @Test
    void aStateChangeCarriesTheStatusTakenAtTheChange() {
        ApiEvent changed = EngineEventMapping.toApi(new EngineEvent.StateChanged(HASH, TorrentState.CHECKING, STATUS)).orElseThrow();
        assertEquals(new ApiEvent.TorrentStateChanged(STATUS, "CHECKING"), changed);
    }

    /** One engine example of each kind, to see which kinds map to a WebSocket event. */
    private static List<Class<?>> mappedKinds() {
        List<EngineEvent> examples = List.of(
                new EngineEvent.TorrentAdded(HASH, STATUS),
                new EngineEvent.ProgressUpdated(HASH, STATUS),
                new EngineEvent.StateChanged(HASH, TorrentState.CHECKING, STATUS),
                new EngineEvent.TorrentRemoved(HASH, true),
                new EngineEvent.MetadataReceived(HASH, "a", 100, 1),
                new EngineEvent.PieceVerified(HASH, 1),
                new EngineEvent.PieceFailed(HASH, 1, List.of(V4)),
                new EngineEvent.PeerConnected(HASH, V4, "x", true),
                new EngineEvent.PeerDisconnected(HASH, V4, "gone"),
                new EngineEvent.PeerBanned(HASH, V4, "bad data"),
                new EngineEvent.PeersFound(HASH, null, List.of()),
                new EngineEvent.DownloadCompleted(HASH, 100));
        assertEquals(EngineEvent.class.getPermittedSubclasses().length, examples.size(), "an example of every kind");
        List<Class<?>> mapped = new ArrayList<>();
        for (EngineEvent e : examples) {
            Optional<ApiEvent> api = EngineEventMapping.toApi(e);
            assertTrue(api.isEmpty() || !EngineEventMapping.NOT_SENT.contains(e.getClass()), e + " is mapped and in NOT_SENT");
            if (api.isPresent()) {
                mapped.add(e.getClass());
            }
        }
        return mapped;
    }
}
