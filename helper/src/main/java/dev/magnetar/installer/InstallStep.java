package dev.magnetar.installer;

import dev.magnetar.util.JvmFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * One change an install or uninstall makes. Steps are plain data: the planner produces them without
 * touching the machine, a dry-run prints them, the executor applies them.
 */
public sealed interface InstallStep {

    /** One line for a dry-run or a log: what this step would do, with the exact path or command. */
    String describe();

    /** Creates the directory and any missing parents; only the ones that did not exist go into the receipt. */
    record CreateDirectory(TargetPath dir) implements InstallStep {
        @Override
        public String describe() {
            return "create directory " + dir + " (if missing)";
        }
    }

    /** Writes (or replaces) a text file atomically. */
    record WriteFile(TargetPath path, String content, FileMode mode, String purpose) implements InstallStep {
        @Override
        public String describe() {
            return "write " + purpose + " " + path + " (mode " + mode.posix() + ")";
        }
    }

    /** Copies a file (the helper jar) atomically. */
    record CopyFile(TargetPath source, TargetPath target, FileMode mode, String purpose) implements InstallStep {
        @Override
        public String describe() {
            return "copy " + purpose + " " + source + " to " + target;
        }
    }

    /**
     * Runs the installed jar once, with empty input and a throwaway data folder, so that the JVM
     * writes the classes it loaded to a class-data sharing archive (AppCDS, JEP 350) at exit; the
     * launcher maps it, and the classes need no parsing or verifying at each start. Best effort: if
     * no archive comes out, the launcher starts the plain way (the JVM ignores a missing archive).
     */
    record CreateClassArchive(TargetPath archive, TargetPath java, TargetPath jar, List<String> jvmFlags, List<String> arguments,
                              String purpose) implements InstallStep {
        public CreateClassArchive {
            jvmFlags = List.copyOf(jvmFlags);
            arguments = List.copyOf(arguments);
        }

        /** The training run: {@code java FLAGS -XX:ArchiveClassesAtExit=ARCHIVE -jar JAR ARGUMENTS}. */
        public List<String> command() {
            List<String> cmd = new ArrayList<>();
            cmd.add(java.value());
            cmd.addAll(jvmFlags);
            cmd.addAll(JvmFlags.writeClassArchive(archive.value()));
            cmd.add("-jar");
            cmd.add(jar.value());
            cmd.addAll(arguments);
            return cmd;
        }

        @Override
        public String describe() {
            return "run " + String.join(" ", command()) + " (no input) to write " + purpose + " " + archive;
        }
    }

    /** Creates (or replaces) a symbolic link; {@code systemctl --user enable} does exactly this for a unit. */
    record CreateSymlink(TargetPath link, String target, String purpose) implements InstallStep {
        @Override
        public String describe() {
            return "link " + purpose + " " + link + " -> " + target;
        }
    }

    /** Creates our own registry key and sets its default value (a native messaging host registration). */
    record SetRegistryDefault(String key, String data) implements InstallStep {
        public List<String> command() {
            return RegistryCommands.setDefault(key, data);
        }

        @Override
        public String describe() {
            return "run " + RegistryCommands.display(command());
        }
    }

    /** Sets one named value in a key shared with other programs (the Run key); the key itself is not ours. */
    record SetRegistryValue(String key, String name, String data) implements InstallStep {
        public List<String> command() {
            return RegistryCommands.setValue(key, name, data);
        }

        @Override
        public String describe() {
            return "run " + RegistryCommands.display(command());
        }
    }

    record DeleteFile(TargetPath path) implements InstallStep {
        @Override
        public String describe() {
            return "delete " + path;
        }
    }

    /** Removes a directory the install created, but only when empty: another app may have put files there since. */
    record DeleteDirectoryIfEmpty(TargetPath dir) implements InstallStep {
        @Override
        public String describe() {
            return "remove directory " + dir + " (if empty)";
        }
    }

    record DeleteRegistryKey(String key) implements InstallStep {
        public List<String> command() {
            return RegistryCommands.deleteKey(key);
        }

        @Override
        public String describe() {
            return "run " + RegistryCommands.display(command());
        }
    }

    record DeleteRegistryValue(String key, String name) implements InstallStep {
        public List<String> command() {
            return RegistryCommands.deleteValue(key, name);
        }

        @Override
        public String describe() {
            return "run " + RegistryCommands.display(command());
        }
    }
}
