package dev.magnetar.packaging;

import dev.magnetar.installer.Browser;
import dev.magnetar.installer.HostIdentity;
import dev.magnetar.installer.InstallStep;
import dev.magnetar.installer.LauncherScripts;
import dev.magnetar.installer.NativeHostManifest;
import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import dev.magnetar.nativehost.ClassArchiveTraining;
import dev.magnetar.util.DataDirectory;
import dev.magnetar.util.JvmFlags;
import java.nio.file.Path;
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
 * <p>The files made on the target are the class-data archives of the native host and of the daemon:
 * Java 17 accepts an archive only for the jar paths it was made with, so {@code postinst} makes them
 * for the installed paths (the host's with the per-user installer's training run,
 * {@link InstallStep.CreateClassArchive}; the daemon's by the training run a host starts, {@link ClassArchiveTraining}) and
 * {@code prerm} deletes them. The host launcher names the daemon's archive
 * ({@link JvmFlags#packagedDaemonArchive}), so the daemon it starts maps it instead of making one per
 * user. There is no {@code postrm}: with none, dpkg forgets the package entirely on remove.
 */
public final class DebianPackage {

    static final String MAINTAINER = "Magnetar developers <packages@magnetar.dev>";
    static final String USR_BIN = "/usr/bin/magnetar";
    /** The daemon's training run in postinst: a start, two requests and a ~5 s dump; this bounds one that hangs. */
    static final int DAEMON_TRAINING_TIMEOUT_SECONDS = 300;

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
                LauncherScripts.nativeHost(OperatingSystem.LINUX, layout.java(), layout.jar(), layout.nativeHostArchive(),
                        List.of(JvmFlags.packagedDaemonArchive(layout.daemonArchive().value()))), true,
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

    /**
     * The training runs. The host's exactly as the per-user installer runs it, in a scratch data
     * folder. The daemon's exactly as the native host runs one for a user ({@link ClassArchiveTraining}: the helper's
     * flags, the installed jar as the class path the host passes its daemon, a client's first requests, then the
     * daemon stops and dumps one static archive of the classes it loaded), in the foreground: the run ends once the
     * archive is written. Both best effort. Until session 19 postinst let the JVM write a dynamic archive (on top of the
     * runtime's base archive) when a daemon that had come up was stopped; the same .deb's daemon with that archive against
     * this one, alternating ({@code bench/api --startup-only --host/--vs-host}, bench/README.md): CPU to API ready 0.89 →
     * 0.76 s (8 of 8 rounds lower, load 3.5–6), idle RSS 73.1 → 71.1 MiB (8 of 8); at real-time priority (load 9–12) API
     * ready 536 → 496 ms, CPU 0.80 → 0.72 s (6 of 6).
     */
    String postinst() {
        InstallStep.CreateClassArchive host = new InstallStep.CreateClassArchive(layout.nativeHostArchive(), layout.java(),
                layout.jar(), JvmFlags.NATIVE_HOST, List.of("native-host", identity.allowedOrigins().get(0)), "native host class archive");
        Path daemonArchivePath = Path.of(layout.daemonArchive().value());
        List<String> daemon = new ArrayList<>(List.of(layout.java().value()));
        daemon.addAll(JvmFlags.HELPER);
        daemon.addAll(ClassArchiveTraining.flags(daemonArchivePath));
        // -jar: the class path is then the jar's path exactly as the host's own -jar gives it, and so as the host
        // passes it to its daemon with -cp; a static archive is mapped only for the class path it was dumped for.
        daemon.addAll(List.of("-jar", layout.jar().value(), "daemon", "--data-dir"));
        String hostArchive = shQuote(layout.nativeHostArchive().value());
        String daemonArchive = shQuote(layout.daemonArchive().value());
        String trainingLeftovers = shQuote(ClassArchiveTraining.lockFile(daemonArchivePath).toString()) + " "
                + shQuote(ClassArchiveTraining.classList(daemonArchivePath).toString());
        return "#!/bin/sh\n"
                + "# Magnetar: make the class-data archives (AppCDS) of the native host and of the daemon for the\n"
                + "# installed paths: the browser starts the host on every connect, and the host starts the daemon,\n"
                + "# so both start-ups are time a user waits for. Best effort: without an archive a start is only\n"
                + "# slower. The runs have no input and throwaway data folders; the daemon listens on loopback only.\n"
                + "set -e\n"
                + "if [ \"$1\" = configure ]; then\n"
                + "  scratch=$(mktemp -d)\n"
                + "  if ! " + DataDirectory.OVERRIDE_ENV + "=\"$scratch/host\" " + join(host.command()) + " </dev/null >/dev/null 2>&1; then\n"
                + "    rm -f " + hostArchive + "\n"
                + "  fi\n"
                + "  mkdir -p \"$scratch/daemon\"\n"
                + "  echo '{\"listenPort\":0,\"devnetPort\":0,\"network\":\"devnet\",\"quitWithBrowser\":false,"
                + "\"downloadDir\":\"'\"$scratch\"'/downloads\"}' > \"$scratch/daemon/settings.json\"\n"
                + "  # The daemon's training: it stops by itself once it has answered /health and /torrents, then dumps the\n"
                + "  # archive and exits 0; a hung start is ended after " + DAEMON_TRAINING_TIMEOUT_SECONDS + " s.\n"
                + "  if ! MAGNETAR_PEER_BIND=127.0.0.1 timeout -k 10 " + DAEMON_TRAINING_TIMEOUT_SECONDS + " " + join(daemon)
                + " \"$scratch/daemon\" </dev/null >/dev/null 2>&1; then\n"
                + "    rm -f " + daemonArchive + "\n"
                + "  fi\n"
                + "  rm -f " + trainingLeftovers + "\n"
                + "  [ -s " + hostArchive + " ] && [ -s " + daemonArchive + " ] || "
                + "echo 'magnetar: a class archive could not be made; the helper will start a little slower' >&2\n"
                + "  rm -rf \"$scratch\"\n"
                + "fi\n"
                + "exit 0\n";
    }

    private static String join(List<String> command) {
        return command.stream().map(DebianPackage::shQuote).collect(Collectors.joining(" "));
    }

    /** The archives are not files of the package: remove them before dpkg removes the folder they are in. */
    String prerm() {
        return "#!/bin/sh\n"
                + "# Magnetar: the class archives were made by postinst, so dpkg does not know them.\n"
                + "set -e\n"
                + "case \"$1\" in\n"
                + "  remove|upgrade|deconfigure|failed-upgrade) rm -f " + shQuote(layout.nativeHostArchive().value()) + " "
                + shQuote(layout.daemonArchive().value()) + " ;;\n"
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
