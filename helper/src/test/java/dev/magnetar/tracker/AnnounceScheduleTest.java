package dev.magnetar.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnounceScheduleTest {

    private static AnnounceResponse answer(int interval, Integer minInterval) {
        return new AnnounceResponse(interval, minInterval, List.of(), null, null, null);
    }

    @Test
    void jitterOnlyStretchesAWaitAndByAtMostATenth() {
        AnnounceSchedule least = AnnounceSchedule.jittered(() -> 0);
        AnnounceSchedule most = AnnounceSchedule.jittered(() -> Math.nextDown(1.0));
        assertEquals(Duration.ofSeconds(1800), least.regular(answer(1800, 60)));
        Duration longest = most.regular(answer(1800, 60));
        assertTrue(longest.compareTo(Duration.ofSeconds(1980)) < 0 && longest.compareTo(Duration.ofSeconds(1979)) > 0, longest.toString());
        assertEquals(Duration.ofSeconds(15), least.retry(1));
        assertTrue(most.retry(1).compareTo(Duration.ofMillis(16_500)) < 0);
    }

    @Test
    void aTrackerAskingForNoWaitAtAllGetsTheFirstBackOffStep() {
        assertEquals(Duration.ofSeconds(15), AnnounceSchedule.exact().regular(answer(0, 0)));
        assertEquals(Duration.ofMinutes(5), AnnounceSchedule.exact().regular(answer(0, null)));
        assertEquals(Duration.ofMinutes(5), AnnounceSchedule.exact().regular(answer(-7, null)), "a negative interval is no interval");
    }

    @Test
    void anEarlyAnnounceWaitsTheMinIntervalOrElseTheFloor() {
        assertEquals(Duration.ofSeconds(30), AnnounceSchedule.exact().early(answer(1800, 30)));
        assertEquals(AnnounceSchedule.DEFAULT_FLOOR, AnnounceSchedule.exact().early(answer(1800, null)));
    }

    @Test
    void aJitterSourceOutsideZeroToOneIsRefusedRatherThanShorteningTheWait() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AnnounceSchedule.jittered(() -> -0.5).regular(answer(1800, 60)));
        assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> AnnounceSchedule.jittered(() -> 1.0).retry(1));
        assertThrows(IllegalStateException.class, () -> AnnounceSchedule.jittered(() -> Double.NaN).retry(1));
    }
}
