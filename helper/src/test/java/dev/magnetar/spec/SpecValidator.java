package dev.magnetar.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Checks real traffic against protocol-spec/: HTTP exchanges against http-api.yaml (path template,
 * method, status, JSON body against the component schemas, JSON Schema 2020-12), WebSocket events
 * against schemas/events/, native messages against schemas/native/. Records what was exercised so
 * {@link SpecCoverageTest} can fail when part of the spec is never exercised.
 */
public final class SpecValidator {

    public static final Path SPEC_DIR = Path.of("..", "protocol-spec").toAbsolutePath().normalize();
    private static final String SCHEMA_BASE = "https://magnetar.dev/schemas/";
    private static final SpecValidator SHARED = new SpecValidator();

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode openApi;
    private final JsonSchemaFactory factory;
    private final Map<String, JsonSchema> cache = new ConcurrentHashMap<>();
    private final Set<String> exercisedRoutes = ConcurrentHashMap.newKeySet();
    private final Set<String> exercisedEvents = ConcurrentHashMap.newKeySet();
    private final Set<String> exercisedNative = ConcurrentHashMap.newKeySet();
    private final ExercisedRecord record = ExercisedRecord.fromSystemProperty();

    private SpecValidator() {
        try {
            openApi = new ObjectMapper(new YAMLFactory()).readTree(SPEC_DIR.resolve("http-api.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String schemasUri = SPEC_DIR.resolve("schemas").toUri().toString();
        factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
                .schemaMappers(m -> m.mapPrefix(SCHEMA_BASE, schemasUri.endsWith("/") ? schemasUri : schemasUri + "/"))
                .build();
    }

    public static SpecValidator shared() {
        return SHARED;
    }

    public JsonNode openApi() {
        return openApi;
    }

    /** Validates one HTTP exchange; {@code responseBody} null or empty for none (101). */
    public void http(String method, String path, int status, String responseBody) {
        String template = templateFor(path);
        JsonNode op = openApi.path("paths").path(template).path(method.toLowerCase());
        if (op.isMissingNode()) {
            // Refusals before routing (401/403/405 on any path) still must have the Error shape.
            assertTrue(status >= 400, method + " " + template + " answered " + status + " but the spec has no such operation");
            validateComponent("Error", responseBody, method + " " + path);
            return;
        }
        String route = method.toUpperCase() + " " + template;
        if (exercisedRoutes.add(route)) {
            record.add(ExercisedRecord.Kind.ROUTE, route);
        }
        JsonNode response = op.path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            assertTrue(status >= 400, method + " " + template + ": status " + status + " not in the spec");
            response = op.path("responses").path("default");
        }
        response = deref(response);
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return;
        }
        validate(schema, responseBody, method + " " + path + " → " + status);
    }

    /** Validates a request body the test means to be valid. */
    public void httpRequest(String method, String path, String requestBody) {
        JsonNode op = openApi.path("paths").path(templateFor(path)).path(method.toLowerCase());
        JsonNode body = deref(op.path("requestBody"));
        JsonNode schema = body.path("content").path("application/json").path("schema");
        if (!schema.isMissingNode() && requestBody != null && !requestBody.isEmpty()) {
            validate(schema, requestBody, "request " + method + " " + path);
        }
    }

    public void event(String text) {
        String type = typeOf(text);
        if (exercisedEvents.add(type)) {
            record.add(ExercisedRecord.Kind.EVENT, type);
        }
        validateFile("events/" + type + ".json", text);
    }

    public void nativeMessage(String text) {
        String type = typeOf(text);
        if (exercisedNative.add(type)) {
            record.add(ExercisedRecord.Kind.NATIVE, type);
        }
        validateFile("native/" + type + ".json", text);
    }

    public void validateComponent(String name, String body, String what) {
        ObjectNode ref = json.createObjectNode().put("$ref", "#/components/schemas/" + name);
        validate(ref, body, what);
    }

    /** "METHOD /template" for every operation in the spec. */
    public Set<String> specRoutes() {
        Set<String> all = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = openApi.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<String> m = p.getValue().fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (!method.equals("parameters")) {
                    all.add(method.toUpperCase() + " " + p.getKey());
                }
            }
        }
        return all;
    }

    public Set<String> specEventTypes() {
        return typesIn("events");
    }

    public Set<String> specNativeTypes() {
        return typesIn("native");
    }

    /** What this JVM exercised and, when tests run in several forks, what the other forks recorded. */
    public Set<String> exercisedRoutes() {
        return record.union(ExercisedRecord.Kind.ROUTE, exercisedRoutes);
    }

    public Set<String> exercisedEvents() {
        return record.union(ExercisedRecord.Kind.EVENT, exercisedEvents);
    }

    public Set<String> exercisedNative() {
        return record.union(ExercisedRecord.Kind.NATIVE, exercisedNative);
    }

    /** The spec's path template for a concrete path, or fails. */
    public String templateFor(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] parts = p.split("/", -1);
        for (Iterator<String> it = openApi.path("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            String[] segs = t.split("/", -1);
            if (segs.length != parts.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < segs.length && match; i++) {
                match = segs[i].equals(parts[i]) || (segs[i].startsWith("{") && !parts[i].isEmpty());
            }
            if (match) {
                return t;
            }
        }
        return p; // not in the spec: callers fail with a message naming it
    }

    private Set<String> typesIn(String dir) {
        try (Stream<Path> files = Files.list(SPEC_DIR.resolve("schemas").resolve(dir))) {
            Set<String> types = new TreeSet<>();
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.equals("common.json"))
                    .forEach(n -> types.add(n.substring(0, n.length() - 5)));
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String typeOf(String text) {
        try {
            JsonNode node = json.readTree(text);
            String type = node.path("type").asText(null);
            assertNotNull(type, "message without a type: " + text);
            assertTrue(Files.exists(SPEC_DIR.resolve("schemas")), "spec dir missing");
            return type;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private void validateFile(String relative, String text) {
        Path file = SPEC_DIR.resolve("schemas").resolve(relative);
        assertTrue(Files.exists(file), "no schema " + relative + " for message " + text);
        JsonSchema schema = cache.computeIfAbsent(relative, r -> factory.getSchema(SchemaLocation.of(SCHEMA_BASE + r)));
        check(schema, text, relative);
    }

    private void validate(JsonNode schemaNode, String body, String what) {
        String key = schemaNode.toString();
        JsonSchema schema = cache.computeIfAbsent(key, k -> {
            ObjectNode root = schemaNode.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.set("components", openApi.path("components"));
            return factory.getSchema(URI.create("https://magnetar.dev/http-api.json"), root);
        });
        check(schema, body, what);
    }

    private void check(JsonSchema schema, String body, String what) {
        JsonNode node;
        try {
            node = json.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new AssertionError(what + ": body is not JSON: " + body, e);
        }
        if (node == null || node.isMissingNode()) {
            fail(what + ": expected a JSON body, got none");
        }
        Set<ValidationMessage> errors = schema.validate(node);
        assertEquals(new LinkedHashSet<>(), errors.isEmpty() ? new LinkedHashSet<>() : errors,
                what + " does not match the spec: " + errors + "\nbody: " + body);
    }

    private JsonNode deref(JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual() && ref.asText().startsWith("#/")) {
            return deref(openApi.at(ref.asText().substring(1)));
        }
        return node;
    }
}
