package dev.magnetar.packaging;

import dev.magnetar.installer.Browser;
import dev.magnetar.installer.HostIdentity;
import dev.magnetar.installer.LauncherScripts;
import dev.magnetar.installer.NativeHostManifest;
import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The Windows installer (planned here, built on Windows): the app image from jpackage, then an MSI
 * made with the WiX 3 toolset (heat harvests the image, candle and light compile) from our own
 * product source, because jpackage 17 cannot add registry entries to its MSI. The MSI installs per
 * machine into {@code C:\Program Files\Magnetar} (fixed: the host manifests hold absolute paths),
 * registers the host under HKLM for Chrome (also read by Brave and Vivaldi), Chromium, Edge and
 * Firefox, and puts the folder on the system PATH. Windows Installer removes every file, key and the
 * PATH entry on uninstall; the helper's data under {@code %APPDATA%\Magnetar} is not the MSI's.
 * Not planned yet: the native host's class archive (it needs a deferred custom action running the
 * installed java after the files are in place); without it the host starts as from a jar.
 */
public final class WindowsPackage {

    /** Fixed forever: Windows Installer recognises an upgrade of the same product by it. */
    static final UUID UPGRADE_CODE = UUID.nameUUIDFromBytes("dev.magnetar.helper/msi/upgrade-code".getBytes(StandardCharsets.UTF_8));
    static final UUID REGISTRATION_COMPONENT = UUID.nameUUIDFromBytes("dev.magnetar.helper/msi/registration".getBytes(StandardCharsets.UTF_8));

    private final ReleaseRequest request;
    private final TargetPath jdkBin;
    private final InstalledLayout layout = InstalledLayout.defaultFor(OperatingSystem.WINDOWS);
    private final HostIdentity identity = HostIdentity.MAGNETAR;

    public WindowsPackage(ReleaseRequest request, TargetPath jdkBin) {
        this.request = request;
        this.jdkBin = jdkBin;
    }

    public String fileName() {
        return "Magnetar-" + request.version().numeric() + ".msi";
    }

    public List<ReleaseStep> steps(TargetPath input, TargetPath runtime, TargetPath images, TargetPath image) {
        List<ReleaseStep> steps = new ArrayList<>();
        TargetPath icon = request.work("magnetar.ico");
        TargetPath wix = request.work("wix");
        steps.add(new ReleaseStep.WriteIcon(request.iconPng(), icon, Icons.Format.ICO));
        steps.add(new ReleaseStep.RunTool(AppImage.jpackageCommand(OperatingSystem.WINDOWS, jdkBin, request, input, runtime, icon, null, images),
                "jpackage the app image"));
        steps.add(ReleaseStep.WriteFile.text(layout.within(image, layout.nativeHostLauncher()),
                LauncherScripts.nativeHost(OperatingSystem.WINDOWS, layout.java(), layout.jar(), layout.nativeHostArchive()), true,
                "native host launcher"));
        for (Browser.Family family : Browser.Family.values()) {
            steps.add(ReleaseStep.WriteFile.text(layout.within(image, layout.manifest(family, identity)),
                    NativeHostManifest.render(identity, family, layout.nativeHostLauncher()), false,
                    family.name().toLowerCase(Locale.ROOT) + " native messaging manifest"));
        }
        steps.add(ReleaseStep.WriteFile.text(wix.resolve("product.wxs"), productWxs(icon), false, "WiX product source"));
        steps.add(new ReleaseStep.RunTool(List.of("heat.exe", "dir", image.value(), "-nologo", "-cg", "AppFiles", "-dr", "INSTALLDIR",
                "-srd", "-gg", "-sreg", "-scom", "-var", "var.AppDir", "-out", wix.resolve("files.wxs").value()),
                "harvest the app image into WiX components"));
        steps.add(new ReleaseStep.RunTool(List.of("candle.exe", "-nologo", "-arch", "x64", "-dAppDir=" + image.value(),
                "-out", wix.value() + "\\", wix.resolve("product.wxs").value(), wix.resolve("files.wxs").value()), "compile the WiX sources"));
        steps.add(new ReleaseStep.RunTool(List.of("light.exe", "-nologo", "-out", request.outDir().resolve(fileName()).value(),
                wix.resolve("product.wixobj").value(), wix.resolve("files.wixobj").value()), "link the MSI"));
        return steps;
    }

    /** The product: per machine, one feature, the harvested files plus the host registration and PATH. */
    String productWxs(TargetPath icon) {
        StringBuilder keys = new StringBuilder();
        boolean keyPath = true;
        for (SystemHostRegistrations.RegistryParent parent : SystemHostRegistrations.registryParents()) {
            TargetPath manifest = layout.manifest(parent.browser().family(), identity);
            String relative = manifest.value().substring(layout.root().value().length() + 1);
            keys.append("        <RegistryKey Root=\"HKLM\" Key=\"").append(xml(parent.key() + "\\" + identity.hostName()))
                    .append("\" ForceDeleteOnUninstall=\"yes\">\n")
                    .append("          <RegistryValue Type=\"string\" Value=\"[INSTALLDIR]").append(xml(relative)).append("\"")
                    .append(keyPath ? " KeyPath=\"yes\"" : "").append("/>\n")
                    .append("        </RegistryKey>\n");
            keyPath = false;
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!-- Magnetar's MSI, generated by the release build (packaging/WindowsPackage); build it, do not edit it. -->\n"
                + "<Wix xmlns=\"http://schemas.microsoft.com/wix/2006/wi\">\n"
                + "  <Product Id=\"*\" Name=\"Magnetar\" Language=\"1033\" Version=\"" + request.version().numeric() + "\"\n"
                + "           Manufacturer=\"" + AppImage.VENDOR + "\" UpgradeCode=\"{" + UPGRADE_CODE.toString().toUpperCase(Locale.ROOT) + "}\">\n"
                + "    <Package InstallerVersion=\"500\" Compressed=\"yes\" InstallScope=\"perMachine\" Platform=\"x64\"\n"
                + "             Description=\"" + xml(AppImage.DESCRIPTION) + "\"/>\n"
                + "    <MajorUpgrade DowngradeErrorMessage=\"A newer Magnetar is already installed.\"/>\n"
                + "    <MediaTemplate EmbedCab=\"yes\"/>\n"
                + "    <Icon Id=\"MagnetarIcon\" SourceFile=\"" + xml(icon.value()) + "\"/>\n"
                + "    <Property Id=\"ARPPRODUCTICON\" Value=\"MagnetarIcon\"/>\n"
                + "    <Directory Id=\"TARGETDIR\" Name=\"SourceDir\">\n"
                + "      <Directory Id=\"ProgramFiles64Folder\">\n"
                + "        <Directory Id=\"INSTALLDIR\" Name=\"" + layout.root().fileName() + "\"/>\n"
                + "      </Directory>\n"
                + "    </Directory>\n"
                + "    <DirectoryRef Id=\"INSTALLDIR\">\n"
                + "      <Component Id=\"HostRegistration\" Guid=\"{" + REGISTRATION_COMPONENT.toString().toUpperCase(Locale.ROOT)
                + "}\" Win64=\"yes\">\n"
                + keys
                + "        <Environment Id=\"MagnetarOnPath\" Name=\"PATH\" Value=\"[INSTALLDIR]\" Part=\"last\" Action=\"set\"\n"
                + "                     System=\"yes\" Permanent=\"no\"/>\n"
                + "      </Component>\n"
                + "    </DirectoryRef>\n"
                + "    <Feature Id=\"Main\" Title=\"Magnetar\" Level=\"1\">\n"
                + "      <ComponentGroupRef Id=\"AppFiles\"/>\n"
                + "      <ComponentRef Id=\"HostRegistration\"/>\n"
                + "    </Feature>\n"
                + "  </Product>\n"
                + "</Wix>\n";
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
