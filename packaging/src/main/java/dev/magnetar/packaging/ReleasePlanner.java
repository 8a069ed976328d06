package dev.magnetar.packaging;

import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import java.util.ArrayList;
import java.util.List;

/**
 * A release build, step by step, for one system: jlink runtime → jpackage app image → the system's
 * package. Pure, like the installer's planner: Windows and macOS are planned and checked on Linux,
 * where they cannot run (jlink needs the target's own jmods, jpackage its own packaging tools).
 */
public final class ReleasePlanner {

    private final TargetPath jdkBin;
    private final TargetPath dpkgDeb;

    /**
     * @param jdkBin the build machine's JDK {@code bin} folder (jlink, jpackage)
     * @param dpkgDeb Debian's {@code dpkg-deb} (Linux only)
     */
    public ReleasePlanner(TargetPath jdkBin, TargetPath dpkgDeb) {
        this.jdkBin = jdkBin;
        this.dpkgDeb = dpkgDeb;
    }

    public ReleasePlan plan(ReleaseRequest request) {
        OperatingSystem os = request.os();
        if (jdkBin.os() != os) {
            throw new IllegalArgumentException("the JDK at " + jdkBin + " is not on a " + os + " build machine");
        }
        List<ReleaseStep> steps = new ArrayList<>();
        TargetPath runtime = request.work("runtime");
        TargetPath input = request.work("input");
        TargetPath images = request.outDir().resolve("app-image");
        TargetPath image = images.resolve(AppImage.name(os) + (os == OperatingSystem.MACOS ? ".app" : ""));

        steps.add(new ReleaseStep.DeleteTree(request.workDir()));
        steps.add(new ReleaseStep.DeleteTree(images));
        steps.add(new ReleaseStep.RunTool(RuntimeImage.jlinkCommand(jdkBin, request.modules(), runtime),
                "jlink the runtime (" + request.modules().size() + " modules)"));
        steps.add(new ReleaseStep.DeleteFile(RuntimeImage.uncompressedOopsArchive(os, runtime), "only for heaps over 32 GiB"));
        steps.add(new ReleaseStep.CopyFile(request.jar(), input.resolve(InstalledLayout.JAR_NAME)));

        List<TargetPath> artifacts = new ArrayList<>(List.of(image));
        switch (os) {
            case LINUX -> {
                steps.add(new ReleaseStep.RunTool(AppImage.jpackageCommand(os, jdkBin, request, input, runtime, request.iconPng(), null, images),
                        "jpackage the app image"));
                DebianPackage deb = new DebianPackage(request);
                steps.addAll(deb.steps(image, request.work("deb"), dpkgDeb));
                artifacts.add(request.outDir().resolve(deb.fileName()));
            }
            case WINDOWS -> {
                WindowsPackage msi = new WindowsPackage(request, jdkBin);
                steps.addAll(msi.steps(input, runtime, images, image));
                artifacts.add(request.outDir().resolve(msi.fileName()));
            }
            case MACOS -> {
                MacPackage pkg = new MacPackage(request, jdkBin);
                steps.addAll(pkg.steps(input, runtime, images, image));
                artifacts.add(request.outDir().resolve(pkg.fileName()));
            }
        }
        return new ReleasePlan(steps, artifacts);
    }
}
