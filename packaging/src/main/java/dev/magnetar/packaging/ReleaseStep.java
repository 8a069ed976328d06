package dev.magnetar.packaging;

import dev.magnetar.installer.TargetPath;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One thing a release build does. Plain data, as the installer's steps are: the planner produces them
 * for any OS without touching the machine (so the Windows and macOS plans are unit-tested on Linux),
 * and {@link ReleaseExecutor} applies them on the build machine itself.
 */
public sealed interface ReleaseStep {

    /** One line for the build log and for tests: what this step does, with exact paths and commands. */
    String describe();

    /** Runs a JDK or packaging tool (jlink, jpackage, dpkg-deb, WiX); a non-zero exit fails the build. */
    record RunTool(List<String> command, String purpose) implements ReleaseStep {
        public RunTool {
            command = List.copyOf(command);
        }

        @Override
        public String describe() {
            return purpose + ": " + String.join(" ", command);
        }
    }

    /** Removes a folder from an earlier build, so nothing stale reaches a package. */
    record DeleteTree(TargetPath dir) implements ReleaseStep {
        @Override
        public String describe() {
            return "delete " + dir;
        }
    }

    record DeleteFile(TargetPath file, String why) implements ReleaseStep {
        @Override
        public String describe() {
            return "delete " + file + " (" + why + ")";
        }
    }

    record CopyFile(TargetPath from, TargetPath to) implements ReleaseStep {
        @Override
        public String describe() {
            return "copy " + from + " to " + to;
        }
    }

    /** Copies a folder with its file modes (an app image's launchers stay executable). */
    record CopyTree(TargetPath from, TargetPath to) implements ReleaseStep {
        @Override
        public String describe() {
            return "copy folder " + from + " to " + to;
        }
    }

    record WriteFile(TargetPath path, byte[] content, boolean executable, String purpose) implements ReleaseStep {
        public static WriteFile text(TargetPath path, String content, boolean executable, String purpose) {
            return new WriteFile(path, content.getBytes(StandardCharsets.UTF_8), executable, purpose);
        }

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }

        @Override
        public String describe() {
            return "write " + purpose + " " + path + (executable ? " (executable)" : "");
        }
    }

    /** The application icon in a system's format, converted from the PNG when the step runs ({@link Icons}). */
    record WriteIcon(TargetPath png, TargetPath target, Icons.Format format) implements ReleaseStep {
        @Override
        public String describe() {
            return "write the " + format + " icon " + target + " from " + png;
        }
    }

    /** A symbolic link in a package tree (dpkg records it like a file, and removes it with the package). */
    record Symlink(TargetPath link, String target, String purpose) implements ReleaseStep {
        @Override
        public String describe() {
            return "link " + purpose + " " + link + " -> " + target;
        }
    }

    /** Debian's control file; its size and shared-library dependencies are measured on the staged tree. */
    record WriteDebianControl(TargetPath file, TargetPath stagedRoot, DebianControl control) implements ReleaseStep {
        @Override
        public String describe() {
            return "write Debian control " + file + " for " + control.packageName() + " " + control.version()
                    + " (Installed-Size and Depends measured on " + stagedRoot + ")";
        }
    }
}
