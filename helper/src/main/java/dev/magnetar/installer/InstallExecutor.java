package dev.magnetar.installer;

import dev.magnetar.util.AtomicFiles;
import dev.magnetar.util.DataDirectory;
import dev.magnetar.util.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies plans to this machine and keeps the receipt: every file, created folder and registry entry
 * goes into it as soon as it exists, so an interrupted install can still be uninstalled. Files are
 * written through {@link AtomicFiles}; registry changes go through {@code reg.exe}, on Windows only.
 */
public final class InstallExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(InstallExecutor.class);

    private final OperatingSystem os;
    private final CommandRunner registry;

    public InstallExecutor(OperatingSystem os, CommandRunner registry) {
        this.os = os;
        this.registry = registry;
    }

    /** Applies an install plan, merging what it creates into the receipt already on disk (reinstall, upgrade). */
    public InstallReceipt install(InstallPlan plan) throws InstallerException {
        InstallReceipt receipt = readReceiptIfPresent(plan.receipt());
        List<ReceiptEntry> created = new ArrayList<>();
        try {
            for (InstallStep step : plan.steps()) {
                LOG.debug("install step: {}", step.describe());
                created.addAll(apply(step));
            }
        } finally {
            receipt = receipt.plus(created);
            writeReceipt(receipt);
        }
        return receipt;
    }

    /** Undoes exactly the receipt's entries (see {@link InstallPlanner#planUninstall}). */
    public UninstallResult uninstall(InstallReceipt receipt) throws InstallerException {
        InstallPlan plan = new InstallPlanner().planUninstall(receipt);
        InstallReceipt remaining = receipt;
        boolean receiptGone = false;
        List<String> removed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (InstallStep step : plan.steps()) {
            LOG.debug("uninstall step: {}", step.describe());
            if (step instanceof InstallStep.DeleteFile f && f.path().equals(receipt.location())) {
                deleteFile(f, removed, notes);
                receiptGone = true;
                continue;
            }
            undo(step, removed, notes);
            remaining = remaining.without(entryUndoneBy(step));
            if (!receiptGone) {
                writeReceipt(remaining); // a failure at the next step leaves a receipt of exactly what is left
            }
        }
        return new UninstallResult(removed, notes);
    }

    public InstallReceipt readReceipt(TargetPath location) throws InstallerException {
        Path p = location.toPath();
        if (!Files.exists(p)) {
            throw new InstallReceiptException("no install receipt at " + location
                    + ": Magnetar is not installed there (pass the --prefix you installed with)");
        }
        try {
            return InstallReceiptCodec.decode(Files.readString(p, StandardCharsets.UTF_8), location);
        } catch (IOException e) {
            throw new InstallReceiptException("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    private InstallReceipt readReceiptIfPresent(TargetPath location) throws InstallerException {
        return Files.exists(location.toPath()) ? readReceipt(location) : InstallReceipt.empty(os, location);
    }

    private void writeReceipt(InstallReceipt receipt) throws InstallerException {
        if (receipt.entries().isEmpty()) {
            return;
        }
        try {
            AtomicFiles.write(receipt.location().toPath(), InstallReceiptCodec.encode(receipt).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InstallReceiptException("cannot write the install receipt " + receipt.location() + ": " + e.getMessage()
                    + " — without it uninstall cannot know what to remove; fix the cause and run the same command again", e);
        }
    }

    private List<ReceiptEntry> apply(InstallStep step) throws InstallerException {
        try {
            if (step instanceof InstallStep.CreateDirectory c) {
                return createDirectories(c.dir());
            }
            if (step instanceof InstallStep.WriteFile w) {
                writeFile(w.path().toPath(), w.content().getBytes(StandardCharsets.UTF_8), w.mode());
                return List.of(new ReceiptEntry.File(w.path()));
            }
            if (step instanceof InstallStep.CopyFile c) {
                writeFile(c.target().toPath(), Files.readAllBytes(c.source().toPath()), c.mode());
                return List.of(new ReceiptEntry.File(c.target()));
            }
            if (step instanceof InstallStep.CreateClassArchive a) {
                return createClassArchive(a);
            }
            if (step instanceof InstallStep.CreateSymlink s) {
                Path link = s.link().toPath();
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of(s.target()));
                return List.of(new ReceiptEntry.File(s.link()));
            }
            if (step instanceof InstallStep.SetRegistryDefault r) {
                runRegistry(step, r.command());
                return List.of(new ReceiptEntry.RegistryKey(r.key()));
            }
            if (step instanceof InstallStep.SetRegistryValue r) {
                runRegistry(step, r.command());
                return List.of(new ReceiptEntry.RegistryValue(r.key(), r.name()));
            }
        } catch (IOException e) {
            throw new InstallStepFailedException(step, e);
        }
        throw new InstallStepFailedException(step, "an install plan cannot contain this step");
    }

    /**
     * The training run of {@link InstallStep.CreateClassArchive}. Best effort: whatever fails is a
     * warning and leaves no archive (and no receipt entry), since the launcher works without one.
     */
    private List<ReceiptEntry> createClassArchive(InstallStep.CreateClassArchive step) throws IOException {
        Path archive = step.archive().toPath();
        Files.deleteIfExists(archive); // one made for the jar this install replaces would only be rejected
        Path scratch = Files.createTempDirectory("magnetar-class-archive-");
        boolean written = false;
        try {
            // The user's data stays untouched: the run gets a data folder of its own.
            CommandRunner.Result run = CommandRunner.processes(Map.of(DataDirectory.OVERRIDE_ENV, scratch.resolve("data").toString()))
                    .run(step.command());
            written = run.exitCode() == 0 && Files.isRegularFile(archive) && Files.size(archive) > 0;
            if (written) {
                return List.of(new ReceiptEntry.File(step.archive()));
            }
            LOG.warn("could not write {} (exit {}): {}; the helper works without it, it only starts a little slower",
                    step.purpose(), run.exitCode(), lastLine(run.output()));
            return List.of();
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // the install was interrupted, not the archive
            }
            LOG.warn("could not write {}: {}; the helper works without it, it only starts a little slower", step.purpose(), e.getMessage());
            return List.of();
        } finally {
            if (!written) {
                Files.deleteIfExists(archive);
            }
            FileTrees.delete(scratch);
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        return t.isEmpty() ? "no output" : t.substring(t.lastIndexOf('\n') + 1);
    }

    /** Creates missing folders top-down and returns exactly those, so uninstall never removes one that was there before. */
    private List<ReceiptEntry> createDirectories(TargetPath dir) throws IOException {
        Deque<TargetPath> missing = new ArrayDeque<>();
        for (TargetPath d = dir; d != null && !Files.isDirectory(d.toPath()); d = d.parent()) {
            missing.push(d);
        }
        List<ReceiptEntry> created = new ArrayList<>();
        for (TargetPath d : missing) {
            Files.createDirectory(d.toPath());
            created.add(new ReceiptEntry.Directory(d));
        }
        return created;
    }

    private static void writeFile(Path path, byte[] content, FileMode mode) throws IOException {
        AtomicFiles.write(path, content);
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode.posix()));
        }
    }

    private void undo(InstallStep step, List<String> removed, List<String> notes) throws InstallerException {
        try {
            if (step instanceof InstallStep.DeleteFile f) {
                deleteFile(f, removed, notes);
            } else if (step instanceof InstallStep.DeleteDirectoryIfEmpty d) {
                try {
                    if (Files.deleteIfExists(d.dir().toPath())) {
                        removed.add(d.dir().value());
                    } else {
                        notes.add(d.dir() + " was already gone");
                    }
                } catch (DirectoryNotEmptyException e) {
                    notes.add("kept " + d.dir() + ": other files live there now");
                }
            } else if (step instanceof InstallStep.DeleteRegistryKey k) {
                deleteRegistry(step, k.command(), k.key(), removed, notes);
            } else if (step instanceof InstallStep.DeleteRegistryValue v) {
                deleteRegistry(step, v.command(), v.key() + " /v " + v.name(), removed, notes);
            } else {
                throw new InstallStepFailedException(step, "an uninstall plan cannot contain this step");
            }
        } catch (IOException e) {
            throw new InstallStepFailedException(step, e);
        }
    }

    private static void deleteFile(InstallStep.DeleteFile f, List<String> removed, List<String> notes) throws InstallerException {
        try {
            // deleteIfExists removes a symlink itself, never its target.
            if (Files.deleteIfExists(f.path().toPath())) {
                removed.add(f.path().value());
            } else if (!Files.exists(f.path().toPath(), LinkOption.NOFOLLOW_LINKS)) {
                notes.add(f.path() + " was already gone");
            }
        } catch (IOException e) {
            throw new InstallStepFailedException(f, e);
        }
    }

    private void runRegistry(InstallStep step, List<String> argv) throws IOException, InstallerException {
        requireWindows(step);
        CommandRunner.Result result = registry.run(argv);
        if (result.exitCode() != 0) {
            throw new InstallStepFailedException(step, "reg exited with " + result.exitCode() + ": " + result.output());
        }
    }

    private void deleteRegistry(InstallStep step, List<String> argv, String what, List<String> removed, List<String> notes)
            throws IOException, InstallerException {
        requireWindows(step);
        CommandRunner.Result result = registry.run(argv);
        if (result.exitCode() == 0) {
            removed.add(what);
        } else if (result.output().toLowerCase(Locale.ROOT).contains("unable to find")) {
            notes.add(what + " was already gone");
        } else {
            throw new InstallStepFailedException(step, "reg exited with " + result.exitCode() + ": " + result.output());
        }
    }

    private void requireWindows(InstallStep step) throws InstallerException {
        if (os != OperatingSystem.WINDOWS) {
            throw new InstallStepFailedException(step, "registry steps only apply on Windows, this is " + os);
        }
    }

    private static ReceiptEntry entryUndoneBy(InstallStep step) {
        if (step instanceof InstallStep.DeleteFile f) {
            return new ReceiptEntry.File(f.path());
        }
        if (step instanceof InstallStep.DeleteDirectoryIfEmpty d) {
            return new ReceiptEntry.Directory(d.dir());
        }
        if (step instanceof InstallStep.DeleteRegistryKey k) {
            return new ReceiptEntry.RegistryKey(k.key());
        }
        InstallStep.DeleteRegistryValue v = (InstallStep.DeleteRegistryValue) step;
        return new ReceiptEntry.RegistryValue(v.key(), v.name());
    }
}
