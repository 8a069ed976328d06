package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.magnetar.api.ApiMessages.TorrentList;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.engine.TorrentStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JsonBodyCacheTest {

    private static TorrentStatus status(String hash, long verified) {
        return new TorrentStatus(hash, "name", TorrentState.DOWNLOADING, 1000, verified, verified, 0, 10, 0, 1, 1, 5L, null, null);
    }

    @Test
    void anEqualValueGetsTheSameBytesWithoutSerialisingAgain() throws Exception {
        JsonBodyCache<List<TorrentStatus>> cache = new JsonBodyCache<>(TorrentList::new);
        EncodedJson first = cache.encode(List.of(status("a".repeat(40), 10)));
        EncodedJson second = cache.encode(List.of(status("a".repeat(40), 10))); // equal, not the same object
        assertSame(first, second);
        assertArrayEquals(Json.mapper().writeValueAsBytes(new TorrentList(List.of(status("a".repeat(40), 10)))), first.bytes());
    }

    @Test
    void aChangedValueIsSerialisedAfresh() throws Exception {
        JsonBodyCache<List<TorrentStatus>> cache = new JsonBodyCache<>(TorrentList::new);
        EncodedJson before = cache.encode(List.of(status("a".repeat(40), 10)));
        List<TorrentStatus> progressed = List.of(status("a".repeat(40), 11));
        EncodedJson after = cache.encode(progressed);
        assertNotSame(before, after);
        assertEquals(Json.mapper().writeValueAsString(new TorrentList(progressed)), new String(after.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void afterAnEqualValueTheNewerInstanceIsComparedByIdentity() throws Exception {
        record Counted(int v) {
            @Override
            public boolean equals(Object o) {
                COMPARISONS.incrementAndGet();
                return o instanceof Counted c && c.v == v;
            }

            @Override
            public int hashCode() {
                return v;
            }
        }
        JsonBodyCache<Counted> cache = new JsonBodyCache<>(c -> c);
        EncodedJson first = cache.encode(new Counted(1));
        Counted rebuilt = new Counted(1); // as the engine's list view after a rebuild that found nothing new
        assertSame(first, cache.encode(rebuilt));
        int afterRebuild = COMPARISONS.get();
        assertSame(first, cache.encode(rebuilt));
        assertSame(first, cache.encode(rebuilt));
        assertEquals(afterRebuild, COMPARISONS.get(), "the same instance was compared field by field again");
    }

    private static final AtomicInteger COMPARISONS = new AtomicInteger();
}
