package dev.magnetar.lsd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metainfo.InfoHash;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** What goes into BEP 14 announces; never started here (that would multicast on the LAN). */
class LocalServiceDiscoveryTest {

    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Set<InfoHash> stopped = ConcurrentHashMap.newKeySet();
    private final LocalServiceDiscovery lsd = new LocalServiceDiscovery(6881, Duration.ofMinutes(5), Clock.systemUTC(),
            peer -> { }, h -> !stopped.contains(h));

    private static InfoHash hash(int i) {
        byte[] b = new byte[20];
        b[19] = (byte) i;
        return InfoHash.of(b);
    }

    @Test
    void aTorrentThatMayNotAnnounceItselfIsLeftOutOfTheAnnounces() {
        lsd.add(hash(1));
        lsd.add(hash(2));
        stopped.add(hash(2)); // e.g. in ERROR: its files are gone

        assertEquals(List.of(hash(1)), lsd.dueAnnounces(t0));
        assertEquals(List.of(), lsd.dueAnnounces(t0.plusSeconds(600)).stream().filter(hash(2)::equals).toList(),
                "still left out minutes later");
    }

    @Test
    void itIsAnnouncedSoonAfterItMayAgain() {
        lsd.add(hash(1));
        stopped.add(hash(1));
        assertEquals(List.of(), lsd.dueAnnounces(t0));

        stopped.remove(hash(1)); // resumed, out of error

        assertEquals(List.of(hash(1)), lsd.dueAnnounces(t0.plusSeconds(5)));
    }

    @Test
    void aRemovedTorrentIsNeverAnnouncedAgain() {
        lsd.add(hash(1));
        lsd.remove(hash(1));
        assertEquals(List.of(), lsd.dueAnnounces(t0));
    }
}
