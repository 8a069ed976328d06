package dev.magnetar.installer;

import dev.magnetar.util.JvmFlags;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a request into the steps of a per-user install, and a receipt into the steps of its
 * uninstall. Pure: reads nothing from the machine, so every OS × browser combination is checked by
 * unit tests on any machine. Nothing here needs root — every location is in the user's home or HKCU.
 */
public final class InstallPlanner {

    public InstallPlan plan(InstallRequest request) {
        OperatingSystem os = request.os();
        InstallLayout layout = request.layout();
        HostIdentity identity = request.identity();
        List<InstallStep> steps = new ArrayList<>();

        steps.add(new InstallStep.CreateDirectory(layout.prefix()));
        steps.add(new InstallStep.CreateDirectory(layout.binDirectory()));
        steps.add(new InstallStep.CopyFile(request.sourceJar(), layout.jar(), FileMode.REGULAR, "helper jar"));
        // The browser starts the host on every connect of the extension: its classes come from an archive.
        steps.add(new InstallStep.CreateClassArchive(layout.nativeHostArchive(), request.java(), layout.jar(), JvmFlags.NATIVE_HOST,
                List.of("native-host", identity.allowedOrigins().get(0)), "native host class archive"));
        steps.add(new InstallStep.WriteFile(layout.nativeHostLauncher(),
                LauncherScripts.nativeHost(os, request.java(), layout.jar(), layout.nativeHostArchive()), FileMode.EXECUTABLE,
                "native host launcher"));
        steps.add(new InstallStep.WriteFile(layout.cliLauncher(),
                LauncherScripts.cli(os, request.java(), layout.jar()), FileMode.EXECUTABLE, "magnetar command"));
        if (os != OperatingSystem.WINDOWS) {
            // ~/.local/bin is the per-user folder for commands (XDG Base Directory spec; systemd's
            // file-hierarchy); Debian's and Ubuntu's ~/.profile put it on PATH when it exists.
            TargetPath userBin = InstallLayout.userCommandDirectory(request.dirs());
            steps.add(new InstallStep.CreateDirectory(userBin));
            steps.add(new InstallStep.CreateSymlink(userBin.resolve("magnetar"), layout.cliLauncher().value(), "magnetar on PATH"));
        }

        BrowserLocations locations = new BrowserLocations(request.dirs());
        List<Browser> browsers = request.browsers().stream().sorted().toList();
        if (os == OperatingSystem.WINDOWS) {
            registerInRegistry(steps, browsers, locations, layout, identity);
        } else {
            for (Browser b : browsers) {
                TargetPath dir = locations.manifestDirectory(b);
                steps.add(new InstallStep.CreateDirectory(dir));
                steps.add(new InstallStep.WriteFile(dir.resolve(identity.manifestFileName()),
                        NativeHostManifest.render(identity, b.family(), layout.nativeHostLauncher()), FileMode.REGULAR,
                        b.cliName() + " native messaging manifest"));
            }
        }
        if (request.autostart()) {
            autostart(steps, request);
        }
        return new InstallPlan(steps, layout.receipt());
    }

    private static void registerInRegistry(List<InstallStep> steps, List<Browser> browsers, BrowserLocations locations,
                                           InstallLayout layout, HostIdentity identity) {
        Set<Browser.Family> families = new LinkedHashSet<>();
        browsers.forEach(b -> families.add(b.family()));
        for (Browser.Family family : families) {
            TargetPath manifest = layout.windowsManifest(family, identity);
            steps.add(new InstallStep.CreateDirectory(manifest.parent()));
            steps.add(new InstallStep.WriteFile(manifest, NativeHostManifest.render(identity, family, layout.nativeHostLauncher()),
                    FileMode.REGULAR, family.name().toLowerCase(java.util.Locale.ROOT) + " native messaging manifest"));
        }
        // Brave, Vivaldi and Chrome share one key: register it once.
        Set<String> done = new LinkedHashSet<>();
        for (Browser b : browsers) {
            for (String parent : locations.registryParents(b)) {
                String key = parent + "\\" + identity.hostName();
                if (done.add(key)) {
                    steps.add(new InstallStep.SetRegistryDefault(key, layout.windowsManifest(b.family(), identity).value()));
                }
            }
        }
    }

    private static void autostart(List<InstallStep> steps, InstallRequest request) {
        InstallLayout layout = request.layout();
        PlatformDirectories dirs = request.dirs();
        switch (request.os()) {
            case LINUX -> {
                TargetPath userUnits = dirs.xdgConfigHome().resolve("systemd", "user");
                TargetPath unit = userUnits.resolve(AutostartFiles.SYSTEMD_UNIT_NAME);
                TargetPath wants = userUnits.resolve("default.target.wants");
                steps.add(new InstallStep.CreateDirectory(userUnits));
                steps.add(new InstallStep.WriteFile(unit, AutostartFiles.systemdUnit(layout.cliLauncher()), FileMode.REGULAR,
                        "systemd user unit"));
                // What `systemctl --user enable` does; done directly so install needs no running user manager.
                steps.add(new InstallStep.CreateDirectory(wants));
                steps.add(new InstallStep.CreateSymlink(wants.resolve(AutostartFiles.SYSTEMD_UNIT_NAME), unit.value(),
                        "systemd enablement"));
            }
            case MACOS -> {
                TargetPath agents = dirs.home().resolve("Library", "LaunchAgents");
                steps.add(new InstallStep.CreateDirectory(agents));
                steps.add(new InstallStep.WriteFile(agents.resolve(AutostartFiles.LAUNCHD_LABEL + ".plist"),
                        AutostartFiles.launchAgent(layout.cliLauncher()), FileMode.REGULAR, "launchd agent"));
            }
            case WINDOWS -> {
                TargetPath javaw = request.java().parent().resolve("javaw.exe");
                steps.add(new InstallStep.SetRegistryValue(AutostartFiles.WINDOWS_RUN_KEY, AutostartFiles.WINDOWS_RUN_VALUE,
                        AutostartFiles.windowsRunCommand(javaw, layout.jar())));
            }
        }
    }

    /**
     * The exact inverse of a receipt: every entry undone, newest first (files before the folders that
     * hold them). The receipt itself goes just before the first folder that contains it, so an uninstall
     * that stops half-way still has a receipt of what is left.
     */
    public InstallPlan planUninstall(InstallReceipt receipt) {
        List<InstallStep> steps = new ArrayList<>();
        List<ReceiptEntry> entries = new ArrayList<>(receipt.entries());
        java.util.Collections.reverse(entries);
        boolean receiptDeleted = false;
        for (ReceiptEntry e : entries) {
            if (!receiptDeleted && e instanceof ReceiptEntry.Directory d && receipt.location().startsWith(d.path())) {
                steps.add(new InstallStep.DeleteFile(receipt.location()));
                receiptDeleted = true;
            }
            steps.add(e.undo());
        }
        if (!receiptDeleted) {
            steps.add(new InstallStep.DeleteFile(receipt.location()));
        }
        return new InstallPlan(steps, receipt.location());
    }
}
