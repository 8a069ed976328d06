package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    private static final Path DOWNLOADS = Path.of("downloads");
    private static final Path RESUME = Path.of("resume");

    @Test
    void pendingWriteBoundIsAnEighthOfTheHeapBetween8And16MiB() {
        assertEquals(16L << 20, EngineSettings.pendingWriteBoundFor(256L << 20), "-Xmx256m");
        assertEquals(12L << 20, EngineSettings.pendingWriteBoundFor(96L << 20), "-Xmx96m");
        assertEquals(8L << 20, EngineSettings.pendingWriteBoundFor(64L << 20), "-Xmx64m");
        assertEquals(8L << 20, EngineSettings.pendingWriteBoundFor(16L << 20), "tiny heap: floor");
        assertEquals(16L << 20, EngineSettings.pendingWriteBoundFor(6L << 30), "big heap (the daemon's default): cap");
        assertEquals(16L << 20, EngineSettings.pendingWriteBoundFor(Long.MAX_VALUE), "no limit reported");
    }

    @Test
    void builderStartsFromTheDocumentedDefaults() {
        EngineSettings s = EngineSettings.builder(DOWNLOADS, RESUME).build();
        assertEquals("::", s.listenAddress());
        assertEquals(0, s.listenPort());
        assertEquals(EngineSettings.DEFAULT_MAX_PEERS, s.maxPeersPerTorrent());
        assertEquals(EngineSettings.DEFAULT_HALF_OPEN, s.maxHalfOpenPerTorrent());
        assertEquals(0, s.downloadBytesPerSecond());
        assertEquals(0, s.uploadBytesPerSecond());
        assertEquals(1, s.peerThreads());
        assertEquals(EngineSettings.DEFAULT_REQUEST_TIMEOUT, s.requestTimeout());
        assertEquals(PeerDiscoverySettings.defaults(RESUME), s.discovery(), "discovery state lives beside resume data");
        assertNull(s.sessionFile(), "the session list is opt-in");
        assertEquals(ChokerSettings.DEFAULTS, s.choker());
        assertEquals(s, EngineSettings.defaults(DOWNLOADS, RESUME));
    }

    @Test
    void toBuilderChangesOnlyWhatItIsTold() {
        EngineSettings base = EngineSettings.builder(DOWNLOADS, RESUME).listen("127.0.0.1", 6881).build();
        ChokerSettings twoSlots = ChokerSettings.DEFAULTS.withRegularSlots(2);
        EngineSettings changed = base.toBuilder().rateLimits(1000, 2000).choker(twoSlots)
                .requestTimeout(Duration.ofSeconds(5)).build();

        assertEquals(1000, changed.downloadBytesPerSecond());
        assertEquals(2000, changed.uploadBytesPerSecond());
        assertEquals(twoSlots, changed.choker());
        assertEquals(Duration.ofSeconds(5), changed.requestTimeout());
        assertEquals(base, changed.toBuilder().rateLimits(0, 0).choker(ChokerSettings.DEFAULTS)
                .requestTimeout(EngineSettings.DEFAULT_REQUEST_TIMEOUT).build(), "everything else is untouched");
        assertEquals(0, base.uploadBytesPerSecond(), "the pack it started from is unchanged");
    }

    @Test
    void builderRejectsAnInvalidPackWithAMessageNamingTheFault() {
        EngineSettings.Builder b = EngineSettings.builder(DOWNLOADS, RESUME);
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> b.listen("127.0.0.1", 70_000).build());
        assertTrue(port.getMessage().contains("70000"), port.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> EngineSettings.builder(DOWNLOADS, RESUME).rateLimits(-1, 0).build());
        assertThrows(IllegalArgumentException.class,
                () -> EngineSettings.builder(DOWNLOADS, RESUME).maxPeersPerTorrent(0).build());
        NullPointerException noChoker = assertThrows(NullPointerException.class,
                () -> EngineSettings.builder(DOWNLOADS, RESUME).choker(null).build());
        assertEquals("choker", noChoker.getMessage());
        NullPointerException noResume = assertThrows(NullPointerException.class,
                () -> EngineSettings.builder(DOWNLOADS, null).build());
        assertEquals("resumeDir", noResume.getMessage());
    }
}
