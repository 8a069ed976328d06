package dev.magnetar.engine;

import java.util.List;

/**
 * Everything about one torrent: its status row plus files, peers, trackers, its own rate limits and
 * where its files are.
 *
 * @param saveFolder absolute folder the torrent's file paths are relative to
 * @param seeding its seeding goal and what counts towards it; null from an engine without goals
 */
public record TorrentDetail(TorrentStatus status, List<FileStatus> files, List<PeerStatus> peers, List<TrackerStatus> trackers,
                            RateLimits limits, String saveFolder, SeedingStatus seeding) {

    public TorrentDetail {
        files = List.copyOf(files);
        peers = List.copyOf(peers);
        trackers = List.copyOf(trackers);
    }
}
