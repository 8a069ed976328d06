package dev.magnetar.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.util.JvmFlags;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure planner for every OS × browser: locations, manifest content, registry commands, launchers. */
class InstallPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "chrome-extension://ighcbjpaekabdiphmkfgookimbgnoogf/";

    static final TargetPath LINUX_HOME = TargetPath.of(OperatingSystem.LINUX, "/home/ann");
    static final TargetPath MAC_HOME = TargetPath.of(OperatingSystem.MACOS, "/Users/ann");
    static final TargetPath WIN_HOME = TargetPath.of(OperatingSystem.WINDOWS, "C:\\Users\\Ann Lee");
    static final Map<String, String> WIN_ENV = Map.of(
            "LOCALAPPDATA", "C:\\Users\\Ann Lee\\AppData\\Local", "APPDATA", "C:\\Users\\Ann Lee\\AppData\\Roaming");

    static InstallRequest request(OperatingSystem os, Set<Browser> browsers, boolean autostart) {
        PlatformDirectories dirs = switch (os) {
            case LINUX -> new PlatformDirectories(os, LINUX_HOME, Map.of());
            case MACOS -> new PlatformDirectories(os, MAC_HOME, Map.of());
            case WINDOWS -> new PlatformDirectories(os, WIN_HOME, WIN_ENV);
        };
        TargetPath java = switch (os) {
            case LINUX -> TargetPath.of(os, "/usr/lib/jvm/java-17/bin/java");
            case MACOS -> TargetPath.of(os, "/Library/Java/JavaVirtualMachines/jdk-17.jdk/Contents/Home/bin/java");
            case WINDOWS -> TargetPath.of(os, "C:\\Program Files\\Java\\jdk-17\\bin\\java.exe");
        };
        TargetPath jar = os == OperatingSystem.WINDOWS ? TargetPath.of(os, "C:\\src\\magnetar.jar") : TargetPath.of(os, "/src/magnetar.jar");
        return new InstallRequest(dirs, InstallLayout.defaultFor(dirs), browsers, autostart, java, jar, HostIdentity.MAGNETAR);
    }

    static Stream<Arguments> unixManifestLocations() {
        return Stream.of(
                Arguments.of(OperatingSystem.LINUX, Browser.CHROME, "/home/ann/.config/google-chrome/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.LINUX, Browser.CHROMIUM, "/home/ann/.config/chromium/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.LINUX, Browser.EDGE, "/home/ann/.config/microsoft-edge/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.LINUX, Browser.BRAVE, "/home/ann/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.LINUX, Browser.VIVALDI, "/home/ann/.config/vivaldi/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.LINUX, Browser.FIREFOX, "/home/ann/.mozilla/native-messaging-hosts"),
                Arguments.of(OperatingSystem.MACOS, Browser.CHROME, "/Users/ann/Library/Application Support/Google/Chrome/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.MACOS, Browser.CHROMIUM, "/Users/ann/Library/Application Support/Chromium/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.MACOS, Browser.EDGE, "/Users/ann/Library/Application Support/Microsoft Edge/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.MACOS, Browser.BRAVE,
                        "/Users/ann/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.MACOS, Browser.VIVALDI, "/Users/ann/Library/Application Support/Vivaldi/NativeMessagingHosts"),
                Arguments.of(OperatingSystem.MACOS, Browser.FIREFOX, "/Users/ann/Library/Application Support/Mozilla/NativeMessagingHosts"));
    }

    @Test
    void linksTheMagnetarCommandIntoTheUsersBinFolderOnLinuxAndMacos() {
        InstallPlan linux = new InstallPlanner().plan(request(OperatingSystem.LINUX, Set.of(Browser.CHROMIUM), false));
        InstallStep.CreateSymlink link = new InstallStep.CreateSymlink(TargetPath.of(OperatingSystem.LINUX, "/home/ann/.local/bin/magnetar"),
                "/home/ann/.local/share/magnetar/app/bin/magnetar", "magnetar on PATH");
        assertTrue(linux.steps().contains(link), linux.describe().toString());
        assertTrue(linux.steps().indexOf(new InstallStep.CreateDirectory(TargetPath.of(OperatingSystem.LINUX, "/home/ann/.local/bin")))
                < linux.steps().indexOf(link));
        InstallPlan mac = new InstallPlanner().plan(request(OperatingSystem.MACOS, Set.of(Browser.CHROME), false));
        assertTrue(mac.steps().stream().anyMatch(s -> s instanceof InstallStep.CreateSymlink l && l.link().value().equals("/Users/ann/.local/bin/magnetar")));
        InstallPlan windows = new InstallPlanner().plan(request(OperatingSystem.WINDOWS, Set.of(Browser.CHROME), false));
        assertTrue(windows.steps().stream().noneMatch(s -> s instanceof InstallStep.CreateSymlink), "no links on Windows");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unixManifestLocations")
    void writesTheManifestWhereTheBrowserLooksOnLinuxAndMacos(OperatingSystem os, Browser browser, String dir) throws Exception {
        InstallPlan plan = new InstallPlanner().plan(request(os, Set.of(browser), false));
        String prefix = os == OperatingSystem.LINUX ? "/home/ann/.local/share/magnetar/app" : "/Users/ann/Library/Application Support/Magnetar/app";

        List<InstallStep.WriteFile> manifests = manifestWrites(plan);
        assertEquals(1, manifests.size(), plan.describe().toString());
        InstallStep.WriteFile manifest = manifests.get(0);
        assertEquals(dir + "/dev.magnetar.helper.json", manifest.path().value());
        assertEquals(FileMode.REGULAR, manifest.mode());
        assertTrue(plan.steps().contains(new InstallStep.CreateDirectory(TargetPath.of(os, dir))));
        assertTrue(plan.steps().indexOf(new InstallStep.CreateDirectory(TargetPath.of(os, dir))) < plan.steps().indexOf(manifest));

        JsonNode json = JSON.readTree(manifest.content());
        assertManifest(json, browser, prefix + "/bin/magnetar-native-host");
        assertEquals(prefix + "/install-receipt.json", plan.receipt().value());
        assertFalse(plan.steps().stream().anyMatch(s -> s instanceof InstallStep.SetRegistryDefault), "no registry off Windows");
    }

    static Stream<Arguments> windowsRegistryKeys() {
        return Stream.of(
                Arguments.of(Browser.CHROME, List.of("HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.magnetar.helper")),
                Arguments.of(Browser.CHROMIUM, List.of("HKCU\\Software\\Chromium\\NativeMessagingHosts\\dev.magnetar.helper")),
                Arguments.of(Browser.EDGE, List.of("HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\dev.magnetar.helper")),
                Arguments.of(Browser.BRAVE, List.of("HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.magnetar.helper")),
                Arguments.of(Browser.VIVALDI, List.of("HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.magnetar.helper")),
                Arguments.of(Browser.FIREFOX, List.of("HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.magnetar.helper")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windowsRegistryKeys")
    void registersTheManifestPathUnderHkcuOnWindows(Browser browser, List<String> keys) throws Exception {
        InstallPlan plan = new InstallPlanner().plan(request(OperatingSystem.WINDOWS, Set.of(browser), false));
        String prefix = "C:\\Users\\Ann Lee\\AppData\\Local\\Magnetar\\app";
        String family = browser == Browser.FIREFOX ? "firefox" : "chromium";
        String manifestPath = prefix + "\\native-messaging-hosts\\" + family + "\\dev.magnetar.helper.json";

        List<InstallStep.SetRegistryDefault> registry = plan.steps().stream()
                .filter(s -> s instanceof InstallStep.SetRegistryDefault).map(s -> (InstallStep.SetRegistryDefault) s).toList();
        assertEquals(keys, registry.stream().map(InstallStep.SetRegistryDefault::key).toList());
        for (InstallStep.SetRegistryDefault r : registry) {
            assertEquals(List.of("reg", "add", r.key(), "/ve", "/t", "REG_SZ", "/d", manifestPath, "/f"), r.command());
        }

        List<InstallStep.WriteFile> manifests = manifestWrites(plan);
        assertEquals(1, manifests.size());
        assertEquals(manifestPath, manifests.get(0).path().value());
        assertManifest(JSON.readTree(manifests.get(0).content()), browser, prefix + "\\bin\\magnetar-native-host.cmd");
        assertEquals(prefix + "\\install-receipt.json", plan.receipt().value());
    }

    @Test
    void windowsWritesOneManifestPerFamilyAndEachSharedKeyOnce() {
        InstallPlan plan = new InstallPlanner().plan(request(OperatingSystem.WINDOWS, EnumSet.allOf(Browser.class), false));
        List<String> keys = plan.steps().stream()
                .filter(s -> s instanceof InstallStep.SetRegistryDefault).map(s -> ((InstallStep.SetRegistryDefault) s).key()).toList();
        assertEquals(List.of(
                "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.magnetar.helper",
                "HKCU\\Software\\Chromium\\NativeMessagingHosts\\dev.magnetar.helper",
                "HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\dev.magnetar.helper",
                "HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.magnetar.helper"), keys);
        assertEquals(2, manifestWrites(plan).size());
    }

    @Test
    void launchersRunTheInstallersJavaOnTheInstalledJarAsNativeHost() {
        InstallPlan linux = new InstallPlanner().plan(request(OperatingSystem.LINUX, Set.of(Browser.CHROMIUM), false));
        InstallStep.WriteFile host = write(linux, "/home/ann/.local/share/magnetar/app/bin/magnetar-native-host");
        assertEquals(FileMode.EXECUTABLE, host.mode());
        assertTrue(host.content().startsWith("#!/bin/sh\n"));
        assertTrue(host.content().contains(
                "exec '/usr/lib/jvm/java-17/bin/java' -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1"
                + " '-XX:SharedArchiveFile=/home/ann/.local/share/magnetar/app/native-host.jsa' -Xlog:disable -Xlog:all=warning:stderr"
                + " -jar '/home/ann/.local/share/magnetar/app/magnetar.jar' native-host \"$@\"\n"),
                host.content());
        // The archive the launcher maps is written by a run of the installed jar, after the jar is in place.
        InstallStep.CreateClassArchive archive = new InstallStep.CreateClassArchive(
                TargetPath.of(OperatingSystem.LINUX, "/home/ann/.local/share/magnetar/app/native-host.jsa"),
                TargetPath.of(OperatingSystem.LINUX, "/usr/lib/jvm/java-17/bin/java"),
                TargetPath.of(OperatingSystem.LINUX, "/home/ann/.local/share/magnetar/app/magnetar.jar"), JvmFlags.NATIVE_HOST,
                List.of("native-host", "chrome-extension://ighcbjpaekabdiphmkfgookimbgnoogf/"), "native host class archive");
        assertTrue(linux.steps().indexOf(archive) > linux.steps().stream().filter(s -> s instanceof InstallStep.CopyFile)
                .map(linux.steps()::indexOf).findFirst().orElseThrow(), linux.describe().toString());
        assertTrue(host.content().contains("MAGNETAR_HOST_LOG"));
        InstallStep.WriteFile cli = write(linux, "/home/ann/.local/share/magnetar/app/bin/magnetar");
        assertTrue(cli.content().endsWith("exec '/usr/lib/jvm/java-17/bin/java' " + String.join(" ", JvmFlags.HELPER)
                + " ${MAGNETAR_CLASS_ARCHIVE_FLAG:+\"$MAGNETAR_CLASS_ARCHIVE_FLAG\"} -Xlog:disable -Xlog:all=warning:stderr"
                + " -jar '/home/ann/.local/share/magnetar/app/magnetar.jar' \"$@\"\n"), cli.content());
        assertTrue(linux.steps().contains(new InstallStep.CopyFile(TargetPath.of(OperatingSystem.LINUX, "/src/magnetar.jar"),
                TargetPath.of(OperatingSystem.LINUX, "/home/ann/.local/share/magnetar/app/magnetar.jar"), FileMode.REGULAR, "helper jar")));

        InstallPlan windows = new InstallPlanner().plan(request(OperatingSystem.WINDOWS, Set.of(Browser.EDGE), false));
        InstallStep.WriteFile cmd = write(windows, "C:\\Users\\Ann Lee\\AppData\\Local\\Magnetar\\app\\bin\\magnetar-native-host.cmd");
        assertTrue(cmd.content().startsWith("@echo off\r\n"), "stdout is the message channel: no echo");
        assertTrue(cmd.content().contains("\"C:\\Program Files\\Java\\jdk-17\\bin\\java.exe\" "
                + String.join(" ", JvmFlags.NATIVE_HOST)
                + " \"-XX:SharedArchiveFile=C:\\Users\\Ann Lee\\AppData\\Local\\Magnetar\\app\\native-host.jsa\""
                + " -Xlog:disable -Xlog:all=warning:stderr -jar "
                + "\"C:\\Users\\Ann Lee\\AppData\\Local\\Magnetar\\app\\magnetar.jar\" native-host %*\r\n"), cmd.content());
        assertFalse(cmd.content().replace("\r\n", "").contains("\n"), "cmd files use CRLF line ends");
    }

    @Test
    void shellQuotingSurvivesQuotesAndSpacesInPaths() {
        assertEquals("'/home/o'\\''brien/My Apps/magnetar.jar'", LauncherScripts.shQuote("/home/o'brien/My Apps/magnetar.jar"));
        assertEquals("\"C:\\100%%\\j.exe\"", LauncherScripts.cmdQuote(TargetPath.of(OperatingSystem.WINDOWS, "C:\\100%\\j.exe")));
    }

    @Test
    void autostartIsOffByDefaultAndPlansAUnitAnAgentOrARunValue() {
        for (OperatingSystem os : OperatingSystem.values()) {
            InstallPlan plain = new InstallPlanner().plan(request(os, Set.of(Browser.FIREFOX), false));
            assertTrue(plain.steps().stream().noneMatch(s -> s.describe().contains("systemd") || s.describe().contains("launchd")
                    || s.describe().contains("CurrentVersion\\Run")), os + ": " + plain.describe());
        }

        InstallPlan linux = new InstallPlanner().plan(request(OperatingSystem.LINUX, Set.of(Browser.FIREFOX), true));
        InstallStep.WriteFile unit = write(linux, "/home/ann/.config/systemd/user/magnetar.service");
        assertTrue(unit.content().contains("ExecStart=\"/home/ann/.local/share/magnetar/app/bin/magnetar\" daemon\n"), unit.content());
        assertTrue(unit.content().contains("WantedBy=default.target"));
        assertTrue(linux.steps().contains(new InstallStep.CreateSymlink(
                TargetPath.of(OperatingSystem.LINUX, "/home/ann/.config/systemd/user/default.target.wants/magnetar.service"),
                "/home/ann/.config/systemd/user/magnetar.service", "systemd enablement")));

        InstallPlan mac = new InstallPlanner().plan(request(OperatingSystem.MACOS, Set.of(Browser.FIREFOX), true));
        InstallStep.WriteFile agent = write(mac, "/Users/ann/Library/LaunchAgents/dev.magnetar.helper.plist");
        assertTrue(agent.content().contains("<string>/Users/ann/Library/Application Support/Magnetar/app/bin/magnetar</string>\n"
                + "    <string>daemon</string>"), agent.content());
        assertTrue(agent.content().contains("<key>RunAtLoad</key>\n  <true/>"));

        InstallPlan windows = new InstallPlanner().plan(request(OperatingSystem.WINDOWS, Set.of(Browser.FIREFOX), true));
        InstallStep.SetRegistryValue run = windows.steps().stream().filter(s -> s instanceof InstallStep.SetRegistryValue)
                .map(s -> (InstallStep.SetRegistryValue) s).findFirst().orElseThrow();
        String flags = " " + String.join(" ", JvmFlags.HELPER);
        assertEquals("\"C:\\Program Files\\Java\\jdk-17\\bin\\javaw.exe\"" + flags
                + " -jar \"C:\\Users\\Ann Lee\\AppData\\Local\\Magnetar\\app\\magnetar.jar\" daemon", run.data());
        assertEquals(List.of("reg", "add", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "/v", "Magnetar", "/t", "REG_SZ", "/d",
                "\\\"C:\\Program Files\\Java\\jdk-17\\bin\\javaw.exe\\\"" + flags + " -jar \\\"C:\\Users\\Ann Lee\\AppData\\Local\\Magnetar\\app\\magnetar.jar\\\" daemon",
                "/f"), run.command());
    }

    @Test
    void uninstallPlanIsTheExactInverseOfTheReceipt() {
        OperatingSystem os = OperatingSystem.WINDOWS;
        TargetPath prefix = TargetPath.of(os, "C:\\Users\\Ann Lee\\AppData\\Local\\Magnetar\\app");
        List<ReceiptEntry> entries = List.of(
                new ReceiptEntry.Directory(prefix.parent()),
                new ReceiptEntry.Directory(prefix),
                new ReceiptEntry.File(prefix.resolve("magnetar.jar")),
                new ReceiptEntry.RegistryKey("HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.magnetar.helper"),
                new ReceiptEntry.RegistryValue(AutostartFiles.WINDOWS_RUN_KEY, "Magnetar"));
        InstallReceipt receipt = new InstallReceipt(os, prefix.resolve("install-receipt.json"), entries);

        InstallPlan plan = new InstallPlanner().planUninstall(receipt);

        assertEquals(List.of(
                new InstallStep.DeleteRegistryValue(AutostartFiles.WINDOWS_RUN_KEY, "Magnetar"),
                new InstallStep.DeleteRegistryKey("HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.magnetar.helper"),
                new InstallStep.DeleteFile(prefix.resolve("magnetar.jar")),
                new InstallStep.DeleteFile(prefix.resolve("install-receipt.json")),
                new InstallStep.DeleteDirectoryIfEmpty(prefix),
                new InstallStep.DeleteDirectoryIfEmpty(prefix.parent())), plan.steps());
        assertEquals(List.of("reg", "delete", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "/v", "Magnetar", "/f"),
                ((InstallStep.DeleteRegistryValue) plan.steps().get(0)).command());
        assertEquals(List.of("reg", "delete", "HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.magnetar.helper", "/f"),
                ((InstallStep.DeleteRegistryKey) plan.steps().get(1)).command());
    }

    @Test
    void samePlanTwiceIsEqual() {
        Set<Browser> all = EnumSet.allOf(Browser.class);
        for (OperatingSystem os : OperatingSystem.values()) {
            assertEquals(new InstallPlanner().plan(request(os, all, true)), new InstallPlanner().plan(request(os, all, true)));
        }
    }

    @Test
    void linuxHonoursXdgDirectories() {
        PlatformDirectories dirs = new PlatformDirectories(OperatingSystem.LINUX, LINUX_HOME,
                Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_DATA_HOME", "/data", "LOCALAPPDATA", "ignored"));
        InstallRequest r = new InstallRequest(dirs, InstallLayout.defaultFor(dirs), Set.of(Browser.CHROME, Browser.FIREFOX), false,
                TargetPath.of(OperatingSystem.LINUX, "/j/bin/java"), TargetPath.of(OperatingSystem.LINUX, "/m.jar"), HostIdentity.MAGNETAR);
        List<String> manifests = manifestWrites(new InstallPlanner().plan(r)).stream().map(w -> w.path().value()).toList();
        assertEquals(List.of("/cfg/google-chrome/NativeMessagingHosts/dev.magnetar.helper.json",
                "/home/ann/.mozilla/native-messaging-hosts/dev.magnetar.helper.json"), manifests);
        assertEquals("/data/magnetar/app", r.layout().prefix().value());
    }

    private static void assertManifest(JsonNode json, Browser browser, String launcher) {
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        String allowField = browser == Browser.FIREFOX ? "allowed_extensions" : "allowed_origins";
        assertEquals(List.of("name", "description", "path", "type", allowField), fields);
        assertEquals("dev.magnetar.helper", json.get("name").asText());
        assertEquals(launcher, json.get("path").asText());
        assertEquals("stdio", json.get("type").asText());
        assertEquals(1, json.get(allowField).size());
        assertEquals(browser == Browser.FIREFOX ? "magnetar@magnetar.dev" : ORIGIN, json.get(allowField).get(0).asText());
    }

    private static List<InstallStep.WriteFile> manifestWrites(InstallPlan plan) {
        return plan.steps().stream().filter(s -> s instanceof InstallStep.WriteFile w && w.path().fileName().equals("dev.magnetar.helper.json"))
                .map(s -> (InstallStep.WriteFile) s).toList();
    }

    private static InstallStep.WriteFile write(InstallPlan plan, String path) {
        return plan.steps().stream().filter(s -> s instanceof InstallStep.WriteFile w && w.path().value().equals(path))
                .map(s -> (InstallStep.WriteFile) s).findFirst().orElseThrow(() -> new AssertionError(path + " not in " + plan.describe()));
    }
}
