package dev.magnetar.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeImageTest {

    @Test
    void theRuntimeHoldsWhatJdepsReportsPlusTheServiceModulesItCannotSee() {
        String jdeps = "java.base,java.compiler,java.desktop,java.sql,jdk.unsupported\n";
        assertEquals(List.of("java.base", "java.compiler", "java.desktop", "java.sql", "jdk.unsupported", "jdk.crypto.ec"),
                RuntimeImage.modules(jdeps));
    }

    @Test
    void jdepsOutputWithoutAModuleListIsAnErrorNotAnEmptyRuntime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RuntimeImage.modules("Error: magnetar.jar is a multi-release jar file but --multi-release option is not set\n"));
        assertTrue(e.getMessage().contains("java.base"), e.getMessage());
    }

    @Test
    void jlinkKeepsTheBaseClassArchiveAndDropsDebugInfoHeadersAndManPages() {
        TargetPath bin = TargetPath.of(OperatingSystem.LINUX, "/jdk/bin");
        List<String> cmd = RuntimeImage.jlinkCommand(bin, List.of("java.base", "java.sql"), TargetPath.of(OperatingSystem.LINUX, "/w/rt"));
        assertEquals("/jdk/bin/jlink", cmd.get(0));
        assertEquals("java.base,java.sql", cmd.get(cmd.indexOf("--add-modules") + 1));
        assertTrue(cmd.containsAll(List.of("--generate-cds-archive", "--strip-debug", "--no-header-files", "--no-man-pages")), cmd.toString());
        assertEquals("/w/rt", cmd.get(cmd.size() - 1));
        assertEquals("C:\\jdk\\bin\\jlink.exe", RuntimeImage.jlinkCommand(TargetPath.of(OperatingSystem.WINDOWS, "C:\\jdk\\bin"),
                List.of("java.base"), TargetPath.of(OperatingSystem.WINDOWS, "C:\\w\\rt")).get(0));
    }

    @Test
    void theDesktopNativesAreExcludedOneGlobEachInEverySystemsNaming() {
        // jlink splits its pattern list at commas, so a glob must not contain one.
        for (OperatingSystem os : OperatingSystem.values()) {
            for (String glob : RuntimeImage.desktopNativesPattern(os).split(",")) {
                assertTrue(glob.startsWith("glob:") && !glob.contains("{"), glob);
            }
        }
        var linux = List.of(RuntimeImage.desktopNativesPattern(OperatingSystem.LINUX).split(","));
        var xawt = FileSystems.getDefault().getPathMatcher(linux.get(linux.indexOf("glob:**/lib/libawt_xawt.so")));
        assertTrue(xawt.matches(Path.of("/w/rt/lib/libawt_xawt.so")));
        assertTrue(RuntimeImage.desktopNativesPattern(OperatingSystem.WINDOWS).contains("glob:**/bin/awt.dll"));
        assertTrue(RuntimeImage.desktopNativesPattern(OperatingSystem.MACOS).contains("glob:**/lib/libawt_lwawt.dylib"));
    }

    @Test
    void theUncompressedPointerArchiveIsWhereEachSystemKeepsIt() {
        assertEquals("/w/rt/lib/server/classes_nocoops.jsa",
                RuntimeImage.uncompressedOopsArchive(OperatingSystem.LINUX, TargetPath.of(OperatingSystem.LINUX, "/w/rt")).value());
        assertEquals("C:\\w\\rt\\bin\\server\\classes_nocoops.jsa",
                RuntimeImage.uncompressedOopsArchive(OperatingSystem.WINDOWS, TargetPath.of(OperatingSystem.WINDOWS, "C:\\w\\rt")).value());
    }
}
