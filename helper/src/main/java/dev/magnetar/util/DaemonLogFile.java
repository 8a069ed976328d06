package dev.magnetar.util;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The daemon's log, {@code <data>/logs/daemon.log}, rotated by size with Logback's own rolling appender:
 * when it passes {@link #DEFAULT_MAX_FILE_BYTES} it becomes {@code daemon.1.log} (the older ones shift to
 * {@code .2}, {@code .3}, {@code .4}; the oldest is deleted), so a helper left running for weeks keeps at
 * most five files, 50 MiB in all.
 */
public final class DaemonLogFile {

    public static final String FILE_NAME = "daemon.log";
    static final long DEFAULT_MAX_FILE_BYTES = 10L * 1024 * 1024;
    /** Rotated files kept beside the live one. */
    static final int ROTATED_FILES = 4;
    /**
     * Logback looks at the file's size at most this often (its default is once a minute, which a burst
     * of warnings could overshoot the cap by a lot in); a stat a second costs nothing.
     */
    private static final long SIZE_CHECK_MILLIS = 1000;
    private static final String APPENDER = "daemon-file";

    private DaemonLogFile() {}

    public static Path file(Path logsDir) {
        return logsDir.resolve(FILE_NAME);
    }

    /**
     * Sends every log line to the rotated file in {@code logsDir}. With {@code keepConsole} false the
     * console appender is detached: a daemon started by the native host has its standard streams
     * redirected to a file of their own, which must not grow without bound with a copy of the log.
     * Returns false, logging on to the console, when the file cannot be opened.
     */
    public static boolean install(Path logsDir, boolean keepConsole) {
        return install(logsDir, DEFAULT_MAX_FILE_BYTES, SIZE_CHECK_MILLIS, keepConsole);
    }

    static boolean install(Path logsDir, long maxFileBytes, long sizeCheckMillis, boolean keepConsole) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Path live = file(logsDir).toAbsolutePath();

        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(live.toString());
        appender.setAppend(true);
        appender.setEncoder(LogConfigurator.encoder(context));

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(live.resolveSibling("daemon.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(ROTATED_FILES);
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(maxFileBytes));
        trigger.setCheckIncrement(Duration.buildByMilliseconds(sizeCheckMillis));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.start();

        if (!appender.isStarted()) {
            return false; // Logback has said why on standard error; the console keeps the log meanwhile
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        if (!keepConsole) {
            root.detachAppender(LogConfigurator.CONSOLE_APPENDER);
        }
        return true;
    }

    /** Detaches and closes the file appender (tests; the daemon's process keeps it until exit). */
    public static void uninstall() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        var appender = root.getAppender(APPENDER);
        if (appender != null) {
            root.detachAppender(appender);
            appender.stop();
        }
    }
}
