package dev.magnetar.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: write a temporary sibling, fsync it, rename it over the target, fsync
 * the directory. A reader (or a restart after {@code kill -9}) sees either the old or the new
 * content, never a torn mix. Every file that matters (resume data, keystore, ledger, approvals)
 * goes through here; files that only describe the running process skip the fsyncs ({@link #writeForThisRun}).
 */
public final class AtomicFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {}

    /** Atomically replaces {@code target} with {@code content}, readable by anyone the umask allows. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    /** Atomically replaces {@code target} with {@code content}; the file is mode 0600 from birth. */
    public static void writePrivate(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * Replaces {@code target} atomically for readers, without making it durable: no fsync of the file or of
     * its directory. Only for a file that describes the running process alone and is written anew at
     * every start ({@code daemon.json}, the API token): after a crash or a power cut the process it named is
     * gone whatever the file says, and a reader treats an empty or torn file as no daemon. A client polling
     * for the file still sees the old content or the new, never a mix (the rename is atomic). The fsyncs were
     * on the daemon's path to its announcement: 4 of them, 1.5–16 ms each on this machine's disk with a
     * 445 ms outlier (bench/README.md, "Start-up, session 18").
     */
    public static void writeForThisRun(Path target, byte[] content, boolean ownerOnly) throws IOException {
        write(target, content, ownerOnly, false);
    }

    private static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
        write(target, content, ownerOnly, true);
    }

    private static void write(Path target, byte[] content, boolean ownerOnly, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // A StringBuilder, not `+`: the daemon writes its token and daemon.json through here before its API answers, and a
        // first indy string concatenation of a shape spins LambdaForm classes at run time that no JDK 17 class archive
        // holds (bench/README.md, start-up, sessions 18-20).
        Path temp = dir.resolve(new StringBuilder(".").append(target.getFileName()).append(".tmp-")
                .append(Long.toHexString(ThreadLocalRandom.current().nextLong())).toString());
        try {
            createTemp(temp, ownerOnly);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (durable) {
                fsyncDirectory(dir);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void createTemp(Path temp, boolean ownerOnly) throws IOException {
        if (ownerOnly && supportsPosix(temp)) {
            // Created 0600 from the start, so the secret is never readable by others, not even briefly.
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createFile(temp, attr);
            Files.setPosixFilePermissions(temp, OWNER_ONLY); // the umask may have narrowed or widened it
        } else {
            try {
                Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("temporary file collision at " + temp, e);
            }
        }
    }

    private static boolean supportsPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Makes the rename itself durable; a no-op where the platform cannot open directories. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; NTFS journals the rename itself.
        }
    }
}
