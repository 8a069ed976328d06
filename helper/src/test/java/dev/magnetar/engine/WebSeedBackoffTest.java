package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSeedBackoffTest {

    private final WebSeedBackoff backoff = new WebSeedBackoff(Duration.ofSeconds(2), Duration.ofSeconds(60));

    @Test
    void doublesPerFailureInARowUpToTheMaximum() {
        assertEquals(Duration.ofSeconds(2), backoff.delay(1, null));
        assertEquals(Duration.ofSeconds(4), backoff.delay(2, null));
        assertEquals(Duration.ofSeconds(32), backoff.delay(5, null));
        assertEquals(Duration.ofSeconds(60), backoff.delay(6, null));
        assertEquals(Duration.ofSeconds(60), backoff.delay(1000, null));
    }

    @Test
    void theServersRetryAfterWinsEvenBeyondTheMaximum() {
        assertEquals(Duration.ofSeconds(120), backoff.delay(1, Duration.ofSeconds(120)));
        assertEquals(Duration.ZERO, backoff.delay(9, Duration.ZERO));
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WebSeedBackoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new WebSeedBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }

    @Test
    void pickedBlocksBecomeRunsOfFollowingBlocksPerPiece() {
        List<WebSeedRun> runs = WebSeedRun.of(List.of(new BlockRequest(3, 16384, 16384), new BlockRequest(3, 0, 16384),
                new BlockRequest(3, 49152, 16384), new BlockRequest(4, 0, 100)));
        assertEquals(3, runs.size());
        assertEquals(new WebSeedRun(3, 0, 32768, List.of(new BlockRequest(3, 0, 16384), new BlockRequest(3, 16384, 16384))),
                runs.get(0));
        assertEquals(49152, runs.get(1).begin());
        assertEquals(new WebSeedRun(4, 0, 100, List.of(new BlockRequest(4, 0, 100))), runs.get(2));
    }
}
