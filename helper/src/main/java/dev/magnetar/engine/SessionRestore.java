package dev.magnetar.engine;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.InvalidMagnetException;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.MagnetLink;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.ResumeData;
import dev.magnetar.storage.ResumeDataException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back the torrents of a {@link SessionList} when the engine starts. A torrent whose metadata
 * was known goes through the normal add path with the info dictionary from its resume data, so the
 * storage trusts the verified pieces (or rechecks the files when they changed) instead of fetching
 * them again. A magnet still fetching metadata fetches it again, from its {@code x.pe} peers too.
 * One torrent that cannot come back is logged and skipped; the others still do.
 */
final class SessionRestore {

    private static final Logger log = LoggerFactory.getLogger(SessionRestore.class);

    private SessionRestore() {}

    static void restore(Engine engine, SessionList session) {
        List<SessionEntry> entries = session.loaded().entries();
        int restored = 0;
        for (SessionEntry e : entries) {
            try {
                restoreOne(engine, e);
                restored++;
            } catch (EngineException | RuntimeException ex) {
                // What fails here fails on every start (an entry we cannot use), and the user cannot
                // remove a torrent that is not listed: drop it rather than warn forever.
                session.remove(InfoHash.fromHex(e.infoHash()));
                log.warn("cannot restore torrent {} ({}): {}; it is dropped from the list, add it again if you still want it",
                        e.infoHash(), e.name(), ex.getMessage());
            }
        }
        if (!entries.isEmpty()) {
            log.info("Restored {} of {} torrents from the session list", restored, entries.size());
        }
    }

    private static void restoreOne(Engine engine, SessionEntry e) throws EngineException {
        InfoHash infoHash = InfoHash.fromHex(e.infoHash());
        Path dir = Path.of(e.downloadDir());
        // One that finished seeding comes back held, never seeding for a moment before its goal is looked at.
        AddOptions options = new AddOptions(null, e.paused() || e.seeding().finished(), e.sequential());
        MagnetLink magnet = magnetOf(e);
        Optional<TorrentInfo> info = e.metadataKnown() ? storedInfo(engine, infoHash) : Optional.empty();
        Torrent t;
        if (info.isPresent()) {
            // The add path's own check (downloadable) applies, as for a fresh add; the magnet goes back
            // into the list with it, or the next restart would lose its x.pe peers.
            t = engine.add(info.get(), infoHash, dir, e.trackers(), options, e.magnet());
        } else {
            // No usable metadata: fetch it from peers, like the magnet it came from (or one made of the
            // info-hash and trackers of a .torrent whose resume data is gone).
            t = engine.addTorrent(infoHash, magnet.v2InfoHash(), null, e.name(), dir, e.trackers(), options, magnet.toUri());
        }
        // Its x.pe peers, with or without metadata: for a magnet of a LAN peer or a private swarm they
        // may be the only peers there are, and trackers, DHT and PEX would not bring them back.
        for (String peer : magnet.peers()) {
            Engine.parsePeer(peer).ifPresent(t::connectTo);
        }
        for (String peer : e.peers()) {
            Engine.parsePeer(peer).ifPresent(t::addPeer); // recorded again: the entry was written anew by the add
        }
        if (e.hasRateLimits()) {
            t.setRateLimits(e.downloadLimit(), e.uploadLimit());
        }
        engine.addWebSeeds(t, e.webSeeds()); // recorded again, like the peers
        engine.restoreSeeding(t, e.seeding());
    }

    private static MagnetLink magnetOf(SessionEntry e) throws EngineException {
        if (e.magnet() != null) {
            try {
                MagnetLink m = MagnetParser.parse(e.magnet());
                if (!m.infoHash().hex().equals(e.infoHash())) {
                    throw new EngineException("its magnet URI names another torrent, " + m.infoHash().hex());
                }
                return m;
            } catch (InvalidMagnetException ex) {
                throw new EngineException("its magnet URI is invalid: " + ex.getMessage(), ex);
            }
        }
        List<String> trackers = e.trackers().stream().flatMap(List::stream).toList();
        return new MagnetLink(InfoHash.fromHex(e.infoHash()), e.name(), trackers, List.of(), null);
    }

    /**
     * Whether a torrent held by {@code key} has this metadata: its info-hash, or for a hybrid added by its
     * btmh alone (BEP 52) its SHA-256 cut to 20 bytes, the hash that torrent is held by.
     */
    private static boolean isHeldBy(TorrentInfo info, InfoHash key) {
        return info.infoHash().equals(key)
                || (info.v2InfoHash() != null && InfoHash.of(java.util.Arrays.copyOf(info.v2InfoHash(), InfoHash.LENGTH)).equals(key));
    }

    /** The info dictionary kept in the torrent's resume data, if that is there and sound. */
    private static Optional<TorrentInfo> storedInfo(Engine engine, InfoHash infoHash) {
        try {
            Optional<ResumeData> data = engine.resumeStore().load(infoHash);
            if (data.isEmpty()) {
                log.warn("{}: no resume data with its metadata; fetching the metadata from peers again", infoHash);
                return Optional.empty();
            }
            TorrentInfo info = MetainfoParser.parseInfo(data.get().infoBytes());
            data.get().restorePieceLayers(info); // BEP 52: a v2 torrent's layers live beside its info dictionary
            if (!isHeldBy(info, infoHash)) {
                log.warn("{}: its resume data holds another torrent's metadata; fetching the metadata from peers again", infoHash);
                return Optional.empty();
            }
            return Optional.of(info);
        } catch (ResumeDataException | InvalidTorrentException ex) {
            log.warn("{}: its resume data is unusable ({}); fetching the metadata from peers again", infoHash, ex.getMessage());
            return Optional.empty();
        }
    }
}
