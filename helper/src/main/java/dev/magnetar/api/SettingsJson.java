package dev.magnetar.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code settings.json} read and written with Jackson's streaming API (jackson-core), not its data binding.
 *
 * <p>Why: the daemon reads this file first thing in its start, and with data binding that read was the first use of
 * {@code ObjectMapper} in the process — ~410 {@code jackson.databind} classes loaded and run interpreted, the mapper built,
 * the record's deserializer introspected: 90–125 ms of the main thread before the API could answer (bench/README.md,
 * start-up, sessions 18–20). With this and {@code DaemonStateFile}'s generator, {@code -Xlog:class+load} of a start as the
 * native host starts it counted 6 {@code jackson.databind} classes before the first {@code /health} reached the API's
 * security handler, against 446 (all classes 2,612 against 3,442); {@code bench/api --startup-only --rt-priority
 * --vs-jar}, 8 alternating rounds at load 18–22: CPU to ready within the noise, idle RSS 1.0 MiB lower in 8 of 8.
 *
 * <p>The rules are {@link Json}'s, which the file was read with before: unknown fields refused; a string only where a string
 * or a number (taken as its text) is expected, a number where a number, {@code true}/{@code false} where a flag (no coercion between them, no single value
 * for a list); {@code null} refused for the primitive fields and meaning "the default" for the others, as does leaving one of
 * the others out; whatever follows the object is not read. One rule differs: a field given twice is refused. Data binding took
 * the later value while some field was still to come and refused the repetition once every field had been seen (the
 * record was built by then), so a file's fate hung on the order of its fields. A primitive field left out is
 * refused; a fraction where a whole number is expected is cut off.
 * {@code SettingsJsonTest} reads a matrix of files both ways and checks that each is taken or refused alike.
 * The output is byte for byte what {@code Json.mapper().writerWithDefaultPrettyPrinter()} wrote, so a file the daemon
 * wrote before is not rewritten at its next start ({@link SettingsStore#saveCurrent()}).
 */
final class SettingsJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    /** The record's components in declaration order: the order data binding wrote them in. */
    static final List<String> FIELDS = List.of("downloadDir", "quitWithBrowser", "listenPort", "network", "devnetPort",
            "extensionIds", "downloadBytesPerSecond", "uploadBytesPerSecond", "chainEndpoint", "askPerGiBBtt", "seedRatioLimit",
            "seedingTimeLimitMinutes", "portMapping", "utp");

    private SettingsJson() {}

    /** The settings in {@code content}; an {@link IOException} whose message names the field, the rule and the place. */
    static Settings read(byte[] content) throws IOException {
        try (JsonParser p = FACTORY.createParser(content)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new JsonParseException(p, "the file is empty: expected a JSON object of settings");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "expected a JSON object of settings, found " + found(p));
            }
            String downloadDir = null;
            Boolean quitWithBrowser = null;
            Integer listenPort = null;
            String network = null;
            Integer devnetPort = null;
            List<String> extensionIds = null;
            Long downloadBytesPerSecond = null;
            Long uploadBytesPerSecond = null;
            String chainEndpoint = null;
            String askPerGiBBtt = null;
            Double seedRatioLimit = null;
            Long seedingTimeLimitMinutes = null;
            Boolean portMapping = null;
            Boolean utp = null;
            Set<String> seen = new HashSet<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                if (!seen.add(name)) {
                    throw new JsonParseException(p, name + " is given twice; keep one");
                }
                switch (name) {
                    case "downloadDir" -> downloadDir = text(p, name);
                    case "quitWithBrowser" -> quitWithBrowser = flag(p, name);
                    case "listenPort" -> listenPort = whole(p, name);
                    case "network" -> network = text(p, name);
                    case "devnetPort" -> devnetPort = whole(p, name);
                    case "extensionIds" -> extensionIds = texts(p, name);
                    case "downloadBytesPerSecond" -> downloadBytesPerSecond = wholeOrNull(p, name);
                    case "uploadBytesPerSecond" -> uploadBytesPerSecond = wholeOrNull(p, name);
                    case "chainEndpoint" -> chainEndpoint = text(p, name);
                    case "askPerGiBBtt" -> askPerGiBBtt = text(p, name);
                    case "seedRatioLimit" -> seedRatioLimit = numberOrNull(p, name);
                    case "seedingTimeLimitMinutes" -> seedingTimeLimitMinutes = wholeOrNull(p, name);
                    case "portMapping" -> portMapping = flagOrNull(p, name);
                    case "utp" -> utp = flagOrNull(p, name);
                    default -> throw new JsonParseException(p, "unknown field \"" + name + "\"; the known fields are " + FIELDS);
                }
            }
            return new Settings(downloadDir, required(p, "quitWithBrowser", quitWithBrowser), required(p, "listenPort", listenPort), network,
                    required(p, "devnetPort", devnetPort), extensionIds, downloadBytesPerSecond,
                    uploadBytesPerSecond, chainEndpoint, askPerGiBBtt, seedRatioLimit, seedingTimeLimitMinutes, portMapping, utp);
        }
    }

    /** The file as the daemon writes it: two-space indented, every field present, nulls written. */
    static byte[] write(Settings s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("downloadDir", s.downloadDir());
            g.writeBooleanField("quitWithBrowser", s.quitWithBrowser());
            g.writeNumberField("listenPort", s.listenPort());
            g.writeStringField("network", s.network());
            g.writeNumberField("devnetPort", s.devnetPort());
            g.writeArrayFieldStart("extensionIds");
            for (String id : s.extensionIds()) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeNumberField("downloadBytesPerSecond", s.downloadBytesPerSecond());
            g.writeNumberField("uploadBytesPerSecond", s.uploadBytesPerSecond());
            g.writeStringField("chainEndpoint", s.chainEndpoint());
            g.writeStringField("askPerGiBBtt", s.askPerGiBBtt());
            g.writeNumberField("seedRatioLimit", s.seedRatioLimit());
            g.writeNumberField("seedingTimeLimitMinutes", s.seedingTimeLimitMinutes());
            g.writeBooleanField("portMapping", s.portMapping());
            g.writeBooleanField("utp", s.utp());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** A primitive field may not be left out: data binding with FAIL_ON_NULL_FOR_PRIMITIVES refused a missing one too. */
    private static <T> T required(JsonParser p, String field, T value) throws JsonParseException {
        if (value == null) {
            throw new JsonParseException(p, field + " is missing; the settings need it");
        }
        return value;
    }

    private static String text(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            // A number is taken as its text, as data binding took it (an ask of 5 is "5").
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
            case VALUE_NULL -> null;
            default -> throw wrongType(p, field, "a string");
        };
    }

    private static List<String> texts(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw wrongType(p, field, "a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_STRING) {
                throw wrongType(p, field, "a list of strings");
            }
            values.add(p.getText());
        }
        return values;
    }

    private static boolean flag(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw wrongType(p, field, "true or false");
        };
    }

    private static Boolean flagOrNull(JsonParser p, String field) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : flag(p, field);
    }

    /**
     * An int; one out of range is refused by the parser, naming the range. A fraction is cut off, as data binding did
     * ({@code DeserializationFeature.ACCEPT_FLOAT_AS_INT}, on by default): a file that started a daemon still does.
     */
    private static int whole(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getIntValue();
            default -> throw wrongType(p, field, "a whole number");
        };
    }

    private static Long wholeOrNull(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getLongValue();
            case VALUE_NULL -> null;
            default -> throw wrongType(p, field, "a whole number");
        };
    }

    private static Double numberOrNull(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_NULL -> null;
            default -> throw wrongType(p, field, "a number");
        };
    }

    private static JsonParseException wrongType(JsonParser p, String field, String expected) {
        return new JsonParseException(p, field + " must be " + expected + ", found " + found(p));
    }

    private static String found(JsonParser p) {
        try {
            return switch (p.currentToken()) {
                case VALUE_STRING -> "the string \"" + p.getText() + "\"";
                case START_ARRAY -> "a list";
                case START_OBJECT -> "an object";
                default -> p.getText();
            };
        } catch (IOException e) {
            return p.currentToken().name();
        }
    }
}
