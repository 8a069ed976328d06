package dev.magnetar.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The macOS installer, planned on Linux: bundle, plist, pkg scripts and the uninstaller. */
class MacPackageTest {

    private static final List<String> LINKS = List.of(
            "/Library/Google/Chrome/NativeMessagingHosts/dev.magnetar.helper.json",
            "/Library/Application Support/Chromium/NativeMessagingHosts/dev.magnetar.helper.json",
            "/Library/Microsoft/Edge/NativeMessagingHosts/dev.magnetar.helper.json",
            "/Library/Application Support/Mozilla/NativeMessagingHosts/dev.magnetar.helper.json",
            "/usr/local/bin/magnetar");

    private final ReleasePlan plan = Requests.plan(Requests.mac());

    private ReleaseStep.WriteFile written(String suffix) {
        return plan.stepsOf(ReleaseStep.WriteFile.class).stream().filter(w -> w.path().value().endsWith(suffix)).findFirst().orElseThrow();
    }

    private static Map<String, String> plist(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        NodeList keys = doc.getElementsByTagName("key");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.getLength(); i++) {
            Element key = (Element) keys.item(i);
            org.w3c.dom.Node value = key.getNextSibling();
            while (!(value instanceof Element)) {
                value = value.getNextSibling();
            }
            out.put(key.getTextContent(), ((Element) value).getTagName().equals("string") ? value.getTextContent() : ((Element) value).getTagName());
        }
        return out;
    }

    @Test
    void theBundleIsABackgroundHelperWithOurIdentifierAndVersion() throws Exception {
        Map<String, String> info = plist(written("/app-resources/Info.plist").content());
        assertEquals("dev.magnetar.helper", info.get("CFBundleIdentifier"));
        assertEquals("Magnetar", info.get("CFBundleExecutable"));
        assertEquals("1.2.3", info.get("CFBundleShortVersionString"));
        assertEquals("true", info.get("LSUIElement"), "no Dock icon for a helper");
        assertEquals("Magnetar.icns", info.get("CFBundleIconFile"));
        assertEquals(Icons.Format.ICNS, plan.stepsOf(ReleaseStep.WriteIcon.class).get(0).format());
    }

    @Test
    void postinstallLinksEverySystemFolderToTheManifestsInsideTheBundle() {
        String postinstall = written("/pkg-resources/postinstall").text();
        for (String link : LINKS) {
            assertTrue(postinstall.contains(" '" + link + "'\n") || postinstall.contains(" " + link + "\n"), link + " in\n" + postinstall);
        }
        assertTrue(postinstall.contains("ln -sfn /Applications/Magnetar.app/Contents/Resources/native-messaging-hosts/firefox/dev.magnetar.helper.json "
                + "'/Library/Application Support/Mozilla/NativeMessagingHosts/dev.magnetar.helper.json'"), postinstall);
        assertTrue(postinstall.contains("-XX:ArchiveClassesAtExit=/Applications/Magnetar.app/Contents/app/native-host.jsa"), postinstall);
    }

    @Test
    void theUninstallerRemovesOnlyOurLinksTheBundleAndTheReceiptNeverTheUsersData() {
        String uninstall = written("/Contents/Resources/uninstall.sh").text();
        for (String link : LINKS) {
            assertTrue(uninstall.contains("[ \"$(readlink '" + link + "' 2>/dev/null)\" = ") || uninstall.contains("[ \"$(readlink " + link + " 2>/dev/null)\" = "),
                    link + " in\n" + uninstall);
        }
        assertTrue(uninstall.contains("rm -rf /Applications/Magnetar.app\n"), uninstall);
        assertTrue(uninstall.contains("pkgutil --forget dev.magnetar.helper"), uninstall);
        assertFalse(uninstall.lines().filter(l -> l.startsWith("rm ")).anyMatch(l -> l.contains("Application Support/Magnetar")), uninstall);
    }

    @Test
    void theHostRunsTheBundledRuntimeAndTheManifestsPointAtIt() throws Exception {
        String launcher = written("/Magnetar.app/Contents/MacOS/magnetar-native-host").text();
        assertTrue(launcher.contains("exec '/Applications/Magnetar.app/Contents/runtime/Contents/Home/bin/java' "), launcher);
        var chromium = new ObjectMapper().readTree(written("/native-messaging-hosts/chromium/dev.magnetar.helper.json").text());
        assertEquals("/Applications/Magnetar.app/Contents/MacOS/magnetar-native-host", chromium.get("path").asText());
    }

    @Test
    void jpackageBuildsTheBundleThenThePkgFromIt() {
        List<List<String>> jpackage = plan.stepsOf(ReleaseStep.RunTool.class).stream().map(ReleaseStep.RunTool::command)
                .filter(c -> c.get(0).endsWith("/jpackage")).toList();
        assertEquals(2, jpackage.size());
        assertEquals("app-image", jpackage.get(0).get(jpackage.get(0).indexOf("--type") + 1));
        assertEquals("dev.magnetar.helper", jpackage.get(0).get(jpackage.get(0).indexOf("--mac-package-identifier") + 1));
        assertEquals("/Users/ci/build/work/app-resources", jpackage.get(0).get(jpackage.get(0).indexOf("--resource-dir") + 1));
        assertEquals("pkg", jpackage.get(1).get(jpackage.get(1).indexOf("--type") + 1));
        assertEquals("/Users/ci/build/out/app-image/Magnetar.app", jpackage.get(1).get(jpackage.get(1).indexOf("--app-image") + 1));
        assertTrue(plan.artifacts().stream().anyMatch(a -> a.value().equals("/Users/ci/build/out/Magnetar-1.2.3.pkg")));
    }
}
