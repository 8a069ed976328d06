package dev.magnetar.packaging;

import dev.magnetar.util.AtomicFiles;
import dev.magnetar.util.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies a release plan on this machine (the build machine of the plan's system). */
public final class ReleaseExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseExecutor.class);
    private static final long TOOL_TIMEOUT_MINUTES = 15;

    public void execute(ReleasePlan plan) throws ReleaseException {
        for (ReleaseStep step : plan.steps()) {
            LOG.info("{}", step.describe());
            try {
                apply(step);
            } catch (IOException e) {
                throw new ReleaseException(step, e.getMessage(), e);
            }
        }
    }

    private void apply(ReleaseStep step) throws IOException, ReleaseException {
        if (step instanceof ReleaseStep.RunTool t) {
            String output = run(t.command(), step);
            if (!output.isBlank()) {
                LOG.info("{}", output.strip());
            }
        } else if (step instanceof ReleaseStep.DeleteTree d) {
            FileTrees.delete(d.dir().toPath());
        } else if (step instanceof ReleaseStep.DeleteFile d) {
            Files.deleteIfExists(d.file().toPath());
        } else if (step instanceof ReleaseStep.CopyFile c) {
            Files.createDirectories(c.to().toPath().getParent());
            Files.copy(c.from().toPath(), c.to().toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } else if (step instanceof ReleaseStep.CopyTree c) {
            copyTree(c.from().toPath(), c.to().toPath());
        } else if (step instanceof ReleaseStep.WriteFile w) {
            Path p = w.path().toPath();
            Files.createDirectories(p.getParent());
            AtomicFiles.write(p, w.content());
            setMode(p, w.executable() ? "rwxr-xr-x" : "rw-r--r--");
        } else if (step instanceof ReleaseStep.WriteIcon i) {
            Path p = i.target().toPath();
            Files.createDirectories(p.getParent());
            AtomicFiles.write(p, Icons.convert(Files.readAllBytes(i.png().toPath()), i.format()));
        } else if (step instanceof ReleaseStep.Symlink s) {
            Path link = s.link().toPath();
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(s.target()));
        } else if (step instanceof ReleaseStep.WriteDebianControl c) {
            writeDebianControl(c);
        }
    }

    /**
     * Installed-Size is the staged files' size in KiB, each rounded up (what dpkg-gencontrol does);
     * Depends are the Debian packages that own the shared libraries the staged ELF files load, as
     * {@code ldd} resolves them on this (Debian) build machine. Also writes {@code md5sums}.
     */
    private void writeDebianControl(ReleaseStep.WriteDebianControl c) throws IOException, ReleaseException {
        Path root = c.stagedRoot().toPath();
        Path debian = c.file().toPath().getParent();
        long kib = 0;
        Set<String> libraries = new TreeSet<>();
        List<String> md5sums = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> all = Files.walk(root)) {
            files = all.filter(p -> !p.startsWith(debian) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path f : files) {
            kib += (Files.size(f) + 1023) / 1024;
            md5sums.add(md5(f) + "  " + root.relativize(f));
            if (isElf(f)) {
                libraries.addAll(sharedLibraries(f, c));
            }
        }
        Set<String> depends = new TreeSet<>();
        for (String lib : libraries) {
            if (!lib.startsWith(root.toString())) {
                depends.add(owningPackage(lib, c));
            }
        }
        Files.createDirectories(debian);
        AtomicFiles.write(debian.resolve("md5sums"), (String.join("\n", md5sums) + "\n").getBytes(StandardCharsets.UTF_8));
        setMode(debian.resolve("md5sums"), "rw-r--r--");
        AtomicFiles.write(c.file().toPath(), c.control().render(kib, List.copyOf(depends)).getBytes(StandardCharsets.UTF_8));
        setMode(c.file().toPath(), "rw-r--r--");
    }

    private static boolean isElf(Path f) throws IOException {
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(f)) {
            return in.read(head) == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        }
    }

    /** The absolute paths ldd resolves; a library ldd cannot find inside the image (libjvm.so) is the image's own. */
    private List<String> sharedLibraries(Path elf, ReleaseStep step) throws IOException, ReleaseException {
        List<String> found = new ArrayList<>();
        for (String line : run(List.of("ldd", elf.toString()), step, true).split("\\R")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("=>") && parts[2].startsWith("/")) {
                found.add(parts[2]);
            }
        }
        return found;
    }

    /**
     * The package owning a library. With Debian 12's merged /usr, ldd names /lib/... while dpkg may
     * have recorded /usr/lib/... (or the reverse), so both spellings and the real path are asked.
     */
    private String owningPackage(String library, ReleaseStep step) throws IOException, ReleaseException {
        Set<String> candidates = new java.util.LinkedHashSet<>();
        for (String p : List.of(library, Path.of(library).toRealPath().toString())) {
            candidates.add(p);
            candidates.add(p.startsWith("/usr/") ? p.substring(4) : "/usr" + p);
        }
        for (String candidate : candidates) {
            for (String line : run(List.of("dpkg-query", "-S", candidate), step, true).split("\\R")) {
                java.util.regex.Matcher m = DPKG_OWNER.matcher(line);
                if (m.matches()) {
                    return m.group(1);
                }
            }
        }
        throw new ReleaseException(step, "no Debian package owns " + library + " (needed by the staged binaries)", null);
    }

    /** A {@code dpkg-query -S} answer: "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6". */
    private static final java.util.regex.Pattern DPKG_OWNER = java.util.regex.Pattern.compile("([a-z0-9][a-z0-9+.-]+)(?::[a-z0-9]+)?(?:, [^:]+)*: /.*");

    private static String md5(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            try (var in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectories(target);
                setMode(target, "rwxr-xr-x");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    // Packages carry plain modes: executable for programs, read-only for the rest.
                    setMode(target, Files.isExecutable(file) ? "rwxr-xr-x" : "rw-r--r--");
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void setMode(Path p, String mode) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        }
    }

    private String run(List<String> command, ReleaseStep step) throws IOException, ReleaseException {
        return run(command, step, false);
    }

    private String run(List<String> command, ReleaseStep step, boolean tolerateFailure) throws IOException, ReleaseException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TOOL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new ReleaseException(step, command.get(0) + " did not finish within " + TOOL_TIMEOUT_MINUTES + " minutes", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new ReleaseException(step, "interrupted", e);
        }
        if (p.exitValue() != 0 && !tolerateFailure) {
            throw new ReleaseException(step, command.get(0) + " exited with " + p.exitValue() + ":\n" + output.strip(), null);
        }
        return output;
    }
}
