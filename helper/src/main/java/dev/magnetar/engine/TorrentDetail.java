package dev.magnetar.engine;

import java.util.List;

/**
 * Everything about one torrent: its status row plus files, peers, trackers, web seeds, its own rate
 * limits and where its files are.
 *
 * @param saveFolder absolute folder the torrent's file paths are relative to
 * @param seeding its seeding goal and what counts towards it; null from an engine without goals
 * @param webSeeds its BEP 19 web seeds with their state and rate; empty when it has none
 */
public record TorrentDetail(TorrentStatus status, List<FileStatus> files, List<PeerStatus> peers, List<TrackerStatus> trackers,
                            RateLimits limits, String saveFolder, SeedingStatus seeding, List<WebSeedStatus> webSeeds) {

    public TorrentDetail {
        files = List.copyOf(files);
        peers = List.copyOf(peers);
        trackers = List.copyOf(trackers);
        webSeeds = List.copyOf(webSeeds);
    }

    /** A torrent without web seeds. */
    public TorrentDetail(TorrentStatus status, List<FileStatus> files, List<PeerStatus> peers, List<TrackerStatus> trackers,
            RateLimits limits, String saveFolder, SeedingStatus seeding) {
        this(status, files, peers, trackers, limits, saveFolder, seeding, List.of());
    }
}
