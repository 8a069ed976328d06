package dev.magnetar.bencode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bencoded dictionary. Keys are byte strings; entries keep the order they were decoded or built in
 * (the encoder sorts them, as BEP 3 requires). A dictionary that came out of the decoder also knows the
 * exact byte span of each value, so that e.g. the info-hash is computed over the original bytes and
 * not over a re-encoding (which would differ for non-canonical input).
 */
public final class BDictionary implements BValue {

    private final Map<BString, BValue> entries;
    private final Map<BString, Span> spans;

    private BDictionary(Map<BString, BValue> entries, Map<BString, Span> spans) {
        this.entries = Collections.unmodifiableMap(entries);
        this.spans = Collections.unmodifiableMap(spans);
    }

    /** A dictionary built by hand; it carries no spans. */
    public static BDictionary of(Map<BString, ? extends BValue> entries) {
        return new BDictionary(new LinkedHashMap<>(entries), Map.of());
    }

    static BDictionary decoded(LinkedHashMap<BString, BValue> entries, LinkedHashMap<BString, Span> spans) {
        return new BDictionary(entries, spans);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<BString, BValue> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** The value under an ASCII/UTF-8 key, or null if absent. */
    public BValue get(String key) {
        return entries.get(BString.of(key));
    }

    public BValue get(BString key) {
        return entries.get(key);
    }

    public boolean containsKey(String key) {
        return entries.containsKey(BString.of(key));
    }

    /** Where the value under {@code key} sat in the decoded input, or null (absent, or built by hand). */
    public Span spanOf(String key) {
        return spans.get(BString.of(key));
    }

    @Override
    public String kind() {
        return "dictionary";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BDictionary other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Builds a dictionary fluently; later puts replace earlier ones. */
    public static final class Builder {
        private final LinkedHashMap<BString, BValue> entries = new LinkedHashMap<>();

        public Builder put(String key, BValue value) {
            entries.put(BString.of(key), Objects.requireNonNull(value, key));
            return this;
        }

        public Builder put(String key, String utf8) {
            return put(key, BString.of(utf8));
        }

        public Builder put(String key, byte[] bytes) {
            return put(key, BString.of(bytes));
        }

        public Builder put(String key, long value) {
            return put(key, new BInteger(value));
        }

        public Builder put(BString key, BValue value) {
            entries.put(key, Objects.requireNonNull(value));
            return this;
        }

        public BDictionary build() {
            return new BDictionary(new LinkedHashMap<>(entries), Map.of());
        }
    }
}
