package dev.magnetar.engine;

import java.util.List;
import java.util.Objects;

/**
 * One torrent the user added, as the session list keeps it across restarts ({@link SessionList}).
 * Its metadata is not stored here: once known it lives in the torrent's resume data (which the
 * storage writes anyway, with the verified pieces); until then {@link #magnet} gets it from peers.
 *
 * @param infoHash the v1 info-hash, 40 lower-case hex digits
 * @param name display name, for log lines while the metadata is not back yet
 * @param magnet the magnet URI it was added from (a restart reconnects its {@code x.pe} peers, which
 *     also fetch the metadata again if it was not known); null for a .torrent
 * @param metadataKnown whether the info dictionary was known (so resume data should hold it)
 * @param downloadDir absolute directory of its files
 * @param trackers announce tiers (BEP 12), possibly empty
 * @param paused whether the user paused it
 * @param sequential whether the user asked for in-order download
 * @param downloadLimit the torrent's own download limit in bytes per second, 0 for none (under the
 *     engine's global limit); a file written before limits were kept has none, which reads as 0
 * @param uploadLimit the same for uploads
 * @param peers peers the user added by hand ("host:port", "[v6]:port"), reconnected after a restart
 *     like {@code x.pe}: on a LAN or in a private swarm they may be the only peers; a file written
 *     before they were kept has none
 * @param seeding its seeding goal and what counts towards it (uploaded bytes, time seeded, whether it
 *     finished); a file written before goals existed has none, which reads as {@link SeedingRecord#NEW}
 * @param webSeeds the .torrent's BEP 19 {@code url-list}, which its info dictionary (in the resume data)
 *     does not hold; a file written before web seeds were used has none
 */
public record SessionEntry(
        String infoHash,
        String name,
        String magnet,
        boolean metadataKnown,
        String downloadDir,
        List<List<String>> trackers,
        boolean paused,
        boolean sequential,
        Long downloadLimit,
        Long uploadLimit,
        List<String> peers,
        SeedingRecord seeding,
        List<String> webSeeds) {

    /** Peers added by hand that an entry keeps; more would be a peer list, which trackers and the DHT are for. */
    static final int MAX_PEERS = 64;

    public SessionEntry {
        Objects.requireNonNull(infoHash, "infoHash");
        if (!infoHash.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("infoHash must be 40 lower-case hex digits, not \"" + infoHash + "\"");
        }
        if (downloadDir == null || downloadDir.isBlank()) {
            throw new IllegalArgumentException("downloadDir is missing");
        }
        if (!metadataKnown && magnet == null) {
            // Without either there would be nothing to say where the metadata comes from; a restore
            // would still work (a magnet of info-hash and trackers) but such an entry is not one we write.
            throw new IllegalArgumentException("an entry without metadata needs its magnet URI");
        }
        downloadLimit = downloadLimit == null ? 0L : downloadLimit;
        uploadLimit = uploadLimit == null ? 0L : uploadLimit;
        if (downloadLimit < 0 || uploadLimit < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (none) or positive");
        }
        Objects.requireNonNull(trackers, "trackers");
        trackers = trackers.stream().map(tier -> List.copyOf(Objects.requireNonNull(tier, "tracker tier"))).toList();
        peers = peers == null ? List.of() : List.copyOf(peers);
        seeding = seeding == null ? SeedingRecord.NEW : seeding;
        webSeeds = webSeeds == null ? List.of() : List.copyOf(webSeeds);
        if (peers.size() > MAX_PEERS) { // a hand-edited file: keep the newest rather than lose the torrent
            peers = peers.subList(peers.size() - MAX_PEERS, peers.size());
        }
    }

    /** An entry without web seeds. */
    public SessionEntry(String infoHash, String name, String magnet, boolean metadataKnown, String downloadDir,
            List<List<String>> trackers, boolean paused, boolean sequential, Long downloadLimit, Long uploadLimit,
            List<String> peers, SeedingRecord seeding) {
        this(infoHash, name, magnet, metadataKnown, downloadDir, trackers, paused, sequential, downloadLimit, uploadLimit,
                peers, seeding, List.of());
    }

    SessionEntry withWebSeeds(List<String> seeds) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, paused, sequential,
                downloadLimit, uploadLimit, peers, seeding, seeds);
    }

    SessionEntry withPaused(boolean p) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, p, sequential,
                downloadLimit, uploadLimit, peers, seeding, webSeeds);
    }

    SessionEntry withSequential(boolean s) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, paused, s,
                downloadLimit, uploadLimit, peers, seeding, webSeeds);
    }

    SessionEntry withMetadataKnown(String newName) {
        return new SessionEntry(infoHash, newName, magnet, true, downloadDir, trackers, paused, sequential,
                downloadLimit, uploadLimit, peers, seeding, webSeeds);
    }

    SessionEntry withRateLimits(long down, long up) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, paused, sequential,
                down, up, peers, seeding, webSeeds);
    }

    /** With {@code hostPort} among the peers added by hand; the oldest goes when the list is full. */
    SessionEntry withPeer(String hostPort) {
        if (peers.contains(hostPort)) {
            return this;
        }
        java.util.ArrayList<String> more = new java.util.ArrayList<>(peers);
        more.add(hostPort);
        if (more.size() > MAX_PEERS) {
            more.remove(0);
        }
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, paused, sequential,
                downloadLimit, uploadLimit, more, seeding, webSeeds);
    }

    SessionEntry withDownloadDir(String dir) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, dir, trackers, paused, sequential,
                downloadLimit, uploadLimit, peers, seeding, webSeeds);
    }

    SessionEntry withSeeding(SeedingRecord record) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, paused, sequential,
                downloadLimit, uploadLimit, peers, record, webSeeds);
    }

    /** Whether the torrent has a limit of its own to restore. */
    boolean hasRateLimits() {
        return downloadLimit > 0 || uploadLimit > 0;
    }
}
