package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SettingsJson} against the data binding the daemon read and wrote {@code settings.json} with before ({@link Json}'s
 * mapper, which the API still uses): every file of a matrix — each field given each kind of value, left out, repeated;
 * unknown fields; damaged and truncated files — is taken with the same settings or refused by both, and what the streaming
 * writer writes is byte for byte what the mapper wrote.
 */
class SettingsJsonTest {

    private static final String VALID_ID = "ighcbjpaekabdiphmkfgookimbgnoogf";
    /** One value of each kind a user might type, valid for some field or for none. */
    private static final List<String> VALUES = List.of("\"x\"", "\"5\"", "\"true\"", "\"\"", "\"NaN\"", "\"/tmp/else\"", "\"nile\"",
            "\"127.0.0.1:50151\"", "\"0.50\"", "\"1e3\"", "5", "-1", "0", "1.5", "2.0", "1e2", "-0.0", "99999999999", "99999999999999999999",
            "true", "false", "null", "[]", "[\"" + VALID_ID + "\"]", "[1]", "[null]", "[[]]", "{}", "\"" + VALID_ID + "\"");

    @TempDir
    Path dir;

    /**
     * The streaming reader and writer name each field by hand: a component added to {@link Settings} must be added to
     * {@link SettingsJson} too, or a save would drop it. The constructor call breaks the build for the reader; this catches
     * the writer and the list of known fields.
     */
    @Test
    void knowsEveryComponentOfTheSettingsRecordInItsOrder() {
        List<String> components = new ArrayList<>();
        for (var c : Settings.class.getRecordComponents()) {
            components.add(c.getName());
        }
        assertEquals(components, SettingsJson.FIELDS);
    }

    private static Map<String, String> validFields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("downloadDir", "\"/tmp/downloads\"");
        f.put("quitWithBrowser", "true");
        f.put("listenPort", "8080");
        f.put("network", "\"devnet\"");
        f.put("devnetPort", "50151");
        f.put("extensionIds", "[\"" + VALID_ID + "\"]");
        f.put("downloadBytesPerSecond", "1048576");
        f.put("uploadBytesPerSecond", "0");
        f.put("chainEndpoint", "null");
        f.put("askPerGiBBtt", "\"0.5\"");
        f.put("seedRatioLimit", "1.5");
        f.put("seedingTimeLimitMinutes", "60");
        f.put("portMapping", "false");
        f.put("utp", "true");
        return f;
    }

    private static String object(Map<String, String> fields) {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return b.append('}').toString();
    }

    private static List<String> matrix() {
        List<String> docs = new ArrayList<>();
        String valid = object(validFields());
        docs.add(valid);
        docs.add("{}");
        for (String field : SettingsJson.FIELDS) {
            for (String value : VALUES) {
                Map<String, String> f = validFields();
                f.put(field, value);
                docs.add(object(f));
            }
            Map<String, String> without = validFields();
            without.remove(field);
            docs.add(object(without));
        }
        for (String value : VALUES) {
            docs.add(value);
            docs.add(valid.replace("}", ",\"unknownField\":" + value + "}"));
        }
        for (int cut = 0; cut < valid.length(); cut += 7) {
            docs.add(valid.substring(0, cut));
        }
        docs.addAll(List.of("", "   ", "{", "}", "[", "{\"downloadDir\"}", "{\"downloadDir\":}", "{downloadDir:\"/x\"}",
                "{\"downloadDir\":\"/x\",}", "{'downloadDir':'/x'}", valid + " trailing", valid + "{}", valid + "]", "\uFEFF" + valid,
                "{\"downloadDir\":\"/x\" // a comment\n}", "{\"listenPort\":0x10,\"downloadDir\":\"/x\"}", "{\"seedRatioLimit\":NaN,\"downloadDir\":\"/x\"}",
                "{\"listenPort\":08,\"downloadDir\":\"/x\"}", "{\"listenPort\":+8,\"downloadDir\":\"/x\"}", "{\"downloadDir\":\"/x\\u0041\"}"));
        return docs;
    }

    /** What the daemon did before: data binding, then the same checks. */
    private static Settings byDataBinding(byte[] content) throws Exception {
        Settings s = Json.mapper().readValue(content, Settings.class);
        SettingsStore.validate(s);
        return s;
    }

    /** The ask compares by amount: the store keeps the canonical form ("0.50" is "0.5"). */
    private static List<Object> comparable(Settings s) throws SettingsException {
        return List.of(s.downloadDir(), s.quitWithBrowser(), s.listenPort(), s.network(), s.devnetPort(), s.extensionIds(),
                s.downloadBytesPerSecond(), s.uploadBytesPerSecond(), String.valueOf(s.chainEndpoint()), SettingsStore.askPerGiB(s),
                s.seedRatioLimit(), s.seedingTimeLimitMinutes(), s.portMapping(), s.utp());
    }

    @Test
    void everyFileOfTheMatrixIsTakenOrRefusedAsDataBindingDid() throws Exception {
        Path file = SettingsStore.defaultFile(dir);
        Settings defaults = Settings.defaults(dir.resolve("Downloads"));
        List<String> differing = new ArrayList<>();
        int taken = 0;
        int refused = 0;
        for (String doc : matrix()) {
            byte[] content = doc.getBytes(StandardCharsets.UTF_8);
            Files.write(file, content);
            Settings before;
            try {
                before = byDataBinding(content);
            } catch (Exception | Error e) { // a top-level null, or [null] in the list, threw NullPointerException: refused, unclearly
                before = null;
            }
            Settings now;
            try {
                now = SettingsStore.open(file, defaults).get();
            } catch (SettingsException e) {
                now = null;
            }
            if (before == null && now == null) {
                refused++;
            } else if (before != null && now != null && comparable(before).equals(comparable(now))) {
                taken++;
            } else {
                differing.add(doc + " -> before " + (before == null ? "refused" : "taken") + ", now " + (now == null ? "refused" : "taken"));
            }
        }
        assertEquals(List.of(), differing);
        assertTrue(taken > 50 && refused > 200, taken + " taken, " + refused + " refused: the matrix covers both");
    }

    /** The one rule that differs: data binding's outcome depended on where the repetition stood. */
    @Test
    void aFieldGivenTwiceIsRefusedWhereverItStands() throws Exception {
        Path file = SettingsStore.defaultFile(dir);
        int dataBindingTook = 0;
        for (String field : SettingsJson.FIELDS) {
            Map<String, String> f = validFields();
            String first = object(f).replace("{", "{\"" + field + "\":" + f.get(field) + ",");
            String last = object(f).replace("}", ",\"" + field + "\":" + f.get(field) + "}");
            for (String doc : List.of(first, last)) {
                try {
                    byDataBinding(doc.getBytes(StandardCharsets.UTF_8));
                    dataBindingTook++;
                } catch (Exception e) {
                    // refused: the repetition came after every field
                }
                Files.writeString(file, doc);
                SettingsException e = assertThrows(SettingsException.class, () -> SettingsStore.open(file, Settings.defaults(dir)));
                assertTrue(e.getMessage().contains(field + " is given twice"), e.getMessage());
            }
        }
        assertTrue(dataBindingTook > 0 && dataBindingTook < 2 * SettingsJson.FIELDS.size(), "data binding took " + dataBindingTook);
    }

    @Test
    void aRefusedFileNamesTheFieldAndWhatItMustBe() throws Exception {
        Path file = SettingsStore.defaultFile(dir);
        Map<String, String> f = validFields();
        f.put("listenPort", "\"8080\"");
        Files.writeString(file, object(f));
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsStore.open(file, Settings.defaults(dir)));
        assertTrue(e.getMessage().contains("listenPort must be a whole number, found the string \"8080\""), e.getMessage());

        Files.writeString(file, object(validFields()).replace("}", ",\"listen_port\":1}"));
        e = assertThrows(SettingsException.class, () -> SettingsStore.open(file, Settings.defaults(dir)));
        assertTrue(e.getMessage().contains("unknown field \"listen_port\""), e.getMessage());

        Files.writeString(file, object(validFields()).substring(0, 40));
        e = assertThrows(SettingsException.class, () -> SettingsStore.open(file, Settings.defaults(dir)));
        assertTrue(e.getMessage().contains("end-of-input"), e.getMessage());
    }

    @Test
    void theWrittenFileIsByteForByteWhatDataBindingWrote() throws Exception {
        Settings defaults = Settings.defaults(dir.resolve("Downloads"));
        Settings every = new Settings("/tmp/\"quoted\" \u00e9t\u00e9\n", true, 65535, "mainnet", 1, List.of(VALID_ID, "abcdefghijklmnopabcdefghijklmnop"),
                Long.MAX_VALUE, 1L, "[::1]:50151", "1234567.000000000000000001", 0.1, 525_600L, false, false);
        Settings none = new Settings("/x", false, 0, "nile", 0, List.of(), 0L, 0L, null, "0", 1e-7, 0L, true, true);
        for (Settings s : List.of(defaults, every, none)) {
            byte[] written = SettingsJson.write(s);
            assertArrayEquals(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(s), written,
                    () -> new String(written, StandardCharsets.UTF_8));
            assertEquals(s, SettingsJson.read(SettingsJson.write(s)), "read back");
        }
    }
}
