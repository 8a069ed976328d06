package dev.magnetar.installer;

import dev.magnetar.util.JvmFlags;

/** Start-at-login definitions for {@code magnetar daemon}: a systemd user unit and a launchd agent. */
public final class AutostartFiles {

    public static final String SYSTEMD_UNIT_NAME = "magnetar.service";
    public static final String LAUNCHD_LABEL = "dev.magnetar.helper";
    public static final String WINDOWS_RUN_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
    public static final String WINDOWS_RUN_VALUE = "Magnetar";

    private AutostartFiles() {}

    /** systemd.service(5); WantedBy=default.target starts it when the user's session manager starts. */
    public static String systemdUnit(TargetPath cliLauncher) {
        return "[Unit]\n"
                + "Description=Magnetar helper daemon (BitTorrent engine and wallet for the browser extension)\n"
                + "\n"
                + "[Service]\n"
                + "Type=simple\n"
                + "ExecStart=" + systemdQuote(cliLauncher.value()) + " daemon\n"
                + "Restart=on-failure\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=default.target\n";
    }

    /** launchd.plist(5): RunAtLoad starts the agent when the user logs in. */
    public static String launchAgent(TargetPath cliLauncher) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n"
                + "<dict>\n"
                + "  <key>Label</key>\n"
                + "  <string>" + LAUNCHD_LABEL + "</string>\n"
                + "  <key>ProgramArguments</key>\n"
                + "  <array>\n"
                + "    <string>" + xmlEscape(cliLauncher.value()) + "</string>\n"
                + "    <string>daemon</string>\n"
                + "  </array>\n"
                + "  <key>RunAtLoad</key>\n"
                + "  <true/>\n"
                + "</dict>\n"
                + "</plist>\n";
    }

    /**
     * The Run value: javaw (no console window at login) on the installed jar, with the helper's JVM
     * flags like the other launchers (the unit and the agent run {@code bin/magnetar}, which has them).
     * The paths are quoted so that a user name with spaces cannot make Windows guess at an unquoted path.
     */
    public static String windowsRunCommand(TargetPath javaw, TargetPath jar) {
        return "\"" + javaw.value() + "\"" + LauncherScripts.flags(JvmFlags.HELPER) + " -jar \"" + jar.value() + "\" daemon";
    }

    /** systemd.syntax(7): a double-quoted word takes C-style escapes; % starts a specifier, so %% is literal. */
    static String systemdQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
    }

    static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
