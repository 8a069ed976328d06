package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    @Test
    void pendingWriteBoundIsAnEighthOfTheHeapBetween8And32MiB() {
        assertEquals(32L << 20, EngineSettings.pendingWriteBoundFor(256L << 20), "-Xmx256m");
        assertEquals(8L << 20, EngineSettings.pendingWriteBoundFor(64L << 20), "-Xmx64m");
        assertEquals(8L << 20, EngineSettings.pendingWriteBoundFor(16L << 20), "tiny heap: floor");
        assertEquals(32L << 20, EngineSettings.pendingWriteBoundFor(6L << 30), "big heap: cap");
        assertEquals(32L << 20, EngineSettings.pendingWriteBoundFor(Long.MAX_VALUE), "no limit reported");
    }
}
