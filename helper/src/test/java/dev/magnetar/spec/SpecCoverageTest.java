package dev.magnetar.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Fails when part of protocol-spec/ was never exercised by real traffic in this run. Maven runs it after
 * every other test class, in an execution of its own (the POM's spec-coverage profile), and it reads what
 * each fork recorded ({@link ExercisedRecord}); run in one JVM with the others, {@link Order} puts it last.
 */
@Order(Integer.MAX_VALUE)
class SpecCoverageTest {

    private final SpecValidator spec = SpecValidator.shared();

    private static void assumeFullRun() {
        Assumptions.assumeFalse(SpecValidator.shared().exercisedRoutes().isEmpty(), "only meaningful after the API tests in the same run");
    }

    @Test
    void everyRouteInTheSpecWasExercised() {
        assumeFullRun();
        Set<String> missing = new TreeSet<>(spec.specRoutes());
        missing.removeAll(spec.exercisedRoutes());
        assertEquals(Set.of(), missing, "routes in http-api.yaml no test exercised");
    }

    @Test
    void everyEventTypeWasSeenOnTheWire() {
        assumeFullRun();
        Set<String> missing = new TreeSet<>(spec.specEventTypes());
        missing.removeAll(spec.exercisedEvents());
        assertEquals(Set.of(), missing, "event types no test received");
    }

    @Test
    void everyNativeMessageTypeWasExchanged() {
        assumeFullRun();
        Set<String> missing = new TreeSet<>(spec.specNativeTypes());
        missing.removeAll(spec.exercisedNative());
        assertEquals(Set.of(), missing, "native message types no test exchanged");
    }

    /** The event/native schemas copy some http-api.yaml components; they must stay identical. */
    @Test
    void sharedDefinitionsMatchTheOpenApiComponents() throws Exception {
        JsonNode common = new ObjectMapper().readTree(SpecValidator.SPEC_DIR.resolve("schemas/events/common.json").toFile());
        JsonNode components = spec.openApi().path("components").path("schemas");
        for (Iterator<Map.Entry<String, JsonNode>> it = common.path("$defs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> def = it.next();
            JsonNode expected = rewrite(components.path(def.getKey()).deepCopy());
            assertEquals(expected, def.getValue(), def.getKey() + " differs between common.json and http-api.yaml");
        }
    }

    private static JsonNode rewrite(JsonNode n) {
        if (n instanceof ObjectNode o) {
            if (o.path("$ref").isTextual()) {
                o.put("$ref", o.get("$ref").asText().replace("#/components/schemas/", "#/$defs/"));
            }
            o.fields().forEachRemaining(e -> rewrite(e.getValue()));
        } else if (n.isArray()) {
            n.forEach(SpecCoverageTest::rewrite);
        }
        return n;
    }

}
