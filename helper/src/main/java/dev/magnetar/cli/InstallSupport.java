package dev.magnetar.cli;

import dev.magnetar.installer.InstallLayout;
import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.PlatformDirectories;
import dev.magnetar.installer.TargetPath;
import dev.magnetar.util.UserDirectories;
import java.nio.file.Path;
import java.util.Map;

/** What install and uninstall share: this machine's directories, from an explicit home and environment. */
final class InstallSupport {

    private InstallSupport() {}

    /** For {@code home}, else the environment's {@code $HOME} (see {@link UserDirectories}), else {@code user.home}. */
    static PlatformDirectories directories(Path home, Map<String, String> env) {
        OperatingSystem os = OperatingSystem.current();
        Path h = home != null ? home : new UserDirectories(env, System.getProperty("os.name", ""), System.getProperty("user.home")).home();
        return new PlatformDirectories(os, TargetPath.ofLocal(os, h), env);
    }

    static InstallLayout layout(PlatformDirectories dirs, Path prefix) {
        return prefix != null ? new InstallLayout(dirs.os(), TargetPath.ofLocal(dirs.os(), prefix)) : InstallLayout.defaultFor(dirs);
    }
}
