package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    /** As Jetty's pool answers: a response written on one thread, the next on another, threads that come and go. */
    @Test
    void threadsThatWriteResponsesShareABoundedSetOfBuffers() throws Exception {
        List<Map<String, String>> torrents = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            torrents.add(Map.of("infoHash", "%040x".formatted(i), "name", "torrent " + i, "state", "DOWNLOADING"));
        }
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Thread writer = new Thread(() -> {
                try {
                    assertTrue(Json.mapper().writeValueAsBytes(Map.of("torrents", torrents)).length > 1000);
                } catch (JsonProcessingException | RuntimeException e) {
                    failures.add(e);
                }
            });
            writer.start();
            writer.join();
        }
        assertEquals(List.of(), failures);
        int kept = Json.mapper().getFactory()._getRecyclerPool().pooledCount();
        // Jackson's per-thread default answers -1 here: it cannot say, and keeps one set for each of the 16 threads.
        assertTrue(kept >= 1 && kept <= Json.SHARED_BUFFER_SETS, "buffer sets kept: " + kept);
    }
}
