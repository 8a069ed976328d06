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
        Long uploadLimit) {

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
    }

    SessionEntry withPaused(boolean p) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, p, sequential,
                downloadLimit, uploadLimit);
    }

    SessionEntry withSequential(boolean s) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, paused, s,
                downloadLimit, uploadLimit);
    }

    SessionEntry withMetadataKnown(String newName) {
        return new SessionEntry(infoHash, newName, magnet, true, downloadDir, trackers, paused, sequential,
                downloadLimit, uploadLimit);
    }

    SessionEntry withRateLimits(long down, long up) {
        return new SessionEntry(infoHash, name, magnet, metadataKnown, downloadDir, trackers, paused, sequential,
                down, up);
    }

    /** Whether the torrent has a limit of its own to restore. */
    boolean hasRateLimits() {
        return downloadLimit > 0 || uploadLimit > 0;
    }
}
