package dev.magnetar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Damaged and edited variants of a JSON file, for tests that read a file two ways and compare: every field of every object
 * left out, set to null and to each kind of value, an unknown field added to each object, null and stray elements in each
 * array, a field written twice, and the file cut off at many places.
 */
public final class JsonMutations {

    private static final ObjectMapper TREES = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<JsonNode> VALUES = List.of(NODES.nullNode(), NODES.textNode("text"), NODES.textNode(""),
            NODES.textNode("12"), NODES.textNode("2026-01-01T00:00:00Z"), NODES.textNode("APPROVED"), NODES.numberNode(12),
            NODES.numberNode(-1), NODES.numberNode(0), NODES.numberNode(1.5), NODES.numberNode(new BigInteger("99999999999999999999999")),
            NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode());

    private JsonMutations() {}

    /** The variants of {@code original} (a JSON document), each a whole file's bytes. */
    public static List<byte[]> of(byte[] original) throws Exception {
        List<byte[]> out = new ArrayList<>();
        JsonNode root = TREES.readTree(original);
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        for (int c = 0; c < containers.size(); c++) {
            JsonNode container = containers.get(c);
            if (container instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    JsonNode kept = object.get(name);
                    object.remove(name);
                    out.add(TREES.writeValueAsBytes(root));
                    for (JsonNode v : VALUES) {
                        object.set(name, v);
                        out.add(TREES.writeValueAsBytes(root));
                    }
                    object.set(name, kept);
                    // The field twice: the second copy replaces the text of a marker field, as no tree can hold it.
                    object.put("__twice__", 0);
                    String text = TREES.writeValueAsString(root);
                    object.remove("__twice__");
                    out.add(text.replace("\"__twice__\":0", "\"" + name + "\":" + TREES.writeValueAsString(kept))
                            .getBytes(StandardCharsets.UTF_8));
                }
                object.put("unknownField", 1);
                out.add(TREES.writeValueAsBytes(root));
                object.remove("unknownField");
            } else if (container instanceof ArrayNode array) {
                for (JsonNode v : List.of(NODES.nullNode(), NODES.textNode("x"), NODES.numberNode(1))) {
                    array.add(v);
                    out.add(TREES.writeValueAsBytes(root));
                    array.remove(array.size() - 1);
                }
            }
        }
        for (int cut = 0; cut < original.length; cut += Math.max(1, original.length / 60)) {
            out.add(java.util.Arrays.copyOf(original, cut));
        }
        out.add((new String(original, StandardCharsets.UTF_8) + " trailing").getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    collect(e.getValue(), into);
                }
            } else {
                node.forEach(child -> collect(child, into));
            }
        }
    }
}
