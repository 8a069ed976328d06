package dev.magnetar.nativehost;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The run that makes the daemon's class archive: a daemon in a scratch data folder that stops as soon
 * as it is ready, so that the archive the JVM writes at its exit holds the classes of a start and no
 * more. An archive is mapped whole and, on JVMs that relocate archives (17.0.21 here), every page of it
 * is written at start-up, so each class in it is resident in every later daemon whether that daemon loads
 * it or not: a first daemon that had imported a wallet and added a magnet left a 48 MiB archive, and
 * the daemons mapping it idled at 108–110 MiB against 85–86 MiB with a start-up archive (bench/README.md).
 *
 * <p>While it runs the training daemon holds a lock on {@link #lockFile}; the operating system drops the
 * lock only when the process has ended, after the JVM wrote the archive, so a launcher that can take the
 * lock knows the archive beside it is whole ({@link DaemonClassArchive}).
 */
public final class ClassArchiveTraining {

    /** Set on the training daemon's command line: the lock file it holds until its process ends. */
    public static final String PROPERTY = "magnetar.classArchiveTraining";

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
    static Path lockFile(Path partialArchive) {
        return partialArchive.resolveSibling(partialArchive.getFileName() + ".lock");
    }

    /** The scratch data folder of the training daemon, beside the archives. */
    static Path dataDir(Path archiveDirectory) {
        return archiveDirectory.resolve("archive-training");
    }
}
