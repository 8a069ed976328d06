package dev.magnetar.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magnetar.util.BoundedFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes made to the session list since its {@link SessionFile} was last written whole: one JSON
 * object per line, {@code {"put":{entry}}} or {@code {"remove":"<info-hash>"}}, appended and
 * fdatasync'd. Adding a torrent then costs one short append, however many torrents there are; the
 * whole list is written again only once the journal holds about as many lines as the list has entries
 * ({@link SessionList}), so the cost of keeping the list stays linear in the number of changes.
 *
 * <p>Replaying is idempotent: each line carries a whole entry, so the journal applied again over a list
 * that already holds its changes gives the same list. That is what makes it safe to write the whole
 * list and only then empty the journal: a crash between the two replays changes already in the file.
 *
 * <p>A last line without its newline is an append that a crash cut short; it was never acknowledged
 * and is dropped quietly. Any other line that does not parse is skipped with a warning, like an entry of
 * the session file. Not thread-safe: one writer thread appends (see {@link SessionList}).
 */
final class SessionJournal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionJournal.class);
    /** Far more than any compacted journal holds; a bigger file is not ours. */
    private static final long MAX_FILE_BYTES = 32L << 20;

    /** Built on first use, not when the daemon's start finds no journal ({@code SessionFile.Binding} says why). */
    private static final class Binding {
        static final ObjectMapper JSON = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /** One change of the list. */
    sealed interface Change permits Put, Remove {
        String infoHash();
    }

    /** The torrent's entry as it is now (added or changed). */
    record Put(SessionEntry entry) implements Change {
        Put {
            Objects.requireNonNull(entry, "entry");
        }

        @Override
        public String infoHash() {
            return entry.infoHash();
        }
    }

    /** The torrent was removed. */
    record Remove(String infoHash) implements Change {
        Remove {
            Objects.requireNonNull(infoHash, "infoHash");
        }
    }

    /**
     * What {@link #read} found.
     *
     * @param changes the lines that parsed, in file order
     * @param problems one line per skipped line, or why the whole journal was set aside
     * @param lines how many complete lines the file held
     */
    record Read(List<Change> changes, List<String> problems, int lines) {}

    private final Path file;
    private final Clock clock;
    private FileChannel channel; // opened on the first append
    private int lines;

    SessionJournal(Path file, Clock clock) {
        this.file = file.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** The journal of a session file: beside it, its name plus {@code .journal}. */
    static Path beside(Path sessionFile) {
        return sessionFile.resolveSibling(sessionFile.getFileName() + ".journal");
    }

    Path path() {
        return file;
    }

    /** Lines appended since the journal was last emptied (or found at {@link #read}). */
    int lines() {
        return lines;
    }

    Read read() {
        byte[] bytes;
        try {
            bytes = BoundedFiles.readAll(file, MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            return new Read(List.of(), List.of(), 0);
        } catch (BoundedFiles.FileTooLargeException e) {
            return setAside("it is implausibly large (" + e.atLeastBytes() + " bytes)");
        } catch (IOException e) {
            return setAside("it cannot be read: " + e);
        }
        List<Change> changes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNumber++;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                changes.add(decode(line));
            } catch (IOException | RuntimeException e) { // the record checks throw unchecked
                String problem = "line " + lineNumber + " of " + file + " is skipped: " + e.getMessage();
                log.warn("{} (the other changes are kept)", problem);
                problems.add(problem);
            }
        }
        if (start < bytes.length) {
            log.info("{}: dropping an append that a crash cut short ({} bytes, never acknowledged)", file, bytes.length - start);
        }
        lines = lineNumber;
        return new Read(List.copyOf(changes), List.copyOf(problems), lineNumber);
    }

    /**
     * Appends {@code changes} in one write and makes them durable (fdatasync) before returning; the
     * first append that creates the file also makes its directory entry durable.
     */
    void append(List<Change> changes) throws IOException {
        if (changes.isEmpty()) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * changes.size());
        for (Change c : changes) {
            out.write(encode(c));
            out.write('\n');
        }
        FileChannel ch = channel();
        ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        ch.force(false);
        lines += changes.size();
    }

    /** Empties the journal, once the session file holds everything in it. */
    void clear() throws IOException {
        if (channel != null) {
            channel.truncate(0);
            channel.force(false);
        } else if (Files.exists(file)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.force(false);
            }
        }
        lines = 0;
    }

    /** Closes and deletes the file, once the session file holds everything in it (a clean shutdown). */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
        lines = 0;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            boolean created = Files.notExists(file);
            if (created && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // What someone downloads is private, as in the session file: 0600 from birth.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (created) {
                fsyncDirectory(file.getParent());
            }
        }
        return channel;
    }

    static byte[] encode(Change change) throws IOException {
        ObjectNode line = Binding.JSON.createObjectNode();
        if (change instanceof Put p) {
            line.set("put", Binding.JSON.valueToTree(p.entry()));
        } else {
            line.put("remove", change.infoHash());
        }
        return Binding.JSON.writeValueAsBytes(line);
    }

    static Change decode(String line) throws IOException {
        JsonNode node = Binding.JSON.readTree(line);
        if (node != null && node.isObject() && node.has("put")) {
            return new Put(Binding.JSON.treeToValue(node.get("put"), SessionEntry.class));
        }
        if (node != null && node.isObject() && node.path("remove").isTextual()) {
            String hash = node.get("remove").asText();
            if (!hash.matches("[0-9a-f]{40}")) {
                throw new IOException("\"remove\" names no info-hash: " + hash);
            }
            return new Remove(hash);
        }
        throw new IOException("neither a \"put\" nor a \"remove\"");
    }

    private Read setAside(String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + clock.millis());
        String problem;
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            problem = "the session journal " + file + " is unusable (" + why + "); it was moved to " + aside
                    + " and the changes since the torrent list was last written whole are lost: add those torrents again";
        } catch (IOException e) {
            problem = "the session journal " + file + " is unusable (" + why + ") and could not be moved aside ("
                    + e.getMessage() + "); it will be overwritten";
        }
        log.warn(problem);
        return new Read(List.of(), List.of(problem), 0);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; NTFS journals the creation itself.
        }
    }
}
