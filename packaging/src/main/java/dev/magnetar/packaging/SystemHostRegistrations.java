package dev.magnetar.packaging;

import dev.magnetar.installer.Browser;
import dev.magnetar.installer.OperatingSystem;
import java.util.List;

/**
 * Where a system-wide package registers the native messaging host, for every user of the machine.
 *
 * <p>Linux: Chrome reads {@code /etc/opt/chrome/native-messaging-hosts}, Chromium
 * {@code /etc/chromium/native-messaging-hosts} (Chrome's "Native messaging" guide, "Native messaging
 * host location"), Edge {@code /etc/opt/edge/native-messaging-hosts} (Microsoft Edge "Native
 * messaging"), Firefox {@code /usr/lib/mozilla/native-messaging-hosts} (MDN "Native manifests").
 * macOS: {@code /Library/Google/Chrome/NativeMessagingHosts}, {@code /Library/Application
 * Support/Chromium/NativeMessagingHosts}, {@code /Library/Microsoft/Edge/NativeMessagingHosts},
 * {@code /Library/Application Support/Mozilla/NativeMessagingHosts} (same sources). Windows: the
 * HKLM twins of the installer's HKCU keys. Brave and Vivaldi document no system-wide folder on
 * Linux or macOS; there {@code magnetar install --browser brave} registers for one user.
 */
public final class SystemHostRegistrations {

    private SystemHostRegistrations() {}

    /** A folder a browser family reads manifests from. */
    public record ManifestFolder(Browser browser, String path) {}

    /** A registry key (without the host name) whose default value is the manifest's path. */
    public record RegistryParent(Browser browser, String key) {}

    public static List<ManifestFolder> manifestFolders(OperatingSystem os) {
        return switch (os) {
            case LINUX -> List.of(
                    new ManifestFolder(Browser.CHROME, "/etc/opt/chrome/native-messaging-hosts"),
                    new ManifestFolder(Browser.CHROMIUM, "/etc/chromium/native-messaging-hosts"),
                    new ManifestFolder(Browser.EDGE, "/etc/opt/edge/native-messaging-hosts"),
                    new ManifestFolder(Browser.FIREFOX, "/usr/lib/mozilla/native-messaging-hosts"));
            case MACOS -> List.of(
                    new ManifestFolder(Browser.CHROME, "/Library/Google/Chrome/NativeMessagingHosts"),
                    new ManifestFolder(Browser.CHROMIUM, "/Library/Application Support/Chromium/NativeMessagingHosts"),
                    new ManifestFolder(Browser.EDGE, "/Library/Microsoft/Edge/NativeMessagingHosts"),
                    new ManifestFolder(Browser.FIREFOX, "/Library/Application Support/Mozilla/NativeMessagingHosts"));
            case WINDOWS -> throw new IllegalStateException("Windows finds manifests through the registry");
        };
    }

    /** Brave and Vivaldi read Chrome's key on Windows, so the Chrome entry covers them. */
    public static List<RegistryParent> registryParents() {
        return List.of(
                new RegistryParent(Browser.CHROME, "SOFTWARE\\Google\\Chrome\\NativeMessagingHosts"),
                new RegistryParent(Browser.CHROMIUM, "SOFTWARE\\Chromium\\NativeMessagingHosts"),
                new RegistryParent(Browser.EDGE, "SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts"),
                new RegistryParent(Browser.FIREFOX, "SOFTWARE\\Mozilla\\NativeMessagingHosts"));
    }
}
