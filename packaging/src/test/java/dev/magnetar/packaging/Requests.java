package dev.magnetar.packaging;

import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import dev.magnetar.util.ProductVersion;
import java.util.List;

/** Release requests for each system, with build-machine paths in that system's syntax. */
final class Requests {

    static final List<String> MODULES = List.of("java.base", "java.sql", "jdk.unsupported", "jdk.crypto.ec");
    static final ProductVersion VERSION = new ProductVersion("1.2.3-SNAPSHOT");

    private Requests() {}

    static ReleaseRequest linux() {
        OperatingSystem os = OperatingSystem.LINUX;
        return new ReleaseRequest(os, VERSION, TargetPath.of(os, "/build/helper/target/magnetar.jar"),
                TargetPath.of(os, "/build/extension/src/icons/icon-128.png"), TargetPath.of(os, "/build/work"),
                TargetPath.of(os, "/build/out"), MODULES, "amd64");
    }

    static ReleaseRequest windows() {
        OperatingSystem os = OperatingSystem.WINDOWS;
        return new ReleaseRequest(os, VERSION, TargetPath.of(os, "C:\\build\\helper\\target\\magnetar.jar"),
                TargetPath.of(os, "C:\\build\\extension\\src\\icons\\icon-128.png"), TargetPath.of(os, "C:\\build\\work"),
                TargetPath.of(os, "C:\\build\\out"), MODULES, "amd64");
    }

    static ReleaseRequest mac() {
        OperatingSystem os = OperatingSystem.MACOS;
        return new ReleaseRequest(os, VERSION, TargetPath.of(os, "/Users/ci/build/helper/target/magnetar.jar"),
                TargetPath.of(os, "/Users/ci/build/extension/src/icons/icon-128.png"), TargetPath.of(os, "/Users/ci/build/work"),
                TargetPath.of(os, "/Users/ci/build/out"), MODULES, "aarch64");
    }

    static TargetPath jdkBin(OperatingSystem os) {
        return switch (os) {
            case LINUX -> TargetPath.of(os, "/usr/lib/jvm/java-17/bin");
            case WINDOWS -> TargetPath.of(os, "C:\\jdk-17\\bin");
            case MACOS -> TargetPath.of(os, "/Library/Java/JavaVirtualMachines/jdk-17/Contents/Home/bin");
        };
    }

    static ReleasePlan plan(ReleaseRequest request) {
        return new ReleasePlanner(jdkBin(request.os()), TargetPath.of(request.os(), "/usr/bin/dpkg-deb")).plan(request);
    }
}
