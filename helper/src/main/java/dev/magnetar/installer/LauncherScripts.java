package dev.magnetar.installer;

import dev.magnetar.util.JvmFlags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The launchers the installer writes next to the jar. They run the jar with the very Java that ran
 * the installer (an absolute path), so the browser's sparse environment (no PATH, no JAVA_HOME on
 * macOS GUI apps) cannot pick a different or missing Java.
 */
public final class LauncherScripts {

    /** The environment variable that makes the host launcher log each start (for users and for the E2E test). */
    public static final String HOST_LOG_ENV = "MAGNETAR_HOST_LOG";

    /**
     * The JVM prints its own warnings to stdout, which is the host's message channel: one there (an
     * archive a Java update made stale, say) would break the framing. They go to stderr instead, which
     * the browser logs.
     */
    static final List<String> JVM_WARNINGS_TO_STDERR = List.of("-Xlog:disable", "-Xlog:all=warning:stderr");

    private LauncherScripts() {}

    /**
     * The native messaging host. The browser starts it with the caller's origin as the first argument
     * (Chromium also adds {@code --parent-window} on Windows; Firefox passes the manifest path and the
     * add-on id); stdout is the message channel, so neither the launcher nor the JVM prints there.
     */
    public static String nativeHost(OperatingSystem os, TargetPath java, TargetPath jar, TargetPath classArchive) {
        return nativeHost(os, java, jar, classArchive, List.of());
    }

    /**
     * @param extraFlags more JVM flags for the host, after the archive (a package names the daemon's
     *                   class archive it ships; plain {@code -D...} words, no quoting needed)
     */
    public static String nativeHost(OperatingSystem os, TargetPath java, TargetPath jar, TargetPath classArchive,
                                    List<String> extraFlags) {
        if (os == OperatingSystem.WINDOWS) {
            return crlf("@echo off\n"
                    + "rem Magnetar native messaging host launcher, written by `magnetar install`; reinstall rather than edit.\n"
                    + "rem stdout is the browser's message channel: nothing here may print to it.\n"
                    + "if defined " + HOST_LOG_ENV + " echo %DATE% %TIME% native-host start args=%*>>\"%" + HOST_LOG_ENV + "%\"\n"
                    + cmdQuote(java) + flags(JvmFlags.NATIVE_HOST) + " " + cmdQuote(JvmFlags.useClassArchive(classArchive.value()))
                    + flags(extraFlags) + flags(JVM_WARNINGS_TO_STDERR) + " -jar " + cmdQuote(jar) + " native-host %*\n");
        }
        return "#!/bin/sh\n"
                + "# Magnetar native messaging host launcher, written by `magnetar install`; reinstall rather than edit.\n"
                + "# stdout is the browser's message channel: nothing here may print to it.\n"
                + "# Set " + HOST_LOG_ENV + "=/some/file to record every start (helps with \"native host not found\").\n"
                + "if [ -n \"${" + HOST_LOG_ENV + ":-}\" ]; then\n"
                + "  printf '%s native-host start pid=%s args=%s\\n' \"$(date -u '+%Y-%m-%dT%H:%M:%SZ')\" \"$$\" \"$*\" >> \"$"
                + HOST_LOG_ENV + "\" 2>/dev/null || true\n"
                + "fi\n"
                + "exec " + shQuote(java.value()) + flags(JvmFlags.NATIVE_HOST) + " " + shQuote(JvmFlags.useClassArchive(classArchive.value()))
                + flags(extraFlags) + flags(JVM_WARNINGS_TO_STDERR) + " -jar " + shQuote(jar.value()) + " native-host \"$@\"\n";
    }

    /** The {@code magnetar} command itself (daemon, wallet, uninstall, ...). */
    public static String cli(OperatingSystem os, TargetPath java, TargetPath jar) {
        if (os == OperatingSystem.WINDOWS) {
            return crlf("@echo off\n"
                    + "rem The magnetar command, written by `magnetar install`.\n"
                    + cmdQuote(java) + flags(JvmFlags.HELPER) + " -jar " + cmdQuote(jar) + " %*\n");
        }
        return "#!/bin/sh\n"
                + "# The magnetar command, written by `magnetar install`.\n"
                + environment(JvmFlags.HELPER_ENVIRONMENT)
                + daemonClassArchive(os)
                + "exec " + shQuote(java.value()) + flags(JvmFlags.HELPER) + " ${" + ARCHIVE_VARIABLE + ":+\"$" + ARCHIVE_VARIABLE + "\"}"
                + flags(JVM_WARNINGS_TO_STDERR) + " -jar " + shQuote(jar.value()) + " \"$@\"\n";
    }

    static final String ARCHIVE_VARIABLE = "MAGNETAR_CLASS_ARCHIVE_FLAG";

    /**
     * POSIX sh lines that find the class archive the user's helper daemon left at exit (nativehost's
     * {@code DaemonClassArchive}, in the data folder's {@code cache}) and name it for this command's JVM too. A
     * {@code magnetar download} handed to the running helper is a JVM that lives a second or two, and the classes
     * it needs (Jackson, the API's records, picocli's command) cost it more CPU to parse and verify than the
     * download costs the helper: bench/cli, 256 MiB handed to a helper, load 28–33: 2.93, 2.23, 2.22 s of CPU
     * (the command's and the helper's) with the daemon's archive against 3.48, 3.44, 3.02 s without; as much as
     * an archive trained on the command itself (2.94, 2.74, 2.01 s). The archive's name holds a key of the jar and
     * the JVM, and the daemon deletes the others when it starts; if the one found is stale (the jar was replaced
     * and no daemon has started since) the JVM runs without it and says so on stderr, as every JVM warning of
     * this command goes there. The data folder is found as {@code util.DataDirectory} finds it.
     */
    static String daemonClassArchive(OperatingSystem os) {
        String dataDir = os == OperatingSystem.MACOS ? "${MAGNETAR_HOME:-$HOME/Library/Application Support/Magnetar}"
                : "${MAGNETAR_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/magnetar}";
        return ARCHIVE_VARIABLE + "=\n"
                + "for archive in \"" + dataDir + "\"/cache/daemon-*.jsa; do\n"
                + "  if [ -s \"$archive\" ]; then " + ARCHIVE_VARIABLE + "=\"-XX:SharedArchiveFile=$archive\"; fi\n"
                + "done\n";
    }

    /**
     * POSIX sh lines that give the daemon the environment the native host gives the one it starts, where
     * the user has not set it already (the daemon started at login goes through this script too).
     */
    static String environment(Map<String, String> variables) {
        return new TreeMap<>(variables).entrySet().stream()
                .map(e -> ": \"${" + e.getKey() + ":=" + e.getValue() + "}\"\nexport " + e.getKey() + "\n")
                .collect(Collectors.joining());
    }

    /** The flags, each after a space; they are plain {@code -X...} words, so neither shell needs quotes. */
    static String flags(List<String> flags) {
        return flags.stream().map(f -> " " + f).collect(Collectors.joining());
    }

    /** POSIX sh single quotes: everything literal; a quote itself is closed, escaped and reopened. */
    static String shQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** cmd.exe: double quotes keep spaces and &amp;^ literal; only % still expands, so it is doubled. */
    static String cmdQuote(TargetPath p) {
        return cmdQuote(p.value());
    }

    static String cmdQuote(String s) {
        return "\"" + s.replace("%", "%%") + "\"";
    }

    private static String crlf(String s) {
        return s.replace("\n", "\r\n");
    }
}
