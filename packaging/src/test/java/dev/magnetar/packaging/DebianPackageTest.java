package dev.magnetar.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DebianPackageTest {

    private final ReleasePlan plan = Requests.plan(Requests.linux());
    private final DebianPackage deb = new DebianPackage(Requests.linux());

    private ReleaseStep.WriteFile written(String suffix) {
        return plan.stepsOf(ReleaseStep.WriteFile.class).stream().filter(w -> w.path().value().endsWith(suffix)).findFirst().orElseThrow();
    }

    @Test
    void everyBrowserFolderLinksToTheManifestOfItsFamilyInsideTheImage() {
        Map<String, String> links = plan.stepsOf(ReleaseStep.Symlink.class).stream()
                .collect(Collectors.toMap(s -> s.link().value(), ReleaseStep.Symlink::target));
        String chromium = "/opt/magnetar/lib/native-messaging-hosts/chromium/dev.magnetar.helper.json";
        assertEquals(Map.of(
                "/build/work/deb/etc/opt/chrome/native-messaging-hosts/dev.magnetar.helper.json", chromium,
                "/build/work/deb/etc/chromium/native-messaging-hosts/dev.magnetar.helper.json", chromium,
                "/build/work/deb/etc/opt/edge/native-messaging-hosts/dev.magnetar.helper.json", chromium,
                "/build/work/deb/usr/lib/mozilla/native-messaging-hosts/dev.magnetar.helper.json",
                "/opt/magnetar/lib/native-messaging-hosts/firefox/dev.magnetar.helper.json",
                "/build/work/deb/usr/bin/magnetar", "/opt/magnetar/bin/magnetar"), links);
    }

    @Test
    void noRegularFileGoesUnderEtcSoDpkgKeepsNoConffileAfterRemove() {
        List<String> underEtc = plan.stepsOf(ReleaseStep.WriteFile.class).stream().map(w -> w.path().value())
                .filter(p -> p.startsWith("/build/work/deb/etc/")).toList();
        assertEquals(List.of(), underEtc);
    }

    @Test
    void theManifestsAllowOnlyOurExtensionsAndPointAtTheInstalledLauncher() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode chromium = json.readTree(written("/lib/native-messaging-hosts/chromium/dev.magnetar.helper.json").text());
        JsonNode firefox = json.readTree(written("/lib/native-messaging-hosts/firefox/dev.magnetar.helper.json").text());
        assertEquals("/opt/magnetar/bin/magnetar-native-host", chromium.get("path").asText());
        assertEquals("chrome-extension://ighcbjpaekabdiphmkfgookimbgnoogf/", chromium.get("allowed_origins").get(0).asText());
        assertEquals(1, chromium.get("allowed_origins").size());
        assertEquals("magnetar@magnetar.dev", firefox.get("allowed_extensions").get(0).asText());
        assertEquals("stdio", firefox.get("type").asText());
    }

    @Test
    void theNativeHostLauncherRunsTheBundledJavaWithTheArchiveThatPostinstMakes() {
        ReleaseStep.WriteFile launcher = written("/opt/magnetar/bin/magnetar-native-host");
        assertTrue(launcher.executable());
        String exec = launcher.text().lines().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
        assertTrue(exec.startsWith("exec '/opt/magnetar/lib/runtime/bin/java' "), exec);
        assertTrue(exec.contains("-XX:SharedArchiveFile=/opt/magnetar/lib/app/native-host.jsa"), exec);
        assertTrue(exec.contains("-jar '/opt/magnetar/lib/app/magnetar.jar' native-host \"$@\""), exec);

        String postinst = written("/DEBIAN/postinst").text();
        assertTrue(postinst.contains("/opt/magnetar/lib/runtime/bin/java"), postinst);
        assertTrue(postinst.contains("-XX:ArchiveClassesAtExit=/opt/magnetar/lib/app/native-host.jsa"), postinst);
        assertTrue(postinst.contains("MAGNETAR_HOME=\"$scratch/host\""), "the training run never touches a user's data");
        assertTrue(postinst.contains("if [ \"$1\" = configure ]"), postinst);
        assertTrue(postinst.contains("</dev/null"), "no input: the host exits at once");
        String prerm = written("/DEBIAN/prerm").text();
        assertTrue(prerm.contains("rm -f /opt/magnetar/lib/app/native-host.jsa /opt/magnetar/lib/app/daemon.jsa ;;"), prerm);
        assertTrue(plan.stepsOf(ReleaseStep.WriteFile.class).stream().noneMatch(w -> w.path().value().endsWith("/DEBIAN/postrm")),
                "no postrm: dpkg forgets a removed package only when it has none");
    }

    @Test
    void postinstMakesTheDaemonsArchiveAndTheHostTellsTheDaemonItStartsToMapIt() {
        String exec = written("/opt/magnetar/bin/magnetar-native-host").text().lines().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
        assertTrue(exec.contains(" -Dmagnetar.daemonClassArchive=/opt/magnetar/lib/app/daemon.jsa "), exec);
        String postinst = written("/DEBIAN/postinst").text();
        String run = postinst.lines().filter(l -> l.contains(" daemon --data-dir ")).findFirst().orElseThrow();
        assertTrue(run.startsWith("  if ! MAGNETAR_PEER_BIND=127.0.0.1 timeout -k 10 300 /opt/magnetar/lib/runtime/bin/java -XX:+UseSerialGC"), run);
        // The training run a host starts (ClassArchiveTraining), dumping the package's archive itself: one static archive.
        assertTrue(run.contains(" -XX:DumpLoadedClassList=/opt/magnetar/lib/app/daemon.jsa.classlist "), run);
        assertTrue(run.contains(" -Dmagnetar.classArchiveTraining=/opt/magnetar/lib/app/daemon.jsa.lock "), run);
        assertFalse(postinst.contains("ArchiveClassesAtExit=/opt/magnetar/lib/app/daemon.jsa"), "no dynamic archive for the daemon");
        // The class path the host passes its daemon is its own -jar's: the archive is valid for that one only.
        assertTrue(run.endsWith("-jar /opt/magnetar/lib/app/magnetar.jar daemon --data-dir \"$scratch/daemon\" </dev/null >/dev/null 2>&1; then"), run);
        assertTrue(postinst.contains("\"listenPort\":0,\"devnetPort\":0"), "the training daemon takes free ports");
        assertTrue(postinst.contains(run + "\n    rm -f /opt/magnetar/lib/app/daemon.jsa\n  fi\n"), "a failed training leaves no archive");
        assertTrue(postinst.contains("  rm -f /opt/magnetar/lib/app/daemon.jsa.lock /opt/magnetar/lib/app/daemon.jsa.classlist\n"),
                "the training's lock and class list are not files of the package");
    }

    @Test
    void theControlFileNamesThePackageVersionAndArchitectureAndLeavesSizeAndDependsToTheBuild() {
        DebianControl control = deb.control();
        assertEquals("magnetar_1.2.3~SNAPSHOT_amd64.deb", deb.fileName());
        String text = control.render(98_028, List.of("libc6", "zlib1g"));
        assertTrue(text.startsWith("Package: magnetar\nVersion: 1.2.3~SNAPSHOT\nArchitecture: amd64\n"), text);
        assertTrue(text.contains("\nInstalled-Size: 98028\nDepends: libc6, zlib1g\n"), text);
        assertTrue(text.contains("\n .\n"), "Policy 5.6.13: an empty description line is a space and a dot");
        assertTrue(text.lines().skip(text.lines().takeWhile(l -> !l.startsWith("Description:")).count() + 1).allMatch(l -> l.startsWith(" ")));
        assertFalse(control.render(1, List.of()).contains("Depends:"));
    }

    @Test
    void theDebIsBuiltLastFromTheStagedTreeWithRootOwnership() {
        ReleaseStep.RunTool last = (ReleaseStep.RunTool) plan.steps().get(plan.steps().size() - 1);
        assertEquals(List.of("/usr/bin/dpkg-deb", "--root-owner-group", "-Zxz", "--build", "/build/work/deb",
                "/build/out/magnetar_1.2.3~SNAPSHOT_amd64.deb"), last.command());
        assertTrue(plan.artifacts().stream().anyMatch(a -> a.value().equals("/build/out/magnetar_1.2.3~SNAPSHOT_amd64.deb")));
        assertTrue(plan.artifacts().stream().anyMatch(a -> a.value().equals("/build/out/app-image/magnetar")), "the app image is kept");
    }

    @Test
    void aDebIsOnlyPlannedForLinux() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DebianPackage(Requests.windows()));
        assertTrue(e.getMessage().contains("Linux"), e.getMessage());
    }

    @Test
    void aControlFieldThatDebianWouldRejectIsRefusedWhilePlanning() {
        assertThrows(IllegalArgumentException.class, () -> new DebianControl("Magnetar", "1.0", "amd64", "m", "net", "s", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new DebianControl("magnetar", "1.0-SNAPSHOT", "amd64", "m", "net", "s", List.of()));
    }
}
