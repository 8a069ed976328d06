package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bookkeeping of seeding goals with a clock and upload counter the test moves by hand. */
class SeedingGoalsTest {

    private static final String HASH = "ab".repeat(20);
    private static final long SIZE = 1_000_000;
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final SeedingGoals goals = new SeedingGoals();

    @Test
    void theGlobalRatioStopsATorrentOnceItUploadedThatManyTimesItsSize() {
        goals.setGlobal(new SeedingGoal(2.0, null));
        goals.track(HASH, SeedingRecord.NEW);

        assertEquals(Optional.empty(), goals.observe(HASH, TorrentState.SEEDING, 1_999_999, SIZE, 0));
        Optional<String> stop = goals.observe(HASH, TorrentState.SEEDING, 2_000_000, SIZE, MINUTE);

        assertEquals(Optional.of("ratio 2.00 reached (limit 2)"), stop);
        assertEquals("ratio 2.00 reached (limit 2)", goals.record(HASH).finishedReason());
        assertEquals(Optional.empty(), goals.observe(HASH, TorrentState.SEEDING, 2_500_000, SIZE, 2 * MINUTE), "said once");
    }

    @Test
    void onlyTimeSpentSeedingCountsTowardsTheTimeLimit() {
        goals.setGlobal(new SeedingGoal(null, 10L));
        goals.track(HASH, SeedingRecord.NEW);
        goals.observe(HASH, TorrentState.DOWNLOADING, 0, SIZE, 0);
        goals.observe(HASH, TorrentState.SEEDING, 0, SIZE, 100 * MINUTE); // downloading all this time
        goals.observe(HASH, TorrentState.SEEDING, 0, SIZE, 104 * MINUTE);
        goals.observe(HASH, TorrentState.PAUSED, 0, SIZE, 109 * MINUTE); // 5 paused minutes do not count…
        goals.observe(HASH, TorrentState.SEEDING, 0, SIZE, 200 * MINUTE);
        assertEquals(Optional.empty(), goals.observe(HASH, TorrentState.SEEDING, 0, SIZE, 205 * MINUTE), "4 + 5 minutes seeded");
        assertEquals(9 * 60, goals.record(HASH).seedingSeconds());

        assertEquals(Optional.of("seeded 10 min (limit 10 min)"), goals.observe(HASH, TorrentState.SEEDING, 0, SIZE, 206 * MINUTE));
    }

    @Test
    void countsGoOnFromWhatTheSessionListKept() {
        goals.setGlobal(new SeedingGoal(1.0, 60L));
        goals.track(HASH, new SeedingRecord(null, 900_000, 59 * 60, null));

        assertEquals(Optional.empty(), goals.observe(HASH, TorrentState.SEEDING, 50_000, SIZE, 0));
        assertEquals(950_000, goals.record(HASH).uploadedBytes(), "earlier sessions plus this one");
        assertTrue(goals.observe(HASH, TorrentState.SEEDING, 100_000, SIZE, MINUTE).isPresent(), "1.0 reached and 60 minutes too");
    }

    @Test
    void aTorrentsOwnGoalBeatsTheGlobalOneAndNullFollowsIt() {
        goals.setGlobal(new SeedingGoal(0.5, null));
        goals.track(HASH, SeedingRecord.NEW);
        goals.setOwnGoal(HASH, SeedingGoal.NONE);
        assertEquals(Optional.empty(), goals.observe(HASH, TorrentState.SEEDING, 10 * SIZE, SIZE, 0), "its own: seed for ever");
        assertEquals(SeedingGoal.NONE, goals.effectiveGoal(HASH));

        goals.setOwnGoal(HASH, null);
        assertEquals(new SeedingGoal(0.5, null), goals.effectiveGoal(HASH));
        assertTrue(goals.observe(HASH, TorrentState.SEEDING, 10 * SIZE, SIZE, MINUTE).isPresent());
    }

    @Test
    void resumingAFinishedTorrentSeedsItOnWithoutAGoalUntilItGetsOne() {
        goals.setGlobal(new SeedingGoal(1.0, null));
        goals.track(HASH, SeedingRecord.NEW);
        assertTrue(goals.observe(HASH, TorrentState.SEEDING, SIZE, SIZE, 0).isPresent());

        goals.resumedAfterFinish(HASH);

        assertNull(goals.record(HASH).finishedReason());
        assertEquals(SeedingGoal.NONE, goals.record(HASH).goal());
        assertEquals(Optional.empty(), goals.observe(HASH, TorrentState.SEEDING, 5 * SIZE, SIZE, MINUTE));
        goals.setOwnGoal(HASH, new SeedingGoal(3.0, null));
        assertEquals(Optional.of("ratio 5.00 reached (limit 3)"), goals.observe(HASH, TorrentState.SEEDING, 5 * SIZE, SIZE, 2 * MINUTE));
    }

    @Test
    void noRatioBeforeTheSizeIsKnownAndNoGoalForAnUntrackedTorrent() {
        goals.setGlobal(new SeedingGoal(0.1, null));
        goals.track(HASH, SeedingRecord.NEW);
        assertEquals(Optional.empty(), goals.observe(HASH, TorrentState.SEEDING, 5, 0, 0));
        assertEquals(Optional.empty(), goals.observe("cd".repeat(20), TorrentState.SEEDING, 5, SIZE, 0));
        assertNull(goals.record("cd".repeat(20)));
    }

    @Test
    void nonsenseGoalsAreRefusedWithTheRange() {
        assertThrows(IllegalArgumentException.class, () -> new SeedingGoal(0.0, null));
        assertThrows(IllegalArgumentException.class, () -> new SeedingGoal(Double.NaN, null));
        assertThrows(IllegalArgumentException.class, () -> new SeedingGoal(10_000.0, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SeedingGoal(null, 0L));
        assertTrue(e.getMessage().contains("1 to 525600"), e.getMessage());
    }
}
