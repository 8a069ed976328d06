package dev.magnetar.packaging;

import java.util.List;
import java.util.Objects;

/**
 * The fields of a binary package's {@code DEBIAN/control} (Debian Policy 5.3 and 5.6). Installed-Size
 * and Depends are left to the build, which measures them on the staged tree.
 */
public record DebianControl(String packageName, String version, String architecture, String maintainer, String section,
                            String summary, List<String> description) {

    public DebianControl {
        Objects.requireNonNull(packageName, "packageName");
        if (!packageName.matches("[a-z0-9][a-z0-9+.-]+")) {
            throw new IllegalArgumentException("not a Debian package name: " + packageName);
        }
        if (!version.matches("[0-9][A-Za-z0-9.+~]*")) {
            throw new IllegalArgumentException("not a Debian upstream version: " + version);
        }
        description = List.copyOf(description);
    }

    /**
     * @param installedSizeKib the staged files' size in KiB (Policy 5.6.20: an estimate, rounded up)
     * @param depends shared-library packages found on the staged binaries, already sorted
     */
    public String render(long installedSizeKib, List<String> depends) {
        StringBuilder sb = new StringBuilder();
        sb.append("Package: ").append(packageName).append('\n');
        sb.append("Version: ").append(version).append('\n');
        sb.append("Architecture: ").append(architecture).append('\n');
        sb.append("Maintainer: ").append(maintainer).append('\n');
        sb.append("Installed-Size: ").append(installedSizeKib).append('\n');
        if (!depends.isEmpty()) {
            sb.append("Depends: ").append(String.join(", ", depends)).append('\n');
        }
        sb.append("Section: ").append(section).append('\n');
        sb.append("Priority: optional\n");
        sb.append("Description: ").append(summary).append('\n');
        for (String line : description) {
            // Policy 5.6.13: extended description lines start with a space; an empty one is " ."
            sb.append(' ').append(line.isBlank() ? "." : line).append('\n');
        }
        return sb.toString();
    }
}
