package dev.magnetar.api;

import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.PeerIdentity;
import java.util.Optional;
import java.util.Set;

/**
 * The one place where engine events become WebSocket events (protocol-spec/events.md). A user sees a
 * torrent's life (added, progress, state, removed) and what explains a stall or a slow download:
 * metadata arriving, pieces failing their hash check, peers banned for it. The rest stays inside: one
 * event per verified piece or per peer coming and going would flood a popup that already gets counts
 * and bytes in every {@code torrent_updated}.
 */
final class EngineEventMapping {

    /** Engine events deliberately not sent to clients (a test checks every engine event is mapped or here). */
    static final Set<Class<? extends EngineEvent>> NOT_SENT = Set.of(
            EngineEvent.PieceVerified.class, // verifiedBytes in torrent_updated
            EngineEvent.PeerConnected.class, // peers in torrent_updated
            EngineEvent.PeerDisconnected.class,
            EngineEvent.PeersFound.class, // candidates, not connections
            EngineEvent.DownloadCompleted.class); // torrent_state_changed to SEEDING says it

    private EngineEventMapping() {}

    static Optional<ApiEvent> toApi(EngineEvent event) {
        String infoHash = event.infoHash().hex();
        if (event instanceof EngineEvent.TorrentAdded a) {
            return Optional.of(new ApiEvent.TorrentAdded(a.status()));
        } else if (event instanceof EngineEvent.ProgressUpdated p) {
            return Optional.of(new ApiEvent.TorrentUpdated(p.status()));
        } else if (event instanceof EngineEvent.StateChanged s) {
            return Optional.of(new ApiEvent.TorrentStateChanged(s.status(), s.previous().name()));
        } else if (event instanceof EngineEvent.TorrentRemoved r) {
            return Optional.of(new ApiEvent.TorrentRemoved(infoHash, r.dataDeleted()));
        } else if (event instanceof EngineEvent.MetadataReceived m) {
            return Optional.of(new ApiEvent.MetadataReceived(infoHash, m.name(), m.totalBytes(), m.files()));
        } else if (event instanceof EngineEvent.PieceFailed f) {
            return Optional.of(new ApiEvent.PieceFailed(infoHash, f.piece(),
                    f.contributors().stream().map(EngineEventMapping::peer).toList()));
        } else if (event instanceof EngineEvent.PeerBanned b) {
            return Optional.of(new ApiEvent.PeerBanned(infoHash, peer(b.peer()), b.reason()));
        }
        return Optional.empty();
    }

    private static ApiEvent.Peer peer(PeerIdentity p) {
        return new ApiEvent.Peer(p.hostPort(), p.peerIdHex());
    }
}
