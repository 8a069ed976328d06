package dev.magnetar.util;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The helper's log line: {@code 2026-12-07T11:14:36.193+01:00 INFO  [main] dev.magnetar.daemon.Daemon - message}, then
 * the stack trace of a throwable logged with it — what Logback's {@code PatternLayout} makes of {@link #PATTERN}, line
 * for line ({@code LogLineLayoutTest} compares the two). Written out because the pattern costs more than the lines:
 * starting a {@code PatternLayout} parses the pattern and builds Logback's whole converter map, ~100 classes, and was
 * 43 ms of the daemon's main thread before its API could answer (async-profiler, bench/README.md), for a format
 * that never changes.
 */
public final class LogLineLayout extends LayoutBase<ILoggingEvent> {

    /** The same line as Logback's pattern language says it (the test's reference). */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger - %msg%n";

    /** ISO-8601 with milliseconds and the offset, so a log from a helper left running for weeks reads against the user's clock. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final int LEVEL_WIDTH = 5;

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone), line);
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int i = level.length(); i < LEVEL_WIDTH; i++) {
            line.append(' ');
        }
        line.append(" [").append(event.getThreadName()).append("] ").append(event.getLoggerName()).append(" - ")
                .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)); // every line of it ends with a separator
        }
        return line.toString();
    }
}
