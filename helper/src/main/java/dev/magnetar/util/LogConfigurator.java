package dev.magnetar.util;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Logback's configuration, in code: found through {@code META-INF/services} before Logback looks for
 * an XML file, so starting the helper parses no XML. Every line starts with an ISO-8601 timestamp with
 * its UTC offset (a bug report from a helper left running for weeks is read against the user's clock).
 * The line itself: {@link LogLineLayout}. Console (standard error) only; the daemon adds its rotated file with {@link DaemonLogFile}. The level
 * comes from the {@value #LEVEL_PROPERTY} system property (INFO when unset).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    /** The root level: trace, debug, info, warn or error. */
    public static final String LEVEL_PROPERTY = "magnetar.log.level";
    static final String CONSOLE_APPENDER = "console";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        // Logback prints its own warnings to standard output when no status listener is registered;
        // the native host's standard output is the browser's channel, where a stray line breaks the framing.
        context.getStatusManager().add(new WarningsToStandardError());
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(CONSOLE_APPENDER);
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty(LEVEL_PROPERTY), Level.INFO));
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Logback's own problems (a log file it cannot open, say), on standard error; its chatter dropped. */
    private static final class WarningsToStandardError implements StatusListener {
        @Override
        public void addStatusEvent(Status status) {
            if (status.getEffectiveLevel() >= Status.WARN) {
                System.err.println("logback: " + status);
            }
        }
    }

    static Encoder<ILoggingEvent> encoder(LoggerContext context) {
        LogLineLayout layout = new LogLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }
}
