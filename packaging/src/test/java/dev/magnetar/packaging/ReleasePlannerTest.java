package dev.magnetar.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleasePlannerTest {

    @Test
    void linuxRunsJlinkThenJpackageThenDpkgDebAfterCleaningEarlierBuilds() {
        ReleasePlan plan = Requests.plan(Requests.linux());
        assertEquals(new ReleaseStep.DeleteTree(TargetPath.of(OperatingSystem.LINUX, "/build/work")), plan.steps().get(0));
        List<String> tools = plan.stepsOf(ReleaseStep.RunTool.class).stream().map(t -> t.command().get(0)).toList();
        assertEquals(List.of("/usr/lib/jvm/java-17/bin/jlink", "/usr/lib/jvm/java-17/bin/jpackage", "/usr/bin/dpkg-deb"), tools);
        List<String> jpackage = plan.stepsOf(ReleaseStep.RunTool.class).get(1).command();
        assertEquals("/build/work/runtime", jpackage.get(jpackage.indexOf("--runtime-image") + 1), "the jlink runtime, not jpackage's own");
        assertEquals("dev.magnetar.cli.Main", jpackage.get(jpackage.indexOf("--main-class") + 1));
        assertTrue(plan.stepsOf(ReleaseStep.DeleteFile.class).stream()
                .anyMatch(d -> d.file().value().equals("/build/work/runtime/lib/server/classes_nocoops.jsa")));
    }

    @Test
    void aPlanForOneSystemCannotUseAnotherSystemsJdk() {
        ReleasePlanner planner = new ReleasePlanner(Requests.jdkBin(OperatingSystem.LINUX), TargetPath.of(OperatingSystem.LINUX, "/usr/bin/dpkg-deb"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> planner.plan(Requests.windows()));
        assertTrue(e.getMessage().contains("WINDOWS"), e.getMessage());
    }

    @Test
    void aRequestWithoutModulesOrWithPathsOfAnotherSystemIsRefused() {
        ReleaseRequest linux = Requests.linux();
        assertThrows(IllegalArgumentException.class, () -> new ReleaseRequest(linux.os(), linux.version(), linux.jar(), linux.iconPng(),
                linux.workDir(), linux.outDir(), List.of(), "amd64"));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseRequest(OperatingSystem.WINDOWS, linux.version(), linux.jar(),
                linux.iconPng(), linux.workDir(), linux.outDir(), Requests.MODULES, "amd64"));
    }

    @Test
    void everyStepDescribesItselfForTheBuildLog() {
        for (ReleaseRequest r : List.of(Requests.linux(), Requests.windows(), Requests.mac())) {
            assertTrue(Requests.plan(r).describe().stream().allMatch(line -> !line.isBlank()));
        }
    }
}
