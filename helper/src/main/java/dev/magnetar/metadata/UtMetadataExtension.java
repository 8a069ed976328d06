package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.wire.ExtensionHandler;
import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeException;
import dev.magnetar.bencode.BencodeLimits;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.wire.ExtensionHandshake;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "ut_metadata" extension (BEP 9) of one torrent, as one {@link ExtensionHandler}: requests go to
 * the {@link MetadataServer}, data and rejects to the {@link MetadataFetcher} while the torrent has no
 * metadata. When the fetcher completes, the server starts serving what it fetched, so a magnet torrent
 * helps the next magnet user at once.
 *
 * <p>Private torrents (BEP 27) neither offer nor serve metadata, as libtorrent does: their peers are
 * meant to come from the private tracker, with the .torrent.
 */
public final class UtMetadataExtension implements ExtensionHandler {

    private static final Logger log = LoggerFactory.getLogger(UtMetadataExtension.class);

    private final MetadataServer server;
    private final MetadataFetcher fetcher; // null when the torrent had metadata from the start
    private final int maxMetadataSize;
    private volatile boolean privateTorrent;

    private UtMetadataExtension(MetadataServer server, MetadataFetcher fetcher, int maxMetadataSize, boolean privateTorrent) {
        this.server = server;
        this.fetcher = fetcher;
        this.maxMetadataSize = maxMetadataSize;
        this.privateTorrent = privateTorrent;
    }

    /** For a torrent whose metadata we have (from a .torrent file or resume data). */
    public static UtMetadataExtension serving(TorrentInfo info, Clock clock) {
        MetadataServer server = new MetadataServer(clock, MetadataServer.Options.defaults());
        if (!info.isPrivate()) {
            server.setMetadata(info.infoBytes());
        }
        return new UtMetadataExtension(server, null, UtMetadataCodec.DEFAULT_MAX_METADATA_SIZE, info.isPrivate());
    }

    /** For a torrent added from a magnet link: fetches, then serves. */
    public static UtMetadataExtension fetching(InfoHash infoHash, Clock clock, MetadataFetcher.Options options) {
        return fetching(infoHash, null, clock, options);
    }

    /**
     * Like {@link #fetching(InfoHash, Clock, MetadataFetcher.Options)} for a magnet that also names the
     * full BEP 52 v2 info-hash ({@code v2InfoHash}, may be null): the metadata must match both.
     */
    public static UtMetadataExtension fetching(InfoHash infoHash, byte[] v2InfoHash, Clock clock, MetadataFetcher.Options options) {
        MetadataServer server = new MetadataServer(clock, MetadataServer.Options.defaults());
        MetadataFetcher fetcher = new MetadataFetcher(infoHash, v2InfoHash, clock, options);
        UtMetadataExtension extension = new UtMetadataExtension(server, fetcher, options.maxMetadataSize(), false);
        fetcher.result().thenAccept(extension::fetched);
        return extension;
    }

    /** The fetcher, while this torrent is (or was) fetching metadata. */
    public Optional<MetadataFetcher> fetcher() {
        return Optional.ofNullable(fetcher);
    }

    @Override
    public String name() {
        return MetadataFetcher.EXTENSION;
    }

    @Override
    public boolean enabled() {
        return !privateTorrent;
    }

    @Override
    public void contributeTo(ExtensionHandshake.Builder ours) {
        // BEP 9: metadata_size goes in the handshake itself, not in m — only once we can serve it.
        server.metadataSize().ifPresent(ours::metadataSize);
    }

    @Override
    public void peerHandshake(ExtensionPeer peer, ExtensionHandshake theirs) {
        if (fetcher != null) {
            fetcher.peerHandshake(peer, theirs);
        }
    }

    @Override
    public void message(ExtensionPeer peer, byte[] payload) {
        UtMetadataMessage message;
        try {
            message = UtMetadataCodec.decode(payload, maxMetadataSize);
        } catch (UtMetadataException e) {
            if (e.problem() != UtMetadataException.Problem.UNKNOWN_MESSAGE_TYPE) { // BEP 9: ignore unknown types
                log.debug("bad ut_metadata message from {}: {}", peer.address(), e.getMessage());
                peer.misbehaved(e.getMessage());
            }
            return;
        }
        if (message instanceof UtMetadataMessage.Request request) {
            if (privateTorrent) {
                return; // we never offered it
            }
            server.serve(peer, request);
        } else if (fetcher != null) {
            fetcher.receive(peer, message);
        }
    }

    @Override
    public void peerGone(ExtensionPeer peer) {
        server.peerGone(peer);
        if (fetcher != null) {
            fetcher.peerGone(peer);
        }
    }

    @Override
    public void tick() {
        if (fetcher != null) {
            fetcher.tick();
        }
    }

    private void fetched(byte[] infoBytes) {
        if (isPrivate(infoBytes)) {
            privateTorrent = true;
            return;
        }
        server.setMetadata(infoBytes);
    }

    /** BEP 27: "private" is an integer 1 in the info dictionary. */
    private static boolean isPrivate(byte[] infoBytes) {
        try {
            BValue v = BencodeDecoder.decode(infoBytes, BencodeLimits.DEFAULT);
            return v instanceof BDictionary d && d.get("private") instanceof BInteger p && p.value() == 1;
        } catch (BencodeException e) {
            return true; // verified against the info-hash yet not bencode: serve nothing rather than junk
        }
    }

    @Override
    public String toString() {
        return "UtMetadataExtension[" + (fetcher != null ? fetcher.state() : "serving") + "]";
    }
}
