package dev.magnetar.installer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ArchiveProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor on this machine's real file system, in a throwaway home (Linux/macOS layout). */
class InstallExecutorTest {

    @TempDir
    Path tmp;

    Path home;
    Path jar;
    OperatingSystem os = OperatingSystem.LINUX;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        jar = Files.write(tmp.resolve("magnetar.jar"), new byte[] {'P', 'K', 3, 4, 1});
        // What a real user has before: a browser profile with another app's host, and Magnetar's own data.
        Files.createDirectories(home.resolve(".config/chromium/NativeMessagingHosts"));
        Files.writeString(home.resolve(".config/chromium/NativeMessagingHosts/com.example.other.json"), "{\"name\":\"com.example.other\"}");
        Files.createDirectories(home.resolve(".local/share/magnetar"));
        Files.writeString(home.resolve(".local/share/magnetar/keystore.json"), "{\"wallet\":\"keep me\"}");
    }

    private InstallRequest request(Set<Browser> browsers, boolean autostart, Path sourceJar) {
        PlatformDirectories dirs = new PlatformDirectories(os, TargetPath.ofLocal(os, home), Map.of());
        return new InstallRequest(dirs, InstallLayout.defaultFor(dirs), browsers, autostart,
                TargetPath.of(os, "/usr/bin/java"), TargetPath.ofLocal(os, sourceJar), HostIdentity.MAGNETAR);
    }

    private InstallExecutor executor() {
        return new InstallExecutor(os, argv -> {
            throw new AssertionError("no registry on " + os + ": " + argv);
        });
    }

    @Test
    void installCreatesFilesAndReceiptAndUninstallRestoresTheHomeExactly() throws Exception {
        Set<String> before = HomeListing.of(home);
        InstallPlan plan = new InstallPlanner().plan(request(EnumSet.of(Browser.CHROMIUM, Browser.FIREFOX, Browser.CHROME), true, jar));

        InstallReceipt receipt = executor().install(plan);

        Path manifest = home.resolve(".config/chromium/NativeMessagingHosts/dev.magnetar.helper.json");
        assertTrue(Files.isRegularFile(manifest));
        assertTrue(Files.readString(manifest).contains("chrome-extension://ighcbjpaekabdiphmkfgookimbgnoogf/"));
        assertTrue(Files.readString(home.resolve(".mozilla/native-messaging-hosts/dev.magnetar.helper.json")).contains("magnetar@magnetar.dev"));
        Path launcher = home.resolve(".local/share/magnetar/app/bin/magnetar-native-host");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher)));
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(home.resolve(".local/share/magnetar/app/magnetar.jar")));
        assertTrue(Files.isSymbolicLink(home.resolve(".config/systemd/user/default.target.wants/magnetar.service")));

        // The receipt lists exactly what appeared: every new path, and no pre-existing folder.
        Set<String> after = HomeListing.of(home);
        Set<String> appeared = new TreeSet<>(after);
        appeared.removeAll(before);
        Set<String> listed = new TreeSet<>();
        for (ReceiptEntry e : receipt.entries()) {
            Path p = e instanceof ReceiptEntry.File f ? f.path().toPath() : ((ReceiptEntry.Directory) e).path().toPath();
            listed.add(home.relativize(p) + (e instanceof ReceiptEntry.Directory ? "/" : ""));
        }
        listed.add(".local/share/magnetar/app/install-receipt.json");
        assertEquals(appeared, listed);
        assertFalse(listed.contains(".config/chromium/NativeMessagingHosts/"), "a folder that existed is not ours");
        assertEquals(receipt, executor().readReceipt(plan.receipt()));

        UninstallResult result = executor().uninstall(receipt);

        assertEquals(before, HomeListing.of(home), "uninstall leaves exactly what was there before");
        assertEquals("{\"wallet\":\"keep me\"}", Files.readString(home.resolve(".local/share/magnetar/keystore.json")));
        assertTrue(result.notes().isEmpty(), result.notes().toString());
    }

    @Test
    void reinstallingIsIdempotentAndReplacesChangedContent() throws Exception {
        InstallPlan plan = new InstallPlanner().plan(request(EnumSet.of(Browser.CHROMIUM), false, jar));
        InstallReceipt first = executor().install(plan);
        Set<String> listing = HomeListing.of(home);
        String receiptText = Files.readString(plan.receipt().toPath());

        InstallReceipt second = executor().install(plan);

        assertEquals(first, second);
        assertEquals(receiptText, Files.readString(plan.receipt().toPath()), "no duplicate entries");
        assertEquals(listing, HomeListing.of(home));

        // An upgrade: a new jar and another browser; the old entries stay, the jar content is replaced.
        Path newJar = Files.write(tmp.resolve("magnetar-2.jar"), new byte[] {'P', 'K', 9, 9});
        InstallReceipt upgraded = executor().install(new InstallPlanner().plan(request(EnumSet.of(Browser.CHROMIUM, Browser.FIREFOX), false, newJar)));
        assertArrayEquals(new byte[] {'P', 'K', 9, 9}, Files.readAllBytes(home.resolve(".local/share/magnetar/app/magnetar.jar")));
        assertTrue(upgraded.entries().containsAll(first.entries()));
        assertEquals(upgraded.entries().size(), Set.copyOf(upgraded.entries()).size());
        assertTrue(upgraded.entries().contains(new ReceiptEntry.File(TargetPath.ofLocal(os, home.resolve(".mozilla/native-messaging-hosts/dev.magnetar.helper.json")))));

        executor().uninstall(upgraded);
        assertFalse(Files.exists(home.resolve(".mozilla")));
        assertTrue(Files.exists(home.resolve(".config/chromium/NativeMessagingHosts/com.example.other.json")), "another app's manifest stays");
    }

    /** The class archive's training run, on this machine's real JVM: the archive goes into the receipt and out with uninstall. */
    @Test
    void aClassArchiveIsWrittenByARealTrainingRunAndRemovedByUninstall() throws Exception {
        Set<String> before = HomeListing.of(home);
        TargetPath prefix = TargetPath.ofLocal(os, home.resolve("app"));
        TargetPath installedJar = prefix.resolve("probe.jar");
        TargetPath archive = prefix.resolve("probe.jsa");
        InstallPlan plan = new InstallPlan(List.of(new InstallStep.CreateDirectory(prefix),
                new InstallStep.CopyFile(TargetPath.ofLocal(os, ArchiveProbe.writeJar(tmp.resolve("probe.jar"))), installedJar,
                        FileMode.REGULAR, "probe jar"),
                new InstallStep.CreateClassArchive(archive, TargetPath.ofLocal(os, Path.of(System.getProperty("java.home"), "bin", "java")),
                        installedJar, List.of("-XX:+UseSerialGC"), List.of(), "probe class archive")),
                prefix.resolve("install-receipt.json"));

        InstallReceipt receipt = executor().install(plan);

        assertTrue(Files.size(archive.toPath()) > 0, "no archive written");
        assertTrue(receipt.entries().contains(new ReceiptEntry.File(archive)), receipt.entries().toString());
        executor().uninstall(receipt);
        assertEquals(before, HomeListing.of(home));
    }

    /** A training run that fails (here: a jar that is not one) is a warning: no archive, no receipt entry, the install goes on. */
    @Test
    void aFailedTrainingRunLeavesNoArchive() throws Exception {
        InstallPlan plan = new InstallPlanner().plan(request(EnumSet.of(Browser.CHROMIUM), false, jar));

        InstallReceipt receipt = executor().install(plan);

        Path archive = home.resolve(".local/share/magnetar/app/native-host.jsa");
        assertFalse(Files.exists(archive));
        assertFalse(receipt.entries().contains(new ReceiptEntry.File(TargetPath.ofLocal(os, archive))));
        assertTrue(Files.isRegularFile(home.resolve(".local/share/magnetar/app/bin/magnetar-native-host")), "the install went on");
    }

    @Test
    void uninstallKeepsAFolderThatSomethingElseMovedInto() throws Exception {
        InstallReceipt receipt = executor().install(new InstallPlanner().plan(request(EnumSet.of(Browser.FIREFOX), false, jar)));
        Path theirs = Files.writeString(home.resolve(".mozilla/native-messaging-hosts/org.other.json"), "{}");

        UninstallResult result = executor().uninstall(receipt);

        assertTrue(Files.exists(theirs));
        assertFalse(Files.exists(home.resolve(".mozilla/native-messaging-hosts/dev.magnetar.helper.json")));
        assertTrue(result.notes().stream().anyMatch(n -> n.startsWith("kept ") && n.contains("native-messaging-hosts")), result.notes().toString());
        assertFalse(Files.exists(home.resolve(".local/share/magnetar/app")));
    }

    @Test
    void aBrokenReceiptIsATypedErrorThatSaysWhatToDo() throws Exception {
        TargetPath location = TargetPath.ofLocal(os, home.resolve("install-receipt.json"));
        Files.writeString(location.toPath(), "{not json");
        InstallReceiptException bad = assertThrows(InstallReceiptException.class, () -> executor().readReceipt(location));
        assertTrue(bad.getMessage().contains("not valid JSON"), bad.getMessage());

        Files.writeString(location.toPath(), "{\"format\":1,\"os\":\"LINUX\",\"entries\":[{\"file\":\"relative/evil\"}]}");
        InstallReceiptException relative = assertThrows(InstallReceiptException.class, () -> executor().readReceipt(location));
        assertTrue(relative.getMessage().contains("refusing"), relative.getMessage());

        Files.delete(location.toPath());
        InstallReceiptException missing = assertThrows(InstallReceiptException.class, () -> executor().readReceipt(location));
        assertTrue(missing.getMessage().contains("--prefix"), missing.getMessage());
    }

    @Test
    void registryStepsRunRegExactlyAndAreUndoneFromTheReceipt() throws Exception {
        os = OperatingSystem.WINDOWS;
        List<List<String>> ran = new java.util.ArrayList<>();
        InstallExecutor windows = new InstallExecutor(os, argv -> {
            ran.add(argv);
            return new CommandRunner.Result(0, "The operation completed successfully.");
        });
        // Only registry steps: the file half of a Windows plan cannot run on this Linux machine.
        TargetPath receiptAt = TargetPath.of(OperatingSystem.WINDOWS, tmp.resolve("receipt.json").toString());
        InstallPlan plan = new InstallPlan(List.of(
                new InstallStep.SetRegistryDefault("HKCU\\Software\\Chromium\\NativeMessagingHosts\\dev.magnetar.helper", "C:\\m\\x.json"),
                new InstallStep.SetRegistryValue(AutostartFiles.WINDOWS_RUN_KEY, "Magnetar", "\"C:\\j\\javaw.exe\" daemon")), receiptAt);

        InstallReceipt receipt = windows.install(plan);

        assertEquals(List.of(((InstallStep.SetRegistryDefault) plan.steps().get(0)).command(),
                ((InstallStep.SetRegistryValue) plan.steps().get(1)).command()), ran);
        assertEquals(List.of(new ReceiptEntry.RegistryKey("HKCU\\Software\\Chromium\\NativeMessagingHosts\\dev.magnetar.helper"),
                new ReceiptEntry.RegistryValue(AutostartFiles.WINDOWS_RUN_KEY, "Magnetar")), receipt.entries());
    }

    @Test
    void aFailingRegCommandStopsTheInstallWithATypedErrorAndKeepsTheReceiptOfWhatWasDone() throws Exception {
        os = OperatingSystem.WINDOWS;
        InstallExecutor windows = new InstallExecutor(os, argv -> argv.get(2).contains("Mozilla")
                ? new CommandRunner.Result(1, "ERROR: Access is denied.") : new CommandRunner.Result(0, ""));
        TargetPath receiptAt = TargetPath.of(OperatingSystem.WINDOWS, tmp.resolve("receipt.json").toString());
        InstallPlan plan = new InstallPlan(List.of(
                new InstallStep.SetRegistryDefault("HKCU\\Software\\Chromium\\NativeMessagingHosts\\dev.magnetar.helper", "C:\\a.json"),
                new InstallStep.SetRegistryDefault("HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.magnetar.helper", "C:\\b.json")), receiptAt);

        InstallStepFailedException e = assertThrows(InstallStepFailedException.class, () -> windows.install(plan));

        assertTrue(e.getMessage().contains("Access is denied") && e.getMessage().contains("run the same command again"), e.getMessage());
        assertEquals(List.of(new ReceiptEntry.RegistryKey("HKCU\\Software\\Chromium\\NativeMessagingHosts\\dev.magnetar.helper")),
                windows.readReceipt(receiptAt).entries());
    }
}
