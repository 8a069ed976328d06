package dev.magnetar.cli;

import dev.magnetar.installer.Browser;
import dev.magnetar.installer.BrowserDetector;
import dev.magnetar.installer.BrowserLocations;
import dev.magnetar.installer.CommandRunner;
import dev.magnetar.installer.HostIdentity;
import dev.magnetar.installer.InstallExecutor;
import dev.magnetar.installer.InstallLayout;
import dev.magnetar.installer.InstallPlan;
import dev.magnetar.installer.InstallPlanner;
import dev.magnetar.installer.InstallRequest;
import dev.magnetar.installer.InstallerException;
import dev.magnetar.installer.NoBrowserFoundException;
import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.PlatformDirectories;
import dev.magnetar.installer.TargetPath;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magnetar install}: copies the running jar into a per-user prefix, writes the launchers and
 * registers the native messaging host with the detected (or named) browsers. Never needs root.
 * Register as a subcommand of {@link Main}, together with {@link UninstallCommand}.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install the helper for this user and register it with the browsers (no root needed).")
public final class InstallCommand implements Callable<Integer> {

    @Option(names = "--browser", paramLabel = "NAME",
            description = "Register with this browser (repeatable): chrome, chromium, edge, brave, vivaldi, firefox. "
                    + "Default: every browser found for this user.")
    List<String> browserNames = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print what would be done and change nothing.")
    boolean dryRun;

    @Option(names = "--autostart", description = "Also start `magnetar daemon` at login (systemd user unit, LaunchAgent or Run key).")
    boolean autostart;

    @Option(names = "--prefix", paramLabel = "DIR", description = "Install the jar and launchers here (default: per-user app folder).")
    Path prefix;

    @Option(names = "--home", paramLabel = "DIR", hidden = true, description = "Act for this home folder instead of user.home (tests).")
    Path home;

    @Option(names = "--jar", paramLabel = "FILE", hidden = true, description = "Install this jar instead of the running one.")
    Path jar;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment (XDG_*, LOCALAPPDATA, PATH); tests replace it so they never read the real user's. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PlatformDirectories dirs = InstallSupport.directories(home, env);
            OperatingSystem os = dirs.os();
            InstallLayout layout = InstallSupport.layout(dirs, prefix);
            Set<Browser> browsers = browsers(dirs);
            InstallRequest request = new InstallRequest(dirs, layout, browsers, autostart,
                    TargetPath.ofLocal(os, currentJava(os)), TargetPath.ofLocal(os, sourceJar()), HostIdentity.MAGNETAR);
            InstallPlan plan = new InstallPlanner().plan(request);
            String names = browsers.stream().map(Browser::cliName).collect(Collectors.joining(", "));
            if (dryRun) {
                out.println("Dry run (nothing changed). Installing for " + names + " would:");
                plan.describe().forEach(line -> out.println("  " + line));
                out.flush();
                return 0;
            }
            new InstallExecutor(os, CommandRunner.processes()).install(plan);
            out.println("Installed Magnetar in " + layout.prefix() + " and registered the native messaging host with " + names + ".");
            out.println(commandOnPath(dirs, layout));
            out.println("Restart the browser if it is running. Receipt: " + layout.receipt());
            out.println("Uninstall with: " + layout.cliLauncher() + " uninstall" + (prefix != null ? " --prefix " + prefix : ""));
            out.flush();
            return 0;
        } catch (InstallerException e) {
            err.println("magnetar install: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** Says how to run `magnetar` from now on: by name when the linked folder is on PATH, else by its full path. */
    private String commandOnPath(PlatformDirectories dirs, InstallLayout layout) {
        if (dirs.os() == OperatingSystem.WINDOWS) {
            return "Run the magnetar command as " + layout.cliLauncher() + ".";
        }
        TargetPath userBin = InstallLayout.userCommandDirectory(dirs);
        String path = env.getOrDefault("PATH", "");
        boolean onPath = java.util.Arrays.stream(path.split(java.io.File.pathSeparator)).anyMatch(p -> p.equals(userBin.value()));
        return onPath
                ? "The magnetar command is on your PATH (" + userBin.resolve("magnetar") + ")."
                : "The magnetar command is " + userBin.resolve("magnetar") + "; " + userBin + " is not on your PATH yet "
                        + "(a new login shell adds it on most systems, or add it yourself).";
    }

    private Set<Browser> browsers(PlatformDirectories dirs) throws InstallerException {
        if (!browserNames.isEmpty()) {
            Set<Browser> chosen = EnumSet.noneOf(Browser.class);
            for (String name : browserNames) {
                for (String part : name.split(",")) {
                    chosen.add(Browser.parse(part));
                }
            }
            return chosen;
        }
        BrowserDetector detector = new BrowserDetector(new BrowserLocations(dirs), BrowserDetector.localProbe(env));
        Set<Browser> found = detector.detect();
        if (found.isEmpty()) {
            throw new NoBrowserFoundException(detector.lookedFor());
        }
        return found;
    }

    /** The Java running this installer: the launchers pin it by absolute path. */
    static Path currentJava(OperatingSystem os) {
        return Path.of(System.getProperty("java.home"), "bin", os == OperatingSystem.WINDOWS ? "java.exe" : "java");
    }

    private Path sourceJar() throws InstallerException {
        if (jar != null) {
            if (!Files.isRegularFile(jar)) {
                throw new InstallerException("--jar " + jar + " is not a file");
            }
            return jar;
        }
        try {
            Path self = Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
                return self;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the explanation below
        }
        throw new InstallerException("install copies the jar it runs from, but this is not running from a jar; build it and "
                + "run `java -jar helper/target/magnetar.jar install` (installer/install.sh does both)");
    }
}
