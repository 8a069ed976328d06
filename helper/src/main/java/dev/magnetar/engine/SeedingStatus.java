package dev.magnetar.engine;

/**
 * A torrent's seeding goal and progress, as its detail shows them.
 *
 * @param ownGoal its own goal, or null when it follows the engine-wide one
 * @param goal the goal that applies ({@link SeedingGoal#NONE}: seeds for ever)
 * @param uploadedBytes payload bytes uploaded in all sessions
 * @param seedingSeconds time spent seeding in all sessions (as of the last look, every few seconds)
 * @param finishedReason why it stopped seeding, while {@link TorrentState#COMPLETED}; else null
 */
public record SeedingStatus(SeedingGoal ownGoal, SeedingGoal goal, long uploadedBytes, long seedingSeconds, String finishedReason) {
}
