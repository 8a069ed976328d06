package dev.magnetar.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.util.JvmFlags;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The Windows installer, planned on Linux: commands, icon, launcher, manifests and the WiX source. */
class WindowsPackageTest {

    private final ReleasePlan plan = Requests.plan(Requests.windows());

    private ReleaseStep.WriteFile written(String suffix) {
        return plan.stepsOf(ReleaseStep.WriteFile.class).stream().filter(w -> w.path().value().endsWith(suffix)).findFirst().orElseThrow();
    }

    private Document productWxs() throws Exception {
        return DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(written("\\wix\\product.wxs").content()));
    }

    @Test
    void jpackageMakesAConsoleAppImageWithTheIcoAndTheHelpersJvmFlags() {
        List<String> jpackage = plan.stepsOf(ReleaseStep.RunTool.class).stream().map(ReleaseStep.RunTool::command)
                .filter(c -> c.get(0).equals("C:\\jdk-17\\bin\\jpackage.exe")).findFirst().orElseThrow();
        assertEquals("app-image", jpackage.get(jpackage.indexOf("--type") + 1));
        assertEquals("1.2.3", jpackage.get(jpackage.indexOf("--app-version") + 1), "MSI versions are numbers only");
        assertEquals("C:\\build\\work\\magnetar.ico", jpackage.get(jpackage.indexOf("--icon") + 1));
        assertTrue(jpackage.contains("--win-console"));
        List<String> javaOptions = new ArrayList<>();
        for (int i = 0; i < jpackage.size(); i++) {
            if (jpackage.get(i).equals("--java-options")) {
                javaOptions.add(jpackage.get(i + 1));
            }
        }
        assertEquals(JvmFlags.HELPER, javaOptions);
        ReleaseStep.WriteIcon icon = plan.stepsOf(ReleaseStep.WriteIcon.class).get(0);
        assertEquals(Icons.Format.ICO, icon.format());
        assertEquals("C:\\build\\extension\\src\\icons\\icon-128.png", icon.png().value());
    }

    @Test
    void theHostLauncherAndManifestsUseTheFixedProgramFilesPaths() throws Exception {
        String launcher = written("\\app-image\\magnetar\\magnetar-native-host.cmd").text();
        assertTrue(launcher.contains("\"C:\\Program Files\\Magnetar\\runtime\\bin\\java.exe\""), launcher);
        assertTrue(launcher.contains("-jar \"C:\\Program Files\\Magnetar\\app\\magnetar.jar\" native-host %*"), launcher);
        assertTrue(launcher.contains("\r\n"), "cmd.exe scripts have CRLF line ends");
        JsonNode chromium = new ObjectMapper().readTree(
                written("\\app-image\\magnetar\\native-messaging-hosts\\chromium\\dev.magnetar.helper.json").text());
        assertEquals("C:\\Program Files\\Magnetar\\magnetar-native-host.cmd", chromium.get("path").asText());
    }

    @Test
    void theMsiRegistersTheHostUnderHklmForEachBrowserFamilyAndRemovesItOnUninstall() throws Exception {
        Document wxs = productWxs();
        NodeList keys = wxs.getElementsByTagName("RegistryKey");
        Map<String, String> values = new LinkedHashMap<>();
        int keyPaths = 0;
        for (int i = 0; i < keys.getLength(); i++) {
            Element key = (Element) keys.item(i);
            Element value = (Element) key.getElementsByTagName("RegistryValue").item(0);
            assertEquals("HKLM", key.getAttribute("Root"));
            assertEquals("yes", key.getAttribute("ForceDeleteOnUninstall"));
            values.put(key.getAttribute("Key"), value.getAttribute("Value"));
            keyPaths += value.getAttribute("KeyPath").equals("yes") ? 1 : 0;
        }
        String chromium = "[INSTALLDIR]native-messaging-hosts\\chromium\\dev.magnetar.helper.json";
        assertEquals(Map.of(
                "SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\dev.magnetar.helper", chromium,
                "SOFTWARE\\Chromium\\NativeMessagingHosts\\dev.magnetar.helper", chromium,
                "SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts\\dev.magnetar.helper", chromium,
                "SOFTWARE\\Mozilla\\NativeMessagingHosts\\dev.magnetar.helper",
                "[INSTALLDIR]native-messaging-hosts\\firefox\\dev.magnetar.helper.json"), values);
        assertEquals(1, keyPaths, "a component has exactly one key path");
        Element path = (Element) wxs.getElementsByTagName("Environment").item(0);
        assertEquals("PATH", path.getAttribute("Name"));
        assertEquals("[INSTALLDIR]", path.getAttribute("Value"));
        assertEquals("no", path.getAttribute("Permanent"));
        Element pkg = (Element) wxs.getElementsByTagName("Package").item(0);
        assertEquals("perMachine", pkg.getAttribute("InstallScope"));
        Element dir = (Element) wxs.getElementsByTagName("Directory").item(2);
        assertEquals("INSTALLDIR", dir.getAttribute("Id"));
        assertEquals("Magnetar", dir.getAttribute("Name"));
    }

    @Test
    void theUpgradeCodeNeverChangesBetweenVersions() throws Exception {
        String code = ((Element) productWxs().getElementsByTagName("Product").item(0)).getAttribute("UpgradeCode");
        assertEquals("{" + WindowsPackage.UPGRADE_CODE.toString().toUpperCase(java.util.Locale.ROOT) + "}", code);
        assertEquals("{8B1D8C47-A36D-3C4D-8C77-9E1F9F7D2F02}".length(), code.length());
        ReleaseRequest other = new ReleaseRequest(Requests.windows().os(), new dev.magnetar.util.ProductVersion("9.0.0"),
                Requests.windows().jar(), Requests.windows().iconPng(), Requests.windows().workDir(), Requests.windows().outDir(),
                Requests.MODULES, "amd64");
        String again = new String(Requests.plan(other).stepsOf(ReleaseStep.WriteFile.class).stream()
                .filter(w -> w.path().value().endsWith("product.wxs")).findFirst().orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(again.contains("UpgradeCode=\"" + code + "\""));
    }

    @Test
    void wixHarvestsCompilesAndLinksInThatOrderIntoTheMsi() {
        List<String> tools = plan.stepsOf(ReleaseStep.RunTool.class).stream().map(t -> t.command().get(0)).toList();
        assertEquals(List.of("C:\\jdk-17\\bin\\jlink.exe", "C:\\jdk-17\\bin\\jpackage.exe", "heat.exe", "candle.exe", "light.exe"), tools);
        List<String> light = plan.stepsOf(ReleaseStep.RunTool.class).get(4).command();
        assertEquals("C:\\build\\out\\Magnetar-1.2.3.msi", light.get(light.indexOf("-out") + 1));
        assertTrue(plan.artifacts().stream().anyMatch(a -> a.value().equals("C:\\build\\out\\Magnetar-1.2.3.msi")));
    }
}
