package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.api.ApiMessages.Health;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SystemRoutesTest {

    /** The health bodies are written out by hand for the first answer's sake; they must stay what Jackson makes of the record. */
    @Test
    void healthBodiesAreTheRecordAsJacksonWritesIt() throws Exception {
        for (ChainState state : ChainState.values()) {
            String expected = Json.mapper().writeValueAsString(new Health("ok", state));
            String written = new String(SystemRoutes.HEALTH_BODIES.get(state).bytes(), StandardCharsets.UTF_8);
            assertEquals(expected, written, "health body for " + state);
        }
        assertEquals(ChainState.values().length, SystemRoutes.HEALTH_BODIES.size());
    }
}
