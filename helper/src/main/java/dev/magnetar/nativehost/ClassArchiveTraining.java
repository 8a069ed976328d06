package dev.magnetar.nativehost;

import dev.magnetar.util.JvmFlags;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The run that makes the daemon's class archive: a daemon in a scratch data folder that stops as soon
 * as it is ready, so that the archive made from the classes it loaded holds those of a start and no
 * more. An archive is mapped whole and, on JVMs that relocate archives (17.0.21 here), every page of it
 * is written at start-up, so each class in it is resident in every later daemon whether that daemon loads
 * it or not: a first daemon that had imported a wallet and added a magnet left a 48 MiB archive, and
 * the daemons mapping it idled at 108–110 MiB against 85–86 MiB with a start-up archive (bench/README.md).
 *
 * <p>The archive is one static archive (JEP 310: {@code -Xshare:dump} from the list of classes the training
 * daemon loaded, {@link #dumpArchive}), not a dynamic one (JEP 350) on top of the JDK's base archive: a daemon
 * maps one file instead of two. {@code bench/api --startup-only --rt-priority --vs-java-opts} with the static
 * archive made by hand from the same training's list (6 alternating rounds, load 6–8, build c49cf39): API ready
 * 609 → 576 ms, CPU to ready 0.94 → 0.90 s (5 of 6 rounds lower), idle RSS 74.8 → 73.8 MiB (6 of 6); again as the host
 * trains it against a dynamic archive of the same jar (8 rounds, load 11–13): 641 → 595 ms, 1.00 → 0.92 s (6 of 8), 74.8 →
 * 73.6 MiB (8 of 8); bench/README.md.
 *
 * <p>While it runs the training daemon holds a lock on {@link #lockFile}; the operating system drops the
 * lock only when the process has ended, after the archive was written, so a launcher that can take the
 * lock knows the archive beside it is whole ({@link DaemonClassArchive}).
 */
public final class ClassArchiveTraining {

    /** Set on the training daemon's command line: the lock file it holds until its process ends. */
    public static final String PROPERTY = "magnetar.classArchiveTraining";

    private static final String LOCK_SUFFIX = ".lock";

    /** A daemon that has answered its health needs no more than this for a request; bounds a training that hangs. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** Held for the life of the process: released by the operating system at exit, never by us. */
    private static FileChannel heldUntilExit;

    private ClassArchiveTraining() {}

    /** True when this process is a training daemon ({@link #PROPERTY} set). */
    public static boolean isThisProcess() {
        return System.getProperty(PROPERTY) != null;
    }

    /**
     * Takes the training lock for the rest of this process's life. False when another training run holds
     * it: that run makes the archive, and this one should not start a daemon at all.
     */
    public static synchronized boolean holdLockUntilExit() {
        String file = System.getProperty(PROPERTY);
        if (file == null) {
            throw new IllegalStateException("not a training run: -D" + PROPERTY + " is not set");
        }
        try {
            FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return false;
            }
            heldUntilExit = channel;
            return true;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /**
     * Asks the training daemon what a client asks first, the health and the torrent list, so that the
     * API's request path (Jetty's parsing, the security checks, the JSON writers: ~200 classes loaded at
     * the first request) is in the archive too. Over a plain socket: an HTTP client library's classes
     * would be archived as well, and no daemon needs them.
     */
    public static void askLikeAClient(int port, String token) throws IOException {
        for (String path : new String[] {"/api/v1/health", "/api/v1/torrents"}) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
                String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                        + "\r\nConnection: close\r\n\r\n";
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                byte[] answer = socket.getInputStream().readAllBytes(); // until the daemon closes, as asked
                if (!new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) {
                    throw new IOException("the training daemon answered " + path + " with "
                            + new String(answer, 0, Math.min(answer.length, 40), StandardCharsets.US_ASCII));
                }
            }
        }
    }

    /**
     * Ends this training run: dumps the archive its launcher asked for ({@link #partialArchive} of the lock file it
     * holds) from the classes this JVM listed so far ({@link #classList}), with the daemon's own flags and class path,
     * and waits for it — the lock, and so the launcher's wait, lasts until this process exits after it. A failed dump
     * leaves no archive (the daemon starts without one, as before), and the list is deleted either way.
     */
    public static void dumpArchive() throws IOException, InterruptedException {
        Path archive = partialArchive(Path.of(System.getProperty(PROPERTY)));
        Path classList = classList(archive);
        try {
            Process dump = new ProcessBuilder(dumpCommand(archive, System.getProperty("java.class.path"))).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            int exit = dump.waitFor();
            if (exit != 0) {
                Files.deleteIfExists(archive);
                throw new IOException("the class archive's dump exited with " + exit);
            }
        } finally {
            Files.deleteIfExists(classList);
        }
    }

    /**
     * The JVM that dumps {@code partialArchive} from its class list ({@link #classList}) for {@code classPath}: the
     * daemon's flags, so that what the JVM checks an archive against (the GC, compressed pointers) is what the
     * daemon mapping it runs with, and the daemon's class path, the only one the archive is valid for.
     */
    static List<String> dumpCommand(Path partialArchive, String classPath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(DaemonLauncher.javaExecutable());
        cmd.addAll(JvmFlags.HELPER);
        cmd.addAll(JvmFlags.dumpClassArchive(classList(partialArchive).toString(), partialArchive.toString()));
        cmd.add("-cp");
        cmd.add(classPath);
        return cmd;
    }

    /**
     * The JVM flags that make a daemon the training run for {@code archive}: it lists the classes it loads beside the
     * archive ({@link #classList}), holds {@link #lockFile} while it runs, and dumps {@code archive} itself once it has
     * stopped. The native host's training writes a partial archive it moves into place later ({@link DaemonLauncher});
     * the .deb's postinst writes the package's archive directly, so that an installed daemon maps the same one static
     * archive a jar's daemon does, not a dynamic one on top of the runtime's base archive.
     */
    public static List<String> flags(Path archive) {
        List<String> flags = new ArrayList<>(JvmFlags.recordLoadedClasses(classList(archive).toString()));
        flags.add("-D" + PROPERTY + "=" + lockFile(archive));
        return flags;
    }

    /** Where the training daemon's JVM lists the classes it loads, beside the archive to be dumped from it. */
    public static Path classList(Path partialArchive) {
        return partialArchive.resolveSibling(partialArchive.getFileName() + ".classlist");
    }

    /** The archive a training holding {@code lockFile} makes: the inverse of {@link #lockFile}. */
    static Path partialArchive(Path lockFile) {
        String name = lockFile.getFileName().toString();
        if (!name.endsWith(LOCK_SUFFIX)) {
            throw new IllegalArgumentException("not a training's lock file: " + lockFile);
        }
        return lockFile.resolveSibling(name.substring(0, name.length() - LOCK_SUFFIX.length()));
    }

    /** True while a training process holds the lock on {@code lockFile}. */
    static boolean running(Path lockFile) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this very JVM holds it (a test running the training in-process)
        } catch (IOException e) {
            return false; // the folder is unusable: nothing trains there
        }
    }

    /** The lock file of the training that writes {@code partialArchive}. */
    public static Path lockFile(Path partialArchive) {
        return partialArchive.resolveSibling(partialArchive.getFileName() + LOCK_SUFFIX);
    }

    /** The scratch data folder of the training daemon, beside the archives. */
    static Path dataDir(Path archiveDirectory) {
        return archiveDirectory.resolve("archive-training");
    }
}
