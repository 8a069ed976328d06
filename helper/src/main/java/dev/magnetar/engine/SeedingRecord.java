package dev.magnetar.engine;

/**
 * A torrent's seeding as the session list keeps it across restarts ({@link SessionEntry#seeding}).
 *
 * @param goal its own goal, or null to follow the engine-wide one
 * @param uploadedBytes payload bytes uploaded in all sessions, as of the last save
 * @param seedingSeconds time spent seeding in all sessions, as of the last save
 * @param finishedReason why it stopped seeding ({@link TorrentState#COMPLETED}), or null while it may seed
 */
public record SeedingRecord(SeedingGoal goal, long uploadedBytes, long seedingSeconds, String finishedReason) {

    public static final SeedingRecord NEW = new SeedingRecord(null, 0, 0, null);

    public SeedingRecord {
        if (uploadedBytes < 0 || seedingSeconds < 0) {
            throw new IllegalArgumentException("uploaded bytes and seeding seconds cannot be negative");
        }
    }

    public boolean finished() {
        return finishedReason != null;
    }
}
