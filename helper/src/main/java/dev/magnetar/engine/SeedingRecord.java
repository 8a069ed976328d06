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

    /**
     * Whether a periodic save should write this record over {@code saved}: anything but the seeding time
     * changed, or the time grew by {@code timeStepSeconds} or more. Time alone moves for every seeding
     * torrent, idle or not, so writing it every period would put a line per seeding torrent in the
     * session journal each period — work that grows with the number of torrents while nothing happens.
     * The stop, the close and every other change still write the exact counts.
     */
    public boolean worthAPeriodicSave(SeedingRecord saved, long timeStepSeconds) {
        if (saved == null || !java.util.Objects.equals(goal, saved.goal) || uploadedBytes != saved.uploadedBytes
                || !java.util.Objects.equals(finishedReason, saved.finishedReason)) {
            return true;
        }
        return Math.abs(seedingSeconds - saved.seedingSeconds) >= timeStepSeconds;
    }
}
