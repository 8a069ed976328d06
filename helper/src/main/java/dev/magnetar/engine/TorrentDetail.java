package dev.magnetar.engine;

import java.util.List;

/**
 * Everything about one torrent: its status row plus files, peers, trackers, web seeds, its own rate
 * limits and where its files are.
 *
 * @param saveFolder absolute folder the torrent's file paths are relative to
 * @param seeding its seeding goal and what counts towards it; null from an engine without goals
 * @param webSeeds its BEP 19 web seeds with their state and rate; empty when it has none
 * @param metaVersion "v1", "v2" or "hybrid" (BEP 52), or null while its metadata is being fetched
 * @param infoHashV2 the full SHA-256 info-hash of a v2 or hybrid torrent (64 hex digits), else null
 */
public record TorrentDetail(TorrentStatus status, List<FileStatus> files, List<PeerStatus> peers, List<TrackerStatus> trackers,
                            RateLimits limits, String saveFolder, SeedingStatus seeding, List<WebSeedStatus> webSeeds,
                            String metaVersion, String infoHashV2) {

    public TorrentDetail {
        files = List.copyOf(files);
        peers = List.copyOf(peers);
        trackers = List.copyOf(trackers);
        webSeeds = List.copyOf(webSeeds);
    }

    /** A v1 torrent. */
    public TorrentDetail(TorrentStatus status, List<FileStatus> files, List<PeerStatus> peers, List<TrackerStatus> trackers,
            RateLimits limits, String saveFolder, SeedingStatus seeding, List<WebSeedStatus> webSeeds) {
        this(status, files, peers, trackers, limits, saveFolder, seeding, webSeeds, "v1", null);
    }

    /** A v1 torrent without web seeds. */
    public TorrentDetail(TorrentStatus status, List<FileStatus> files, List<PeerStatus> peers, List<TrackerStatus> trackers,
            RateLimits limits, String saveFolder, SeedingStatus seeding) {
        this(status, files, peers, trackers, limits, saveFolder, seeding, List.of());
    }
}
