package dev.magnetar.packaging;

import dev.magnetar.installer.Browser;
import dev.magnetar.installer.HostIdentity;
import dev.magnetar.installer.InstallStep;
import dev.magnetar.installer.LauncherScripts;
import dev.magnetar.installer.NativeHostManifest;
import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import dev.magnetar.util.DataDirectory;
import dev.magnetar.util.JvmFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The macOS installer (planned here, built on a Mac): an app bundle from jpackage with our
 * Info.plist (a background helper: no Dock icon), then a {@code .pkg} whose postinstall links the
 * host manifests into the system-wide folders of {@link SystemHostRegistrations}, links
 * {@code /usr/local/bin/magnetar} and makes the native host's class archive. macOS has no package
 * removal, so the bundle carries {@code uninstall.sh}, which removes exactly those links, the archive,
 * the bundle and the package receipt ({@code pkgutil --forget}) and never the helper's data in
 * {@code ~/Library/Application Support/Magnetar}. Unsigned: signing and notarising need the
 * publisher's Apple identity ({@code --mac-sign}), added on the build Mac.
 */
public final class MacPackage {

    public static final String BUNDLE_ID = "dev.magnetar.helper";
    static final String USR_LOCAL_BIN = "/usr/local/bin/magnetar";

    private final ReleaseRequest request;
    private final TargetPath jdkBin;
    private final InstalledLayout layout = InstalledLayout.defaultFor(OperatingSystem.MACOS);
    private final HostIdentity identity = HostIdentity.MAGNETAR;

    public MacPackage(ReleaseRequest request, TargetPath jdkBin) {
        this.request = request;
        this.jdkBin = jdkBin;
    }

    public String fileName() {
        return InstalledLayout.MAC_BUNDLE_NAME + "-" + request.version().numeric() + ".pkg";
    }

    public List<ReleaseStep> steps(TargetPath input, TargetPath runtime, TargetPath images, TargetPath image) {
        List<ReleaseStep> steps = new ArrayList<>();
        TargetPath icon = request.work("Magnetar.icns");
        TargetPath appResources = request.work("app-resources");
        TargetPath pkgResources = request.work("pkg-resources");
        steps.add(new ReleaseStep.WriteIcon(request.iconPng(), icon, Icons.Format.ICNS));
        steps.add(ReleaseStep.WriteFile.text(appResources.resolve("Info.plist"), infoPlist(), false, "bundle Info.plist"));
        steps.add(new ReleaseStep.RunTool(AppImage.jpackageCommand(OperatingSystem.MACOS, jdkBin, request, input, runtime, icon,
                appResources, images), "jpackage the app bundle"));
        steps.add(ReleaseStep.WriteFile.text(layout.within(image, layout.nativeHostLauncher()),
                LauncherScripts.nativeHost(OperatingSystem.MACOS, layout.java(), layout.jar(), layout.nativeHostArchive()), true,
                "native host launcher"));
        for (Browser.Family family : Browser.Family.values()) {
            steps.add(ReleaseStep.WriteFile.text(layout.within(image, layout.manifest(family, identity)),
                    NativeHostManifest.render(identity, family, layout.nativeHostLauncher()), false,
                    family.name().toLowerCase(Locale.ROOT) + " native messaging manifest"));
        }
        steps.add(ReleaseStep.WriteFile.text(layout.within(image, uninstaller()), uninstallScript(), true, "uninstaller"));
        steps.add(ReleaseStep.WriteFile.text(pkgResources.resolve("postinstall"), postinstall(), true, "pkg postinstall script"));
        steps.add(new ReleaseStep.RunTool(List.of(RuntimeImage.tool(jdkBin, "jpackage"), "--type", "pkg",
                "--app-image", image.value(),
                "--name", InstalledLayout.MAC_BUNDLE_NAME,
                "--app-version", request.version().numeric(),
                "--mac-package-identifier", BUNDLE_ID,
                "--resource-dir", pkgResources.value(),
                "--dest", request.outDir().value()), "jpackage the .pkg"));
        return steps;
    }

    TargetPath uninstaller() {
        return layout.root().resolve("Contents", "Resources", "uninstall.sh");
    }

    /** The bundle's Info.plist: jpackage's keys plus LSUIElement, so the helper never shows in the Dock. */
    String infoPlist() {
        String v = request.version().numeric();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n"
                + "<dict>\n"
                + entry("CFBundleDevelopmentRegion", "English")
                + entry("CFBundleExecutable", InstalledLayout.MAC_BUNDLE_NAME)
                + entry("CFBundleIconFile", "Magnetar.icns")
                + entry("CFBundleIdentifier", BUNDLE_ID)
                + entry("CFBundleInfoDictionaryVersion", "6.0")
                + entry("CFBundleName", InstalledLayout.MAC_BUNDLE_NAME)
                + entry("CFBundlePackageType", "APPL")
                + entry("CFBundleShortVersionString", v)
                + entry("CFBundleVersion", v)
                + entry("LSMinimumSystemVersion", "10.11")
                + "  <key>LSUIElement</key>\n  <true/>\n"
                + "  <key>NSHighResolutionCapable</key>\n  <true/>\n"
                + "</dict>\n"
                + "</plist>\n";
    }

    private static String entry(String key, String value) {
        return "  <key>" + key + "</key>\n  <string>" + WindowsPackage.xml(value) + "</string>\n";
    }

    /** Every system path postinstall links, with what it points at (the uninstaller removes the same list). */
    List<String[]> links() {
        List<String[]> links = new ArrayList<>();
        for (SystemHostRegistrations.ManifestFolder f : SystemHostRegistrations.manifestFolders(OperatingSystem.MACOS)) {
            links.add(new String[] {f.path() + "/" + identity.manifestFileName(), layout.manifest(f.browser().family(), identity).value()});
        }
        links.add(new String[] {USR_LOCAL_BIN, layout.cliLauncher().value()});
        return links;
    }

    String postinstall() {
        InstallStep.CreateClassArchive training = new InstallStep.CreateClassArchive(layout.nativeHostArchive(), layout.java(),
                layout.jar(), JvmFlags.NATIVE_HOST, List.of("native-host", identity.allowedOrigins().get(0)), "native host class archive");
        StringBuilder sb = new StringBuilder("#!/bin/sh\n"
                + "# Magnetar pkg postinstall: register the native messaging host for every user (links to the\n"
                + "# manifests inside the bundle), put magnetar on PATH, make the native host's class archive.\n"
                + "set -e\n");
        for (String[] link : links()) {
            sb.append("mkdir -p ").append(DebianPackage.shQuote(parent(link[0]))).append('\n');
            sb.append("ln -sfn ").append(DebianPackage.shQuote(link[1])).append(' ').append(DebianPackage.shQuote(link[0])).append('\n');
        }
        sb.append("scratch=$(mktemp -d)\n")
                .append(DataDirectory.OVERRIDE_ENV).append("=\"$scratch/data\" ")
                .append(training.command().stream().map(DebianPackage::shQuote).collect(Collectors.joining(" ")))
                .append(" </dev/null >/dev/null 2>&1 || rm -f ").append(DebianPackage.shQuote(layout.nativeHostArchive().value())).append('\n')
                .append("rm -rf \"$scratch\"\n")
                .append("exit 0\n");
        return sb.toString();
    }

    String uninstallScript() {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n"
                + "# Removes what the Magnetar package installed (run with sudo). Your downloads, settings and wallet\n"
                + "# in ~/Library/Application Support/Magnetar stay.\n"
                + "set -e\n");
        for (String[] link : links()) {
            // Only our own link: a file someone else put there is left alone.
            sb.append("[ \"$(readlink ").append(DebianPackage.shQuote(link[0])).append(" 2>/dev/null)\" = ")
                    .append(DebianPackage.shQuote(link[1])).append(" ] && rm -f ").append(DebianPackage.shQuote(link[0])).append('\n');
        }
        sb.append("rm -f ").append(DebianPackage.shQuote(layout.nativeHostArchive().value())).append('\n')
                .append("rm -rf ").append(DebianPackage.shQuote(layout.root().value())).append('\n')
                .append("pkgutil --forget ").append(BUNDLE_ID).append(" >/dev/null 2>&1 || true\n")
                .append("echo 'Magnetar removed; your data in ~/Library/Application Support/Magnetar is kept.'\n");
        return sb.toString();
    }

    private static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }
}
