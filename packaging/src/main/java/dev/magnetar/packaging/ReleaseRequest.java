package dev.magnetar.packaging;

import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import dev.magnetar.util.ProductVersion;
import java.util.List;
import java.util.Objects;

/**
 * What a release build needs, passed in explicitly so that planning is pure: the target system, the
 * version, the helper jar, the icon, scratch and output folders (paths of the build machine), the
 * Java modules the runtime holds and the CPU architecture in the target's own naming.
 *
 * @param modules what {@code jdeps --print-module-deps} reported for the jar ({@link RuntimeImage} adds the ones it cannot see)
 * @param architecture Debian's name on Linux ({@code amd64}, {@code arm64}); informational elsewhere
 */
public record ReleaseRequest(OperatingSystem os, ProductVersion version, TargetPath jar, TargetPath iconPng, TargetPath workDir,
                             TargetPath outDir, List<String> modules, String architecture) {

    public ReleaseRequest {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(version, "version");
        modules = List.copyOf(modules);
        for (TargetPath p : List.of(jar, iconPng, workDir, outDir)) {
            if (p.os() != os) {
                throw new IllegalArgumentException(p + " is not a " + os + " path");
            }
        }
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("no Java modules for the runtime: run jdeps on the jar first");
        }
    }

    public TargetPath work(String... names) {
        return workDir.resolve(names);
    }
}
