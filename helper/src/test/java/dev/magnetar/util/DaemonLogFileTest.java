package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The daemon's log file: a timestamp on every line, and a size cap that rotates instead of growing. */
class DaemonLogFileTest {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonLogFileTest.class);
    private static final Pattern TIMESTAMP = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(?:Z|[+-]\\d\\d:\\d\\d)) ");
    private static final Pattern SEQUENCE = Pattern.compile("soak line (\\d+) ");

    @TempDir
    Path tmp;

    @AfterEach
    void removeFileAppender() {
        DaemonLogFile.uninstall();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(LogConfigurator.CONSOLE_APPENDER) == null) {
            context.reset();
            new LogConfigurator().configure(context); // the console back, for the tests after this one
        }
    }

    @Test
    void everyLineStartsWithATimestampWithItsOffset() throws IOException {
        Path logs = tmp.resolve("logs");
        assertTrue(DaemonLogFile.install(logs, DaemonLogFile.DEFAULT_MAX_FILE_BYTES, 0, true));
        LOG.info("daemon ready");
        LOG.warn("announce of {} failed", "abcd");
        DaemonLogFile.uninstall();

        List<String> lines = Files.readAllLines(DaemonLogFile.file(logs), StandardCharsets.UTF_8);
        assertTrue(lines.stream().anyMatch(l -> l.contains("daemon ready")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("WARN") && l.contains("announce of abcd failed")), lines.toString());
        for (String line : lines) {
            Matcher m = TIMESTAMP.matcher(line);
            assertTrue(m.find(), "no timestamp: " + line);
            assertNotNull(OffsetDateTime.parse(m.group(1)));
        }
    }

    @Test
    void theFileIsRotatedAtItsCapAndOnlyTheNewestFilesAreKept() throws IOException {
        Path logs = tmp.resolve("logs");
        long cap = 4096;
        assertTrue(DaemonLogFile.install(logs, cap, 0, true));
        String padding = "x".repeat(100);
        int written = 400; // ~50 KiB: more than the live file and every rotated one can hold together
        for (int i = 0; i < written; i++) {
            LOG.info("soak line {} {}", i, padding);
        }
        DaemonLogFile.uninstall();

        assertTrue(Files.size(DaemonLogFile.file(logs)) < cap + 400, "the live file is past its cap");
        List<Integer> sequence = new ArrayList<>();
        for (int i = DaemonLogFile.ROTATED_FILES; i >= 1; i--) {
            Path rotated = logs.resolve("daemon." + i + ".log");
            assertTrue(Files.exists(rotated), rotated + " is missing");
            long size = Files.size(rotated);
            assertTrue(size >= cap && size < cap + 400, rotated + " has " + size + " bytes");
            sequence.addAll(soakLines(rotated));
        }
        assertFalse(Files.exists(logs.resolve("daemon." + (DaemonLogFile.ROTATED_FILES + 1) + ".log")), "more files than the window");
        sequence.addAll(soakLines(DaemonLogFile.file(logs)));
        // Oldest lines are gone, the newest are all there and in order across the files.
        assertEquals(written - 1, sequence.get(sequence.size() - 1));
        for (int i = 1; i < sequence.size(); i++) {
            assertEquals(sequence.get(i - 1) + 1, sequence.get(i), "a line went missing in a rotation");
        }
        assertTrue(sequence.get(0) > 0, "nothing was dropped: the test wrote too little to fill the window");
    }

    @Test
    void aLogFolderThatCannotBeCreatedKeepsTheConsole() throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("logs"), "a file where the folder should be");

        assertFalse(DaemonLogFile.install(notADirectory, DaemonLogFile.DEFAULT_MAX_FILE_BYTES, 0, false));

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertNotNull(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(LogConfigurator.CONSOLE_APPENDER),
                "the console was detached though the file could not be opened");
        assertEquals("a file where the folder should be", Files.readString(notADirectory), "the file in the way was touched");
    }

    private static List<Integer> soakLines(Path file) throws IOException {
        List<Integer> found = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = SEQUENCE.matcher(line);
            if (m.find()) {
                found.add(Integer.parseInt(m.group(1)));
            }
        }
        return found;
    }
}
