package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which seeding counts a periodic save writes to the session list. */
class SeedingRecordTest {

    private static final long STEP = 15 * 60;
    private static final SeedingRecord SAVED = new SeedingRecord(null, 1000, 600, null);

    @Test
    void anIdleSeedersGrowingTimeIsWrittenOnlyEveryStep() {
        assertFalse(new SeedingRecord(null, 1000, 600 + 60, null).worthAPeriodicSave(SAVED, STEP), "a minute more seeding, nothing else");
        assertFalse(new SeedingRecord(null, 1000, 600 + STEP - 1, null).worthAPeriodicSave(SAVED, STEP));
        assertTrue(new SeedingRecord(null, 1000, 600 + STEP, null).worthAPeriodicSave(SAVED, STEP));
    }

    @Test
    void anyOtherChangeIsWrittenAtOnce() {
        assertTrue(new SeedingRecord(null, 1001, 600, null).worthAPeriodicSave(SAVED, STEP), "uploaded bytes");
        assertTrue(new SeedingRecord(new SeedingGoal(2.0, null), 1000, 600, null).worthAPeriodicSave(SAVED, STEP), "its own goal");
        assertTrue(new SeedingRecord(null, 1000, 600, "ratio 2.00 reached").worthAPeriodicSave(SAVED, STEP), "finished");
        assertTrue(SAVED.worthAPeriodicSave(null, STEP), "nothing saved yet");
        assertFalse(SAVED.worthAPeriodicSave(SAVED, STEP), "no change at all");
    }
}
