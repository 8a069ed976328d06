package dev.magnetar.api;

import java.util.List;

/** Bodies of the stream routes, named as in protocol-spec/http-api.yaml. */
public final class StreamMessages {

    private StreamMessages() {}

    /** {@code ttlSeconds} null: {@link StreamGrants#DEFAULT_TTL}. */
    public record StreamRequest(Long ttlSeconds) {}

    /**
     * What a player needs to play one file: the capability URL (no token needed), and whether a browser
     * can likely decode the file.
     */
    public record StreamGrant(String id, String url, String infoHash, int fileIndex, String fileName, long size, String contentType,
            boolean playable, String expiresAt) {}

    public record StreamList(List<StreamGrant> streams) {}

    /**
     * A grant with what the player shows beside it.
     *
     * @param downloadedRanges verified bytes of the file, merged {@code [start, endExclusive)} pairs
     * @param bufferedAhead    verified bytes from the last read position on, without a gap
     */
    public record StreamStatus(StreamGrant grant, List<long[]> downloadedRanges, long bufferedAhead, long downloadRate, int peers,
            String state) {}

    /** What {@code open} handed to the desktop: the finished file, or the stream URL of one still downloading. */
    public record Opened(String opened, String target) {}
}
