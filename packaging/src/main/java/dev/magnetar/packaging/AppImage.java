package dev.magnetar.packaging;

import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import dev.magnetar.util.JvmFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * The jpackage app image: the helper jar, the jlink runtime and jpackage's native launcher (the
 * {@code magnetar} command), whose {@code .cfg} carries the helper's JVM flags — the ones the
 * per-user installer's launcher passes ({@link JvmFlags#HELPER}).
 */
public final class AppImage {

    static final String MAIN_CLASS = "dev.magnetar.cli.Main";
    static final String VENDOR = "Magnetar";
    static final String DESCRIPTION = "Magnetar helper: BitTorrent engine, TRON wallet and browser bridge";

    private AppImage() {}

    /** The name jpackage gives the image and its launcher: {@code magnetar}, or the bundle name on macOS. */
    public static String name(OperatingSystem os) {
        return os == OperatingSystem.MACOS ? InstalledLayout.MAC_BUNDLE_NAME : InstalledLayout.APP_NAME;
    }

    /**
     * @param input a folder holding only the jar (jpackage copies all of {@code --input} into the image)
     * @param icon the icon in the system's format (png, ico, icns)
     * @param resourceDir jpackage resource overrides (macOS: Info.plist), or null
     */
    public static List<String> jpackageCommand(OperatingSystem os, TargetPath jdkBin, ReleaseRequest request, TargetPath input,
                                               TargetPath runtime, TargetPath icon, TargetPath resourceDir, TargetPath dest) {
        List<String> cmd = new ArrayList<>(List.of(RuntimeImage.tool(jdkBin, "jpackage"),
                "--type", "app-image",
                "--name", name(os),
                // jpackage takes numbers only (Windows: at most three, macOS: one to three).
                "--app-version", request.version().numeric(),
                "--vendor", VENDOR,
                "--description", DESCRIPTION,
                "--input", input.value(),
                "--main-jar", InstalledLayout.JAR_NAME,
                "--main-class", MAIN_CLASS,
                "--runtime-image", runtime.value(),
                "--icon", icon.value(),
                "--dest", dest.value()));
        for (String flag : JvmFlags.HELPER) {
            cmd.add("--java-options");
            cmd.add(flag);
        }
        switch (os) {
            case WINDOWS -> cmd.add("--win-console"); // a command-line program: its output needs a console
            case MACOS -> cmd.addAll(List.of("--mac-package-identifier", MacPackage.BUNDLE_ID,
                    "--mac-package-name", InstalledLayout.MAC_BUNDLE_NAME));
            case LINUX -> { }
        }
        if (resourceDir != null) {
            cmd.add("--resource-dir");
            cmd.add(resourceDir.value());
        }
        return List.copyOf(cmd);
    }
}
