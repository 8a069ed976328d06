package dev.magnetar.util;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the helper keeps its per-user state (config, token, keystore, resume data, ledger):
 * {@code $XDG_DATA_HOME/magnetar} on Linux, {@code ~/Library/Application Support/Magnetar} on macOS,
 * {@code %APPDATA%\Magnetar} on Windows. {@code MAGNETAR_HOME} overrides all of them (tests use it).
 */
public final class DataDirectory {

    public static final String OVERRIDE_ENV = "MAGNETAR_HOME";

    private DataDirectory() {}

    public static Path resolve() {
        return resolve(System.getenv(), System.getProperty("os.name", ""), UserDirectories.current().home().toString());
    }

    static Path resolve(Map<String, String> env, String osName, String userHome) {
        String override = env.get(OVERRIDE_ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            return appData != null ? Path.of(appData, "Magnetar") : Path.of(userHome, "AppData", "Roaming", "Magnetar");
        }
        if (os.startsWith("mac")) {
            return Path.of(userHome, "Library", "Application Support", "Magnetar");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "magnetar") : Path.of(userHome, ".local", "share", "magnetar");
    }
}
