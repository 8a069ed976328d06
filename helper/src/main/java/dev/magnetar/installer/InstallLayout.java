package dev.magnetar.installer;

/**
 * Where the installed helper lives under its prefix: the jar, the launchers, the receipt and (on
 * Windows) the manifests the registry points at. The default prefix is an {@code app} folder inside
 * the per-user Magnetar folder, apart from the helper's data (wallet, downloads state), which
 * uninstall must never touch.
 */
public record InstallLayout(OperatingSystem os, TargetPath prefix) {

    public static InstallLayout defaultFor(PlatformDirectories dirs) {
        TargetPath prefix = switch (dirs.os()) {
            case LINUX -> dirs.xdgDataHome().resolve("magnetar", "app");
            case MACOS -> dirs.applicationSupport().resolve("Magnetar", "app");
            case WINDOWS -> dirs.localAppData().resolve("Magnetar", "app");
        };
        return new InstallLayout(dirs.os(), prefix);
    }

    /** Where a user's own commands go on Linux and macOS: {@code ~/.local/bin}. */
    public static TargetPath userCommandDirectory(PlatformDirectories dirs) {
        return dirs.home().resolve(".local", "bin");
    }

    public TargetPath jar() {
        return prefix.resolve("magnetar.jar");
    }

    public TargetPath binDirectory() {
        return prefix.resolve("bin");
    }

    public TargetPath nativeHostLauncher() {
        return binDirectory().resolve(os == OperatingSystem.WINDOWS ? "magnetar-native-host.cmd" : "magnetar-native-host");
    }

    public TargetPath cliLauncher() {
        return binDirectory().resolve(os == OperatingSystem.WINDOWS ? "magnetar.cmd" : "magnetar");
    }

    /** The native host's class-data archive (see {@link InstallStep.CreateClassArchive}). */
    public TargetPath nativeHostArchive() {
        return prefix.resolve("native-host.jsa");
    }

    public TargetPath receipt() {
        return prefix.resolve("install-receipt.json");
    }

    /** Windows only: one manifest per browser family, found through the registry. */
    public TargetPath windowsManifest(Browser.Family family, HostIdentity identity) {
        String folder = family == Browser.Family.CHROMIUM ? "chromium" : "firefox";
        return prefix.resolve("native-messaging-hosts", folder, identity.manifestFileName());
    }
}
