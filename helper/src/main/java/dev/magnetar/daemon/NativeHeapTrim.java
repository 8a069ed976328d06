package dev.magnetar.daemon;

import dev.magnetar.util.JvmFlags;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the JVM to hand the C heap it has freed back to the operating system (glibc's
 * {@code malloc_trim}), through the {@code System.trim_native_heap} diagnostic command (JDK-8293114:
 * 17.0.9 and 21.0.1 on). The native host starts the daemon with {@code -XX:TrimNativeHeapInterval},
 * which does this periodically; a daemon started any other way — at login by the systemd unit or the
 * launchd agent, or by {@code magnetar daemon} — runs on a {@code java} its launcher script cannot
 * vouch for, so it gets no such flag and trims itself when it has gone quiet instead.
 */
final class NativeHeapTrim {

    private static final Logger LOG = LoggerFactory.getLogger(NativeHeapTrim.class);
    private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";
    private static final String TRIM_OPERATION = "systemTrimNativeHeap";

    private NativeHeapTrim() {}

    /**
     * What the idle shrinker does after its collection: a {@link #trim}, unless the launcher started this JVM
     * trimming periodically ({@link JvmFlags#JVM_TRIMS_NATIVE_HEAP_PROPERTY}), which does the same within seconds
     * and spares the daemon loading JMX for it.
     */
    static Runnable afterIdleCollection() {
        return Boolean.getBoolean(JvmFlags.JVM_TRIMS_NATIVE_HEAP_PROPERTY) ? () -> { } : NativeHeapTrim::trim;
    }

    /**
     * Trims once; the JVM's own one-line report ("Trim native heap: RSS+Swap: …"), or null where this JVM
     * or C library cannot (an older update, no {@code jdk.management} module): then nothing is lost but
     * the memory.
     */
    static String trim() {
        return ThroughJmx.trim();
    }

    /** Apart, so that verifying {@link NativeHeapTrim} loads no JMX class for a shrinker that never asks. */
    private static final class ThroughJmx {
        static String trim() {
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                Object report = server.invoke(new ObjectName(DIAGNOSTIC_COMMANDS), TRIM_OPERATION,
                        new Object[] {new String[0]}, new String[] {String[].class.getName()});
                String line = String.valueOf(report).strip();
                LOG.debug("{}", line);
                return line;
            } catch (JMException | RuntimeException e) {
                LOG.debug("this JVM cannot trim its C heap on request: {}", e.toString());
                return null;
            }
        }
    }
}
