package dev.magnetar.packaging;

import dev.magnetar.installer.Browser;
import dev.magnetar.installer.HostIdentity;
import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;

/**
 * Where the parts of a jpackage app image are once installed, per system. jpackage (JDK 17) lays an
 * image out as {@code bin/NAME}, {@code lib/app/}, {@code lib/runtime/} on Linux; {@code NAME.exe},
 * {@code app\}, {@code runtime\} on Windows; and {@code Contents/MacOS/}, {@code Contents/app/},
 * {@code Contents/runtime/Contents/Home/} in a macOS bundle. The native host launcher and the
 * manifests live inside the image too, so removing the application removes them.
 *
 * @param root the installed image: {@code /opt/magnetar}, {@code C:\Program Files\Magnetar}, {@code /Applications/Magnetar.app}
 */
public record InstalledLayout(OperatingSystem os, TargetPath root) {

    public static final String APP_NAME = "magnetar";
    public static final String MAC_BUNDLE_NAME = "Magnetar";
    public static final String JAR_NAME = "magnetar.jar";

    public static InstalledLayout defaultFor(OperatingSystem os) {
        return switch (os) {
            // /opt/<package> is where a package from outside the distribution installs (FHS 3.0, 3.13).
            case LINUX -> new InstalledLayout(os, TargetPath.of(os, "/opt/" + APP_NAME));
            // A per-machine MSI in the fixed Program Files folder: the host manifests need absolute paths.
            case WINDOWS -> new InstalledLayout(os, TargetPath.of(os, "C:\\Program Files\\Magnetar"));
            case MACOS -> new InstalledLayout(os, TargetPath.of(os, "/Applications/" + MAC_BUNDLE_NAME + ".app"));
        };
    }

    /** The folder holding the jar (jpackage's {@code $APPDIR}). */
    public TargetPath appDirectory() {
        return switch (os) {
            case LINUX -> root.resolve("lib", "app");
            case WINDOWS -> root.resolve("app");
            case MACOS -> root.resolve("Contents", "app");
        };
    }

    public TargetPath jar() {
        return appDirectory().resolve(JAR_NAME);
    }

    public TargetPath runtimeHome() {
        return switch (os) {
            case LINUX -> root.resolve("lib", "runtime");
            case WINDOWS -> root.resolve("runtime");
            case MACOS -> root.resolve("Contents", "runtime", "Contents", "Home");
        };
    }

    /** The bundled runtime's {@code java}: the only Java the installed helper ever runs. */
    public TargetPath java() {
        return runtimeHome().resolve("bin", os == OperatingSystem.WINDOWS ? "java.exe" : "java");
    }

    /** jpackage's native launcher, the {@code magnetar} command. */
    public TargetPath cliLauncher() {
        return switch (os) {
            case LINUX -> root.resolve("bin", APP_NAME);
            case WINDOWS -> root.resolve(APP_NAME + ".exe");
            case MACOS -> root.resolve("Contents", "MacOS", MAC_BUNDLE_NAME);
        };
    }

    /**
     * The native host launcher (a script, as the per-user installer writes it): the browser passes
     * the caller's origin, and the host needs its own JVM flags and class archive.
     */
    public TargetPath nativeHostLauncher() {
        return switch (os) {
            case LINUX -> root.resolve("bin", "magnetar-native-host");
            case WINDOWS -> root.resolve("magnetar-native-host.cmd");
            case MACOS -> root.resolve("Contents", "MacOS", "magnetar-native-host");
        };
    }

    /** The native host's class-data archive, written after install for the installed paths (see {@link DebianPackage}). */
    public TargetPath nativeHostArchive() {
        return appDirectory().resolve("native-host.jsa");
    }

    /** The daemon's class-data archive, made after install like the host's (see {@link DebianPackage}). */
    public TargetPath daemonArchive() {
        return appDirectory().resolve("daemon.jsa");
    }

    /** The two manifests (one per browser family) inside the image; system locations link or point to them. */
    public TargetPath manifest(Browser.Family family, HostIdentity identity) {
        TargetPath dir = switch (os) {
            case LINUX -> root.resolve("lib", "native-messaging-hosts");
            case WINDOWS -> root.resolve("native-messaging-hosts");
            case MACOS -> root.resolve("Contents", "Resources", "native-messaging-hosts");
        };
        return dir.resolve(family == Browser.Family.CHROMIUM ? "chromium" : "firefox", identity.manifestFileName());
    }

    /** The same location inside a build folder that holds the image (a package's staging tree, say). */
    public TargetPath within(TargetPath imageCopy, TargetPath installed) {
        String relative = installed.value().substring(root.value().length());
        return TargetPath.of(imageCopy.os(), imageCopy.value() + relative);
    }
}
