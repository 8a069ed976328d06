package dev.magnetar.engine;

import java.util.List;

/**
 * What a player shows beside a stream of one file.
 *
 * @param downloadedRanges verified bytes of the file as merged {@code [start, endExclusive)} pairs
 * @param bufferedAhead    verified bytes from the last read position on, without a gap
 * @param downloadRate     the torrent's download rate, bytes per second
 */
public record StreamProgress(List<long[]> downloadedRanges, long bufferedAhead, long downloadRate, int peers, TorrentState state) {}
