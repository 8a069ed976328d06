package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One priority scale: the engine's constant and the API contract in protocol-spec/ say the same. */
class FilePriorityScaleTest {

    @Test
    void scaleIsLibtorrentsZeroToSevenWithFourNormal() {
        assertTrue(FilePriority.isValid(FilePriority.SKIP));
        assertTrue(FilePriority.isValid(FilePriority.MAX));
        assertFalse(FilePriority.isValid(-1));
        assertFalse(FilePriority.isValid(FilePriority.MAX + 1));
        assertEquals(FilePriority.MAX, PiecePicker.MAX_PRIORITY, "the picker ranks on the same scale");
        assertTrue(FilePriority.outOfRange(8).contains("0 (skip) to 7"), FilePriority.outOfRange(8));
    }

    @Test
    void httpApiSpecBoundsPrioritiesByTheSameMaximum() throws Exception {
        JsonNode schemas = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("..", "protocol-spec", "http-api.yaml").toFile()).path("components").path("schemas");
        for (String schema : new String[] {"FileStatus", "FilePriorityRequest"}) {
            JsonNode priority = schemas.path(schema).path("properties").path("priority");
            assertEquals(FilePriority.SKIP, priority.path("minimum").asInt(-1), schema);
            assertEquals(FilePriority.MAX, priority.path("maximum").asInt(-1), schema);
        }
    }
}
