package dev.magnetar.engine;

import java.util.List;

/** Everything about one torrent: its status row plus files, peers, trackers and its own rate limits. */
public record TorrentDetail(TorrentStatus status, List<FileStatus> files, List<PeerStatus> peers, List<TrackerStatus> trackers,
                            RateLimits limits) {

    public TorrentDetail {
        files = List.copyOf(files);
        peers = List.copyOf(peers);
        trackers = List.copyOf(trackers);
    }
}
