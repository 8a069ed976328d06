package dev.magnetar.packaging;

import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The trimmed Java runtime: jdeps finds the modules, jlink builds an image of just those. */
public final class RuntimeImage {

    /**
     * Modules jdeps cannot see because nothing names them in code: they are found as services at run
     * time. {@code jdk.crypto.ec} provides the elliptic curves of TLS 1.3 key exchange (SunEC), which a
     * gRPC connection to a public TRON node over TLS needs.
     */
    static final List<String> SERVICE_MODULES = List.of("jdk.crypto.ec");

    /**
     * Native parts of {@code java.desktop} a headless helper never loads: the module is in the list only
     * because Jackson reads {@code java.beans} annotations, but its AWT, Java 2D, sound and splash
     * screen libraries would make the package depend on X11, ALSA and font libraries.
     */
    static final List<String> DESKTOP_NATIVES = List.of("awt", "awt_xawt", "awt_headless", "awt_lwawt", "jawt", "fontmanager",
            "javajpeg", "lcms", "mlib_image", "splashscreen", "jsound", "freetype", "osxui", "osx");

    /** jlink's pattern list for {@link #DESKTOP_NATIVES} in this system's naming (comma-separated, so one glob each). */
    static String desktopNativesPattern(OperatingSystem os) {
        return DESKTOP_NATIVES.stream().map(name -> switch (os) {
            case LINUX -> "glob:**/lib/lib" + name + ".so";
            case MACOS -> "glob:**/lib/lib" + name + ".dylib";
            case WINDOWS -> "glob:**/bin/" + name + ".dll";
        }).collect(java.util.stream.Collectors.joining(","));
    }

    private RuntimeImage() {}

    /** {@code jdeps} over the jar; its single output line is the comma-separated module list. */
    public static List<String> jdepsCommand(TargetPath jdkBin, TargetPath jar) {
        return List.of(tool(jdkBin, "jdeps"), "--print-module-deps", "--ignore-missing-deps", "--multi-release", "17", jar.value());
    }

    /** Parses jdeps' answer ("java.base,java.sql,...") and adds {@link #SERVICE_MODULES}. */
    public static List<String> modules(String jdepsOutput) {
        Set<String> modules = new LinkedHashSet<>();
        for (String line : jdepsOutput.strip().split("\\R")) {
            if (line.matches("[a-z][a-z0-9_.]*(,[a-z][a-z0-9_.]*)*")) {
                modules.addAll(List.of(line.split(",")));
            }
        }
        if (!modules.contains("java.base")) {
            throw new IllegalArgumentException("jdeps reported no module list (expected java.base,...): " + jdepsOutput.strip());
        }
        modules.addAll(SERVICE_MODULES);
        return List.copyOf(modules);
    }

    /**
     * {@code jlink} with everything a user never needs left out: debug attributes, headers, man pages
     * and the native desktop libraries; resources compressed. {@code --generate-cds-archive} keeps
     * the JDK's default class-data archive, which the helper's own archives (native host, daemon)
     * build on: without a base archive the JVM refuses {@code -XX:ArchiveClassesAtExit}.
     */
    public static List<String> jlinkCommand(TargetPath jdkBin, List<String> modules, TargetPath output) {
        List<String> cmd = new ArrayList<>(List.of(tool(jdkBin, "jlink"),
                "--add-modules", String.join(",", modules),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=2",
                "--exclude-files=" + desktopNativesPattern(jdkBin.os()),
                "--generate-cds-archive",
                "--output", output.value()));
        return List.copyOf(cmd);
    }

    /**
     * The default archive for heaps above 32 GiB (no compressed pointers): the helper never runs one,
     * and it is 10 MB.
     */
    public static TargetPath uncompressedOopsArchive(OperatingSystem os, TargetPath runtime) {
        return os == OperatingSystem.WINDOWS
                ? runtime.resolve("bin", "server", "classes_nocoops.jsa")
                : runtime.resolve("lib", "server", "classes_nocoops.jsa");
    }

    static String tool(TargetPath jdkBin, String name) {
        return jdkBin.resolve(jdkBin.os() == OperatingSystem.WINDOWS ? name + ".exe" : name).value();
    }
}
