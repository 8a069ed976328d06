package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The helper's log line, written out, is the line Logback's PatternLayout makes of the same pattern. */
class LogLineLayoutTest {

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("dev.magnetar.daemon.Daemon");

    private String both(ILoggingEvent event) {
        PatternLayout reference = new PatternLayout();
        reference.setContext(context);
        reference.setPattern(LogLineLayout.PATTERN);
        reference.start();
        LogLineLayout ours = new LogLineLayout();
        ours.setContext(context);
        ours.start();
        String expected = reference.doLayout(event);
        assertEquals(expected, ours.doLayout(event));
        return expected;
    }

    private LoggingEvent event(Level level, String message, Throwable thrown, Object... args) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, args);
        event.setThreadName("engine-open");
        return event;
    }

    @Test
    void everyLevelPadsToFiveAndTheMessageIsFormatted() {
        for (Level level : new Level[] {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE}) {
            both(event(level, "start-up: {} at {} ms", null, "announced", 412));
        }
    }

    @Test
    void aThrowableWithItsCausesFollowsTheLine() {
        IOException cause = new IOException("disk full");
        String line = both(event(Level.WARN, "the last session's torrents were not restored: {}", new UncheckedIOException("write failed", cause),
                "write failed"));
        assertEquals(true, line.contains("Caused by: java.io.IOException: disk full"), line);
    }

    @Test
    void aTimestampInAnotherYearAndTheMessageWithoutArguments() {
        LoggingEvent event = event(Level.INFO, "Magnetar daemon stopping", null);
        event.setTimeStamp(1_000_000_000_123L);
        both(event);
        event.setTimeStamp(4_102_444_799_999L); // the last millisecond of 2099 in UTC
        both(event);
    }
}
