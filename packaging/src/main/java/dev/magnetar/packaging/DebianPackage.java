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
import java.util.stream.Collectors;

/**
 * The {@code .deb}: the app image under {@code /opt/magnetar}, {@code /usr/bin/magnetar}, and the
 * native messaging host registered system-wide.
 *
 * <p>Registration is by the package itself, for every user, not by post-install for "the installing
 * user" nor on the helper's first run: the manifests are ordinary files of the package (the four
 * system folders of {@link SystemHostRegistrations} hold symbolic links to the two manifests in the
 * image), so dpkg installs them, lists them ({@code dpkg -S}) and removes them with the package, and
 * no maintainer script writes into anyone's home (Debian Policy: maintainer scripts do not write to
 * users' home directories; and under sudo or a graphical package manager "the installing user" is a
 * guess). First-run registration cannot work at all: the browser only starts the helper once it is
 * registered. Links, not regular files, under /etc: Debian treats a regular file there as a conffile
 * (debhelper marks every one), which {@code apt-get remove} keeps until a purge; a link is no
 * configuration anyone edits, and it goes with the package.
 *
 * <p>The one file made on the target is the native host's class-data archive: Java 17 accepts an
 * archive only for the jar paths it was made with, so {@code postinst} makes it for the installed
 * paths (the training run of the per-user installer, {@link InstallStep.CreateClassArchive}) and
 * {@code prerm} deletes it. The daemon's archive is per user, made by its first run (DaemonClassArchive).
 * There is no {@code postrm}: with none, dpkg forgets the package entirely on remove.
 */
public final class DebianPackage {

    static final String MAINTAINER = "Magnetar developers <packages@magnetar.dev>";
    static final String USR_BIN = "/usr/bin/magnetar";

    private final ReleaseRequest request;
    private final InstalledLayout layout = InstalledLayout.defaultFor(OperatingSystem.LINUX);
    private final HostIdentity identity = HostIdentity.MAGNETAR;

    public DebianPackage(ReleaseRequest request) {
        if (request.os() != OperatingSystem.LINUX) {
            throw new IllegalArgumentException("a .deb is built on Linux, not " + request.os());
        }
        this.request = request;
    }

    public String fileName() {
        return control().packageName() + "_" + control().version() + "_" + request.architecture() + ".deb";
    }

    public DebianControl control() {
        return new DebianControl(InstalledLayout.APP_NAME, request.version().debian(), request.architecture(), MAINTAINER, "net",
                "BitTorrent helper for the Magnetar browser extension",
                List.of("Downloads the magnet links the Magnetar extension (Chromium, Chrome, Edge, Firefox) hands",
                        "it, verifies every piece, seeds, and can boost downloads with BTT within budgets the user",
                        "approves. Registers itself as the extension's native messaging host for every user.",
                        "",
                        "Ships its own trimmed Java runtime under /opt/magnetar: no system Java is used."));
    }

    /**
     * The steps after the app image exists at {@code image}: stage the package tree in {@code staging}
     * and build the .deb into {@code outDir}.
     */
    public List<ReleaseStep> steps(TargetPath image, TargetPath staging, TargetPath dpkgDeb) {
        List<ReleaseStep> steps = new ArrayList<>();
        TargetPath stagedRoot = staged(staging, layout.root());
        steps.add(new ReleaseStep.DeleteTree(staging));
        steps.add(new ReleaseStep.CopyTree(image, stagedRoot));
        steps.add(ReleaseStep.WriteFile.text(layout.within(stagedRoot, layout.nativeHostLauncher()),
                LauncherScripts.nativeHost(OperatingSystem.LINUX, layout.java(), layout.jar(), layout.nativeHostArchive()), true,
                "native host launcher"));
        for (Browser.Family family : Browser.Family.values()) {
            steps.add(ReleaseStep.WriteFile.text(layout.within(stagedRoot, layout.manifest(family, identity)),
                    NativeHostManifest.render(identity, family, layout.nativeHostLauncher()), false,
                    family.name().toLowerCase(java.util.Locale.ROOT) + " native messaging manifest"));
        }
        for (SystemHostRegistrations.ManifestFolder folder : SystemHostRegistrations.manifestFolders(OperatingSystem.LINUX)) {
            TargetPath link = staged(staging, TargetPath.of(OperatingSystem.LINUX, folder.path()).resolve(identity.manifestFileName()));
            steps.add(new ReleaseStep.Symlink(link, layout.manifest(folder.browser().family(), identity).value(),
                    folder.browser().cliName() + " system-wide host registration"));
        }
        steps.add(new ReleaseStep.Symlink(staged(staging, TargetPath.of(OperatingSystem.LINUX, USR_BIN)), layout.cliLauncher().value(),
                "magnetar command on PATH"));
        steps.add(ReleaseStep.WriteFile.text(staged(staging, TargetPath.of(OperatingSystem.LINUX, "/usr/share/doc/magnetar/copyright")),
                copyright(), false, "copyright notice"));
        TargetPath debian = staging.resolve("DEBIAN");
        steps.add(ReleaseStep.WriteFile.text(debian.resolve("postinst"), postinst(), true, "post-install script"));
        steps.add(ReleaseStep.WriteFile.text(debian.resolve("prerm"), prerm(), true, "pre-removal script"));
        steps.add(new ReleaseStep.WriteDebianControl(debian.resolve("control"), staging, control()));
        steps.add(new ReleaseStep.RunTool(List.of(dpkgDeb.value(), "--root-owner-group", "-Zxz", "--build", staging.value(),
                request.outDir().resolve(fileName()).value()), "build the .deb"));
        return steps;
    }

    /** The installed path {@code p} inside the staging tree. */
    static TargetPath staged(TargetPath staging, TargetPath p) {
        return TargetPath.of(staging.os(), staging.value() + p.value());
    }

    /** The training run, exactly as the per-user installer runs it, but in a scratch data folder and best effort. */
    String postinst() {
        InstallStep.CreateClassArchive training = new InstallStep.CreateClassArchive(layout.nativeHostArchive(), layout.java(),
                layout.jar(), JvmFlags.NATIVE_HOST, List.of("native-host", identity.allowedOrigins().get(0)), "native host class archive");
        String command = training.command().stream().map(DebianPackage::shQuote).collect(Collectors.joining(" "));
        return "#!/bin/sh\n"
                + "# Magnetar: make the native host's class-data archive (AppCDS) for the installed paths. The browser\n"
                + "# starts the host on every connect; mapped classes start it faster. Best effort: without the archive\n"
                + "# the host only starts slower. The run has no input and a throwaway data folder.\n"
                + "set -e\n"
                + "if [ \"$1\" = configure ]; then\n"
                + "  scratch=$(mktemp -d)\n"
                + "  if ! " + DataDirectory.OVERRIDE_ENV + "=\"$scratch/data\" " + command + " </dev/null >/dev/null 2>&1; then\n"
                + "    rm -f " + shQuote(layout.nativeHostArchive().value()) + "\n"
                + "    echo 'magnetar: no class archive for the native host; it will start a little slower' >&2\n"
                + "  fi\n"
                + "  rm -rf \"$scratch\"\n"
                + "fi\n"
                + "exit 0\n";
    }

    /** The archive is not a file of the package: remove it before dpkg removes the folder it is in. */
    String prerm() {
        return "#!/bin/sh\n"
                + "# Magnetar: the native host's class archive was made by postinst, so dpkg does not know it.\n"
                + "set -e\n"
                + "case \"$1\" in\n"
                + "  remove|upgrade|deconfigure|failed-upgrade) rm -f " + shQuote(layout.nativeHostArchive().value()) + " ;;\n"
                + "esac\n"
                + "exit 0\n";
    }

    static String copyright() {
        return "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                + "Upstream-Name: Magnetar\n"
                + "\n"
                + "Files: *\n"
                + "Copyright: the Magnetar developers\n"
                + "License: proprietary\n"
                + " All rights reserved. The bundled Java runtime (/opt/magnetar/lib/runtime) is OpenJDK,\n"
                + " GPL-2.0 with the Classpath Exception; its notices are in /opt/magnetar/lib/runtime/legal.\n"
                + " The helper jar bundles open-source libraries under their own licences (META-INF in the jar).\n";
    }

    static String shQuote(String s) {
        return s.matches("[A-Za-z0-9_./:=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
