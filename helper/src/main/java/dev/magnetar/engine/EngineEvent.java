package dev.magnetar.engine;

import dev.magnetar.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What happened inside the engine, as typed records (libtorrent's alerts, not log lines): the engine's
 * one event stream. Each event is published once, by the part of the engine it happened in; a
 * torrent's own listeners ({@link Torrent#addListener}) see those of that torrent, subscribers of
 * {@link TorrentControl#subscribe} see every torrent's and the engine's (added, removed). Listeners
 * are called on the engine's threads — a torrent's events on its event loop, in order — and must not
 * block. The API turns the ones a user sees into WebSocket events (protocol-spec/events.md).
 */
public sealed interface EngineEvent {

    InfoHash infoHash();

    /** A torrent was added; {@code status} as it stood then. */
    record TorrentAdded(InfoHash infoHash, TorrentStatus status) implements EngineEvent {}

    /** Progress (bytes, rates, peers) of an active torrent, once a second from its own loop. */
    record ProgressUpdated(InfoHash infoHash, TorrentStatus status) implements EngineEvent {}

    /** The torrent went from {@code previous} to {@code status.state()}; {@code status} is taken at the change. */
    record StateChanged(InfoHash infoHash, TorrentState previous, TorrentStatus status) implements EngineEvent {

        public TorrentState current() {
            return status.state();
        }

        /** Why the torrent stopped, when {@link #current()} is {@link TorrentState#ERROR}; else null. */
        public String error() {
            return status.error();
        }
    }

    /** A torrent was removed (its files too when {@code dataDeleted}); nothing more comes from it. */
    record TorrentRemoved(InfoHash infoHash, boolean dataDeleted) implements EngineEvent {}

    /**
     * The metadata arrived and checked out against the info-hash (BEP 9); {@code files} counts the
     * files a user sees (not BEP 47 padding).
     */
    record MetadataReceived(InfoHash infoHash, String name, long totalBytes, int files) implements EngineEvent {}

    record PieceVerified(InfoHash infoHash, int piece) implements EngineEvent {}

    /** A piece failed its SHA-1 check; {@code contributors} sent its blocks. It will be fetched again. */
    record PieceFailed(InfoHash infoHash, int piece, List<PeerIdentity> contributors) implements EngineEvent {}

    record PeerConnected(InfoHash infoHash, PeerIdentity peer, String client, boolean outgoing) implements EngineEvent {}

    record PeerDisconnected(InfoHash infoHash, PeerIdentity peer, String reason) implements EngineEvent {}

    /** The peer is banned: disconnected and refused from now on (see {@link BanList} for the rule). */
    record PeerBanned(InfoHash infoHash, PeerIdentity peer, String reason) implements EngineEvent {}

    /** New peer addresses for the connect queue, and where they came from (DHT, PEX, LSD...). */
    record PeersFound(InfoHash infoHash, PeerSource source, List<InetSocketAddress> peers) implements EngineEvent {}

    /** Every wanted piece is verified. */
    record DownloadCompleted(InfoHash infoHash, long totalBytes) implements EngineEvent {}
}
