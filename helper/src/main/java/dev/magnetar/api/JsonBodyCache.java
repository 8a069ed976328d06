package dev.magnetar.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.function.Function;

/**
 * Serialises a value to JSON and hands out the same bytes while the next value is equal to it. Made
 * for {@code GET /api/v1/torrents}, which the popup polls and which changes at most at the engine's
 * progress rate (about 1 Hz): comparing status records is far cheaper than writing their JSON through
 * Jackson's reflective record accessors, and the engine hands out the same list instance while
 * nothing changed, which compares by identity (see bench/README.md). Only for immutable values with
 * value equality (records of strings and numbers): equal values must mean equal JSON. Thread-safe; a race only costs an extra serialisation.
 */
final class JsonBodyCache<T> {

    private record Entry<T>(T value, EncodedJson json) {}

    private final Function<? super T, ?> body;
    private volatile Entry<T> last;

    /** {@code body} makes what is written from the value, e.g. wraps a list in its response record. */
    JsonBodyCache(Function<? super T, ?> body) {
        this.body = body;
    }

    EncodedJson encode(T value) throws JsonProcessingException {
        Entry<T> e = last;
        if (e != null && (e.value() == value || e.value().equals(value))) {
            if (e.value() != value) {
                // Keep the newer of two equal values: a caller that hands out the same instance until
                // it changes then compares by identity from the next call on, not record by record.
                last = new Entry<>(value, e.json());
            }
            return e.json();
        }
        EncodedJson json = new EncodedJson(Json.mapper().writeValueAsBytes(body.apply(value)));
        last = new Entry<>(value, json);
        return json;
    }
}
