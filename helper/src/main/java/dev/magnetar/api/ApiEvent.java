package dev.magnetar.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.magnetar.api.ApiMessages.Approval;
import dev.magnetar.engine.TorrentStatus;
import java.util.List;

/**
 * Messages on the {@code /api/v1/events} WebSocket (protocol-spec/events.md): a {@code snapshot} first,
 * then deltas. Each delta carries the complete new state of its object, so a client that missed one
 * loses nothing once the next arrives; after {@code resync} a fresh snapshot follows. The
 * {@code metadata_received}, {@code piece_failed} and {@code peer_banned} notices say what happened
 * and need not be applied to any state. Engine events become these in {@link EngineEventMapping}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ApiEvent.Snapshot.class, name = "snapshot"),
        @JsonSubTypes.Type(value = ApiEvent.TorrentAdded.class, name = "torrent_added"),
        @JsonSubTypes.Type(value = ApiEvent.TorrentUpdated.class, name = "torrent_updated"),
        @JsonSubTypes.Type(value = ApiEvent.TorrentStateChanged.class, name = "torrent_state_changed"),
        @JsonSubTypes.Type(value = ApiEvent.TorrentRemoved.class, name = "torrent_removed"),
        @JsonSubTypes.Type(value = ApiEvent.MetadataReceived.class, name = "metadata_received"),
        @JsonSubTypes.Type(value = ApiEvent.PieceFailed.class, name = "piece_failed"),
        @JsonSubTypes.Type(value = ApiEvent.PeerBanned.class, name = "peer_banned"),
        @JsonSubTypes.Type(value = ApiEvent.ApprovalChanged.class, name = "approval_changed"),
        @JsonSubTypes.Type(value = ApiEvent.WalletChanged.class, name = "wallet_changed"),
        @JsonSubTypes.Type(value = ApiEvent.Resync.class, name = "resync")})
public sealed interface ApiEvent {

    record Snapshot(List<TorrentStatus> torrents, List<Approval> approvals, WalletStatus wallet) implements ApiEvent {}

    record TorrentAdded(TorrentStatus torrent) implements ApiEvent {}

    /** Progress of an active torrent, at least once a second. */
    record TorrentUpdated(TorrentStatus torrent) implements ApiEvent {}

    record TorrentStateChanged(TorrentStatus torrent, String previousState) implements ApiEvent {}

    record TorrentRemoved(String infoHash, boolean dataDeleted) implements ApiEvent {}

    /** A magnet's metadata arrived from peers and checked out (BEP 9): the torrent now has a name and a size. */
    record MetadataReceived(String infoHash, String name, long totalBytes, int files) implements ApiEvent {}

    /** A piece failed its hash check and will be fetched again; {@code contributors} sent its blocks. */
    record PieceFailed(String infoHash, int piece, List<Peer> contributors) implements ApiEvent {}

    /** A peer was disconnected and is refused from now on, for {@code reason}. */
    record PeerBanned(String infoHash, Peer peer, String reason) implements ApiEvent {}

    /** A peer as events name it: {@code address} "ip:port" ("[v6]:port") and the 40 hex digits of its peer id. */
    record Peer(String address, String peerId) {}

    /**
     * A spend request was filed (state PENDING: needs the user's attention — open the approval pop-up)
     * or decided, spent from, revoked or expired.
     */
    record ApprovalChanged(Approval approval, boolean needsAttention) implements ApiEvent {}

    record WalletChanged(WalletStatus wallet) implements ApiEvent {}

    /** This client fell behind and events were dropped; a fresh snapshot follows. */
    record Resync(String reason) implements ApiEvent {}
}
