package dev.magnetar.nativehost;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parts of the daemon's API answers handed on to the browser byte for byte. The relay checks only the
 * outline it needs (an object, or an array under a named field) with a streaming parser; what a torrent
 * looks like is the HTTP API's schema (protocol-spec/http-api.yaml), so the host needs no Java type for
 * it and relays a field it does not know as faithfully as one it does.
 */
final class RelayedJson {

    private static final JsonFactory JSON = new JsonFactory();

    private RelayedJson() {}

    /** The whole body, which must be one JSON object. */
    static RawValue object(byte[] body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the answer");
            p.skipChildren();
            expectEnd(p);
        }
        return raw(body, 0, body.length);
    }

    /** The array under {@code field} of the object that is the whole body. */
    static RawValue arrayField(byte[] body, String field) throws IOException {
        RawValue found = null;
        try (JsonParser p = JSON.createParser(body)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the answer");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals(name)) {
                    expect(p, value, JsonToken.START_ARRAY, "\"" + field + "\"");
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    found = raw(body, start, (int) p.currentLocation().getByteOffset());
                } else {
                    p.skipChildren();
                }
            }
            expectEnd(p);
        }
        if (found == null) {
            throw new JsonParseException(null, "the answer has no \"" + field + "\"");
        }
        return found;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) throws JsonParseException {
        if (actual != expected) {
            throw new JsonParseException(p, what + " is " + actual + ", not " + expected);
        }
    }

    /** After the closing brace: nothing but whitespace. */
    private static void expectEnd(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "the answer's object is not closed");
        }
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new JsonParseException(p, "more after the answer's object: " + after);
        }
    }

    private static RawValue raw(byte[] body, int from, int to) {
        return new RawValue(new String(Arrays.copyOfRange(body, from, to), StandardCharsets.UTF_8));
    }
}
