package dev.magnetar.util;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the daemon's own files of records — the approvals file, the payment ledger — with jackson-core's streaming parser,
 * not data binding, which they were written with and read with before.
 *
 * <p>Why: the daemon reads both before its API can answer, and for a user who has approved a boost or paid (the files
 * exist) that read was the start's first use of data binding: {@code ObjectMapper}, ~400 {@code jackson.databind} classes,
 * the records' deserializers. {@code bench/api --startup-only --rt-priority --with-spending} (6 alternating rounds, load
 * 7, the same build with and without the two files): API ready 438 against 360 ms, CPU to ready 0.73 against 0.58 s, idle
 * RSS +0.8 MiB (bench/README.md, start-up, session 21). The files are written by data binding still (after the start, at
 * each change); the mapper is built then.
 *
 * <p>The shape is data binding's for records: an object per record, its fields named as the components; a component left
 * out or {@code null} is null, or 0 / false for a primitive; {@link Instant} as its ISO-8601 text, an enum as its constant's
 * name, a {@link BigInteger} or other whole number as a JSON integer, a list as an array. Whatever follows the document is
 * not read. Stricter than data binding, on purpose (the files are machine-written, and money is in them): an unknown field,
 * a field given twice, a {@code null} element of a list, and any coercion (a number for a string, a string for a number, an
 * index for an enum, a fraction for a whole number) are refused. {@code RecordJsonTest} checks that whatever this takes,
 * data binding takes as the same records, and that every file the product writes is taken.
 */
public final class RecordJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private RecordJson() {}

    /** The record of type {@code type} in {@code content}; an {@link IOException} naming the field and the rule. */
    public static <R extends Record> R read(byte[] content, Class<R> type) throws IOException {
        try (JsonParser p = FACTORY.createParser(content)) {
            start(p);
            return type.cast(record(p, type));
        }
    }

    /** The list of records of type {@code element} in {@code content}. */
    public static <R extends Record> List<R> readList(byte[] content, Class<R> element) throws IOException {
        try (JsonParser p = FACTORY.createParser(content)) {
            start(p);
            List<R> out = new ArrayList<>();
            for (Object o : list(p, element, "the document")) {
                out.add(element.cast(o));
            }
            return out;
        }
    }

    private static void start(JsonParser p) throws IOException {
        if (p.nextToken() == null) {
            throw new JsonParseException(p, "the file is empty");
        }
    }

    /**
     * A record type's components, their positions and its canonical constructor, looked up once per type: a ledger holds one
     * record per payment and is read at every start, so the reflection is not repeated for each entry.
     */
    private record Layout(RecordComponent[] components, Map<String, Integer> index, Class<?>[] types, Constructor<?> canonical) {

        static Layout of(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Map<String, Integer> index = new HashMap<>();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                index.put(components[i].getName(), i);
                types[i] = components[i].getType();
            }
            try {
                Constructor<?> canonical = type.getDeclaredConstructor(types);
                canonical.setAccessible(true); // a record private to its store, as data binding reached it
                return new Layout(components, index, types, canonical);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + type, e);
            }
        }
    }

    private static final ClassValue<Layout> LAYOUTS = new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
            return Layout.of(type);
        }
    };

    private static Object record(JsonParser p, Class<?> type) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "expected an object for " + type.getSimpleName() + ", found " + found(p));
        }
        Layout layout = LAYOUTS.get(type);
        RecordComponent[] components = layout.components();
        Class<?>[] types = layout.types();
        Object[] values = new Object[components.length];
        boolean[] seen = new boolean[components.length];
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            p.nextToken();
            Integer i = layout.index().get(name);
            if (i == null) {
                throw new JsonParseException(p, "unknown field \"" + name + "\" in " + type.getSimpleName());
            }
            if (seen[i]) {
                throw new JsonParseException(p, name + " is given twice in " + type.getSimpleName());
            }
            seen[i] = true;
            values[i] = value(p, components[i].getGenericType(), name);
        }
        for (int i = 0; i < components.length; i++) {
            if (values[i] == null && types[i].isPrimitive()) {
                values[i] = types[i] == boolean.class ? Boolean.FALSE : zero(types[i]);
            }
        }
        try {
            return layout.canonical().newInstance(values);
        } catch (InvocationTargetException e) { // the record's own checks refused the values
            throw new JsonParseException(p, type.getSimpleName() + " refused its values: " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type, e);
        }
    }

    private static Object value(JsonParser p, Type type, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            return list(p, (Class<?>) list.getActualTypeArguments()[0], field);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            require(p, t == JsonToken.VALUE_STRING, field, "a string");
            return p.getText();
        }
        if (c == long.class || c == Long.class) {
            require(p, t == JsonToken.VALUE_NUMBER_INT, field, "a whole number");
            return p.getLongValue();
        }
        if (c == int.class || c == Integer.class) {
            require(p, t == JsonToken.VALUE_NUMBER_INT, field, "a whole number");
            return p.getIntValue();
        }
        if (c == BigInteger.class) {
            require(p, t == JsonToken.VALUE_NUMBER_INT, field, "a whole number");
            return p.getBigIntegerValue();
        }
        if (c == boolean.class || c == Boolean.class) {
            require(p, t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE, field, "true or false");
            return t == JsonToken.VALUE_TRUE;
        }
        if (c == Instant.class) {
            require(p, t == JsonToken.VALUE_STRING, field, "an ISO-8601 instant");
            try {
                return Instant.parse(p.getText());
            } catch (DateTimeParseException e) {
                throw new JsonParseException(p, field + " is not an ISO-8601 instant: " + p.getText());
            }
        }
        if (c.isEnum()) {
            require(p, t == JsonToken.VALUE_STRING, field, "one of the names " + List.of(c.getEnumConstants()));
            for (Object constant : c.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(p.getText())) {
                    return constant;
                }
            }
            throw new JsonParseException(p, field + " is " + p.getText() + ", not one of " + List.of(c.getEnumConstants()));
        }
        if (c.isRecord()) {
            return record(p, c);
        }
        throw new IllegalArgumentException("RecordJson cannot read a " + type + " (" + field + ")");
    }

    private static List<Object> list(JsonParser p, Class<?> element, String field) throws IOException {
        require(p, p.currentToken() == JsonToken.START_ARRAY, field, "a list");
        List<Object> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_NULL) {
                throw new JsonParseException(p, field + " has a null element");
            }
            out.add(value(p, element, field));
        }
        return out;
    }

    private static Object zero(Class<?> primitive) {
        return primitive == long.class ? (Object) 0L : primitive == int.class ? (Object) 0 : unsupported(primitive);
    }

    private static Object unsupported(Class<?> primitive) {
        throw new IllegalArgumentException("RecordJson cannot read a " + primitive);
    }

    private static void require(JsonParser p, boolean ok, String field, String expected) throws IOException {
        if (!ok) {
            throw new JsonParseException(p, field + " should be " + expected + ", found " + found(p));
        }
    }

    private static String found(JsonParser p) {
        JsonToken t = p.currentToken();
        return t == null ? "the end of the file" : t.isStructStart() || t.isStructEnd() ? t.asString() : t.name();
    }
}
