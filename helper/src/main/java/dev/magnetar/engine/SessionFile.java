package dev.magnetar.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magnetar.util.AtomicFiles;
import dev.magnetar.util.BoundedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session list on disk: {@code {"version":1,"torrents":[entry, ...]}}, JSON, replaced atomically
 * and owner-only ({@link AtomicFiles#writePrivate}: what someone downloads is private).
 *
 * <p>Reading never stops the helper: a file that cannot be read or parsed is renamed aside
 * ({@code <name>.corrupt-<millis>}, kept for the user or a bug report) and the session starts empty;
 * one entry that does not parse is skipped and the others are kept.
 */
final class SessionFile {

    private static final Logger log = LoggerFactory.getLogger(SessionFile.class);
    static final int VERSION = 1;
    /** Thousands of torrents are a few hundred KiB; anything far bigger is not ours. */
    private static final long MAX_FILE_BYTES = 32L << 20;

    /**
     * Built on first use, not when the daemon's start finds no session file: the first {@code ObjectMapper} of a process
     * loads ~450 classes while the API answers its first requests (bench/README.md, start-up, session 20).
     */
    private static final class Binding {
        static final ObjectMapper JSON = JsonMapper.builder()
                // Fields added by a later version 1 writer are ignored rather than losing the entry.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }

    /**
     * What {@link #load} found.
     *
     * @param entries the entries that parsed, in file order
     * @param problems one line per skipped entry or per reason the whole file was set aside
     * @param setAsideTo where an unreadable file was moved, or null
     */
    record Loaded(List<SessionEntry> entries, List<String> problems, Path setAsideTo) {}

    private final Path file;
    private final Clock clock;

    SessionFile(Path file, Clock clock) {
        this.file = file.toAbsolutePath().normalize();
        this.clock = clock;
    }

    Path path() {
        return file;
    }

    Loaded load() {
        byte[] bytes;
        try {
            bytes = BoundedFiles.readAll(file, MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            return new Loaded(List.of(), List.of(), null);
        } catch (BoundedFiles.FileTooLargeException e) {
            return setAside("it is implausibly large (" + e.atLeastBytes() + " bytes)");
        } catch (IOException e) {
            return setAside("it cannot be read: " + e);
        }
        JsonNode root;
        try {
            root = Binding.JSON.readTree(bytes);
        } catch (IOException e) {
            return setAside("it is not valid JSON: " + rootMessage(e));
        }
        if (root == null || !root.isObject() || !root.path("torrents").isArray()) {
            return setAside("it is not a torrent list (no \"torrents\" array)");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            return setAside("its version is " + version + ", this helper reads version " + VERSION);
        }
        List<SessionEntry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root.get("torrents")) {
            try {
                entries.add(Binding.JSON.treeToValue(node, SessionEntry.class));
            } catch (JsonProcessingException | RuntimeException e) { // the record checks throw unchecked
                String problem = "entry " + index + " of " + file + " is skipped: " + rootMessage(e);
                log.warn("{} (the other torrents are restored; add that one again if you still want it)", problem);
                problems.add(problem);
            }
            index++;
        }
        return new Loaded(List.copyOf(entries), List.copyOf(problems), null);
    }

    /** Replaces the file with {@code entries}. */
    void save(List<SessionEntry> entries) throws IOException {
        ObjectNode root = Binding.JSON.createObjectNode();
        root.put("version", VERSION);
        ArrayNode torrents = root.putArray("torrents");
        for (SessionEntry e : entries) {
            torrents.add(Binding.JSON.valueToTree(e));
        }
        AtomicFiles.writePrivate(file, Binding.JSON.writeValueAsBytes(root));
    }

    private Loaded setAside(String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + clock.millis());
        String problem;
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            problem = "the torrent list " + file + " is unusable (" + why + "); it was moved to " + aside
                    + " and the helper starts with no torrents: add them again (their downloaded files and resume data are kept, so verified pieces are not fetched again)";
        } catch (IOException e) {
            aside = null;
            problem = "the torrent list " + file + " is unusable (" + why + ") and could not be moved aside ("
                    + e.getMessage() + "); the helper starts with no torrents and will overwrite it";
        }
        log.warn(problem);
        return new Loaded(List.of(), List.of(problem), aside);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof JsonProcessingException j) {
            return j.getOriginalMessage();
        }
        return t.getMessage();
    }
}
