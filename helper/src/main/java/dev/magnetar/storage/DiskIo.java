package dev.magnetar.storage;

import dev.magnetar.metainfo.TorrentFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Positional reads and writes of one torrent's files, with a bounded LRU cache of open channels.
 * Every method blocks: call them only from {@link StorageExecutors#disk()}, never from a network
 * thread.
 *
 * <p>Why {@code FileChannel} positional I/O and not memory-mapped files: libtorrent 2.0's mmap disk
 * backend is behind its best-known complaints — resident memory that grows with the torrent size
 * (page cache charged to the process), stalls when the kernel writes back dirty pages, and I/O errors
 * arriving as SIGBUS instead of error codes — and libtorrent 2.1 replaced it with a pread/pwrite
 * backend (libtorrent issues #6667, #6561, PR #7013; see DESIGN.md). Java adds its own reasons: a
 * {@code MappedByteBuffer} cannot be unmapped deterministically, and a full disk surfaces as an
 * {@code InternalError} on a random later access. Plain positional I/O gives bounded memory, a clean
 * {@link java.io.IOException} per call, and lets two threads work on one file at once.
 *
 * <p>Files are created lazily on first write, with their parent directories, and extended to their
 * final size with {@code setLength}, which on Linux/macOS (ftruncate) and NTFS leaves a sparse file:
 * no zero-fill, so adding a 50 GiB torrent costs no I/O up front.
 */
public final class DiskIo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiskIo.class);

    public static final int DEFAULT_MAX_OPEN_FILES = 64;

    /** Largest single write handed to the OS; see {@link #write}. */
    static final int WRITE_CHUNK = 32 * 1024;

    /** Largest single read into a heap buffer handed to the OS; see {@link #read(FileSegment, ByteBuffer)}. */
    static final int READ_CHUNK = 256 * 1024;

    private final Path root;
    private final List<TorrentFile> files;
    private final int maxOpenFiles;
    private final LinkedHashMap<Integer, OpenFile> cache;
    /**
     * Files written through a channel that has since been closed (evicted) without fsync: the next
     * {@link #flush()} reopens and fsyncs them. Syncing at eviction instead would cost one fsync per
     * write when a many-file torrent thrashes the cache.
     */
    private final java.util.Set<Integer> unsyncedClosed = new java.util.HashSet<>();
    /**
     * Files that existed when we opened or {@linkplain #recordExisting recorded} them. One of them
     * gone later was deleted behind our back: it must not be created again, sparse and empty, under
     * pieces counted as verified.
     */
    private final java.util.Set<Integer> existed = new java.util.HashSet<>(); // guarded by this
    private boolean closed;

    public DiskIo(Path downloadDir, List<TorrentFile> files, int maxOpenFiles) {
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("need room for at least one open file");
        }
        this.root = downloadDir.toAbsolutePath().normalize();
        this.files = List.copyOf(files);
        this.maxOpenFiles = maxOpenFiles;
        this.cache = new LinkedHashMap<>(16, 0.75f, true);
    }

    public Path downloadDir() {
        return root;
    }

    /**
     * Where file {@code fileIndex} lives. Metainfo already sanitised every path component; this
     * checks again (defence in depth) that the result cannot leave the download directory.
     */
    public Path pathOf(int fileIndex) throws StorageException {
        Path p = files.get(fileIndex).resolveIn(root).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw StorageException.outsideDownloadDir(p, root);
        }
        return p;
    }

    /**
     * Writes {@code seg.length()} bytes of {@code src} from {@code srcOffset}; pad bytes must be zero and are dropped.
     *
     * <p>A whole piece (often 1–16 MiB) goes to the OS in {@link #WRITE_CHUNK}-sized writes, not one.
     * Why, as far as we can tell (it fits every measurement below; not traced in the kernel): page
     * caches with large folios (Linux XFS since 5.18, ext4 since 6.16) allocate a folio as large as
     * the write. Folios up to order 3 (32 KiB) come from the per-CPU lists of recently freed pages;
     * larger ones from the buddy allocator's free blocks, and on a VM whose balloon reports free pages
     * to the host (virtio-balloon free page reporting, as on this project's CI machines) those are the
     * blocks the host has taken back, so each such folio faults in fresh host memory while the kernel
     * copies into it. Measured with a plain {@code pwrite} loop writing 1 GiB to the page cache on the
     * CI machine kind (Firecracker, kernel 6.18), in several alternating repetitions over two hours:
     * 1 MiB writes cost 2.0–3.1 s of CPU, 256 KiB writes 0.27–2.6 s and 64 KiB writes 0.31–1.5 s,
     * depending on the state of free memory, while 32 KiB writes stayed at 0.40–0.56 s (16 KiB:
     * 0.48–0.64 s, more syscalls). In alternating 1 GiB downloads our system time was 2.7–3.9 s
     * with 256 KiB writes and 1.4–1.6 s with 32 KiB. On bare metal the cost is 32 syscalls per MiB
     * instead of one, roughly 0.1 s per GiB (estimated, not measured). libtorrent writes each 16 KiB
     * block as it arrives.
     */
    public void write(FileSegment seg, byte[] src, int srcOffset) throws StorageException {
        if (seg.padding()) {
            for (int i = srcOffset; i < srcOffset + seg.length(); i++) {
                if (src[i] != 0) {
                    throw new StorageException(StorageException.Reason.BAD_TORRENT,
                            "pad file " + files.get(seg.fileIndex()).displayPath() + " would hold non-zero bytes",
                            "the torrent's piece hashes cover non-zero padding (BEP 47 says zeros); report it to its creator");
                }
            }
            return;
        }
        checkInside(seg);
        Path path = pathOf(seg.fileIndex());
        OpenFile f = acquire(seg.fileIndex(), true);
        try {
            long pos = seg.fileOffset();
            f.dirty = true;
            int end = srcOffset + seg.length();
            for (int off = srcOffset; off < end; off += WRITE_CHUNK) {
                ByteBuffer buf = ByteBuffer.wrap(src, off, Math.min(WRITE_CHUNK, end - off));
                while (buf.hasRemaining()) {
                    pos += f.channel.write(buf, pos);
                }
            }
        } catch (IOException e) {
            throw StorageErrors.from(e, "writing", path, root);
        } finally {
            release(f);
        }
    }

    /** Reads {@code seg.length()} bytes into {@code dst} at {@code dstOffset}; pad bytes read as zeros. */
    public void read(FileSegment seg, byte[] dst, int dstOffset) throws StorageException {
        read(seg, ByteBuffer.wrap(dst, dstOffset, seg.length()));
    }

    /**
     * Reads the segment into {@code dst} from its position on ({@code seg.length()} bytes, which must
     * fit), leaving the position after them. A direct buffer is read into without the JDK's copy
     * through a temporary one.
     *
     * <p>A heap buffer is read {@link #READ_CHUNK} at a time: the JDK copies such a read through a temporary
     * direct buffer as large as the read and caches it on the reading thread until the thread ends
     * ({@code sun.nio.ch.Util}), and our disk threads live as long as the daemon. A check reads whole pieces
     * (up to 16 MiB), so each disk thread kept a piece-sized buffer of native memory for good after a
     * restart's check; now at most one chunk.
     */
    public void read(FileSegment seg, ByteBuffer dst) throws StorageException {
        int end = dst.position() + seg.length();
        if (seg.padding()) {
            while (dst.position() < end) {
                dst.put((byte) 0);
            }
            return;
        }
        checkInside(seg);
        Path path = pathOf(seg.fileIndex());
        OpenFile f = acquire(seg.fileIndex(), false);
        ByteBuffer part = dst.duplicate().limit(dst.isDirect() ? end : Math.min(end, dst.position() + READ_CHUNK));
        try {
            long pos = seg.fileOffset();
            while (part.hasRemaining() || part.limit() < end) {
                if (!part.hasRemaining()) {
                    part.limit(Math.min(end, part.limit() + READ_CHUNK));
                }
                int n = f.channel.read(part, pos);
                if (n < 0) {
                    throw new StorageException(StorageException.Reason.FILE_MISSING,
                            path + " is shorter than the torrent says (" + pos + " bytes)",
                            "recheck the torrent to download the missing part again");
                }
                pos += n;
            }
            dst.position(end);
        } catch (IOException e) {
            throw StorageErrors.from(e, "reading", path, root);
        } finally {
            release(f);
        }
    }

    /** True if the segment's bytes exist on disk (file present and long enough); pads always exist. */
    public boolean holds(FileSegment seg) throws StorageException {
        if (seg.padding()) {
            return true;
        }
        Path path = pathOf(seg.fileIndex());
        try {
            return Files.size(path) >= seg.fileOffset() + seg.length();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw StorageErrors.from(e, "checking", path, root);
        }
    }

    /** Notes that file {@code fileIndex} exists now, if it does: from then on it is never created again. */
    public void recordExisting(int fileIndex) throws StorageException {
        if (Files.exists(pathOf(fileIndex))) {
            synchronized (this) {
                existed.add(fileIndex);
            }
        }
    }

    /** Creates file {@code fileIndex} empty if it does not exist (zero-length files are never written). */
    public void createIfMissing(int fileIndex) throws StorageException {
        Path path = pathOf(fileIndex);
        try {
            Files.createDirectories(path.getParent());
            if (Files.notExists(path)) {
                Files.createFile(path);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // created concurrently: fine
        } catch (IOException e) {
            throw StorageErrors.from(e, "creating", path, root);
        }
    }

    /**
     * Has the next {@link #flush()} sync file {@code fileIndex} even though this instance never wrote
     * it: pages an earlier process (killed in this boot) wrote may still be only in the page cache.
     */
    public synchronized void markUnsynced(int fileIndex) {
        unsyncedClosed.add(fileIndex);
    }

    /**
     * Forces every write made so far to stable storage (fsync). Resume data may claim a piece only
     * after this returned for a write that completed before the call.
     */
    public void flush() throws StorageException {
        List<OpenFile> dirty = new ArrayList<>();
        List<Integer> closedDirty;
        synchronized (this) {
            closedDirty = new ArrayList<>(unsyncedClosed);
            unsyncedClosed.clear();
            for (OpenFile f : cache.values()) {
                if (f.dirty) {
                    f.leases++;
                    dirty.add(f);
                }
            }
        }
        StorageException failure = null;
        for (int i = 0; i < closedDirty.size(); i++) {
            Path path = pathOf(closedDirty.get(i));
            // fsync through a new descriptor flushes the file's pages written through the old one.
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.force(false);
            } catch (IOException e) {
                synchronized (this) {
                    unsyncedClosed.addAll(closedDirty.subList(i, closedDirty.size()));
                }
                if (failure == null) {
                    failure = StorageErrors.from(e, "flushing", path, root);
                }
                break;
            }
        }
        for (OpenFile f : dirty) {
            try {
                f.dirty = false; // a write racing with us sets it again, and the next flush covers it
                f.channel.force(false);
            } catch (IOException e) {
                f.dirty = true;
                if (failure == null) {
                    failure = StorageErrors.from(e, "flushing", f.path, root);
                }
            } finally {
                release(f);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Channels currently open (for tests and diagnostics). */
    public synchronized int openFileCount() {
        return cache.size();
    }

    /** Flushes and closes every channel; later calls fail with {@code CLOSED}. */
    @Override
    public void close() throws StorageException {
        StorageException failure = null;
        try {
            flush();
        } catch (StorageException e) {
            failure = e;
        }
        synchronized (this) {
            closed = true;
            for (Iterator<OpenFile> it = cache.values().iterator(); it.hasNext(); ) {
                OpenFile f = it.next();
                it.remove();
                f.evicted = true;
                if (f.leases == 0) {
                    closeQuietly(f);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void checkInside(FileSegment seg) {
        TorrentFile f = files.get(seg.fileIndex());
        // Layout bugs must never turn into writes past a file's end (into the next file's bytes).
        if (seg.fileOffset() + seg.length() > f.length()) {
            throw new IllegalStateException("segment " + seg + " beyond file of " + f.length() + " bytes");
        }
    }

    private synchronized OpenFile acquire(int fileIndex, boolean writable) throws StorageException {
        if (closed) {
            throw StorageException.closed();
        }
        OpenFile f = cache.get(fileIndex);
        if (f != null && (f.writable || !writable)) {
            f.leases++;
            return f;
        }
        if (f != null) {
            // Opened read-only for seeding or rechecking; reopen for writing.
            cache.remove(fileIndex);
            retire(f);
        }
        Path path = pathOf(fileIndex);
        if (writable && existed.contains(fileIndex) && Files.notExists(path)) {
            // We had this file; creating it again would put an empty file under pieces counted as verified.
            throw new StorageException(StorageException.Reason.FILE_MISSING,
                    path + " was deleted while the torrent was using it",
                    "put the file back, or resume the torrent to check what is left and download the rest again");
        }
        try {
            f = new OpenFile(fileIndex, path, writable ? openForWrite(path, files.get(fileIndex).length())
                    : FileChannel.open(path, StandardOpenOption.READ), writable);
        } catch (IOException e) {
            throw StorageErrors.from(e, writable ? "opening for writing" : "opening", path, root);
        }
        existed.add(fileIndex);
        f.leases = 1;
        cache.put(fileIndex, f);
        while (cache.size() > maxOpenFiles) {
            Iterator<Map.Entry<Integer, OpenFile>> it = cache.entrySet().iterator();
            OpenFile eldest = it.next().getValue();
            it.remove();
            retire(eldest);
        }
        return f;
    }

    private static FileChannel openForWrite(Path path, long finalLength) throws IOException {
        Files.createDirectories(path.getParent());
        RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
        try {
            if (raf.length() < finalLength) {
                raf.setLength(finalLength); // sparse: ftruncate allocates no blocks
            }
            return raf.getChannel(); // closing the channel closes the file
        } catch (IOException e) {
            raf.close();
            throw e;
        }
    }

    private synchronized void release(OpenFile f) {
        f.leases--;
        if (f.evicted && f.leases == 0) {
            closeQuietly(f);
        }
    }

    /** Takes {@code f} out of service; closes it now or when its last user releases it. */
    private void retire(OpenFile f) {
        f.evicted = true;
        if (f.leases == 0) {
            closeQuietly(f);
        }
    }

    /**
     * Closing does not fsync; a dirty file is remembered so the next {@link #flush()} syncs it,
     * otherwise a piece written through an evicted channel could be claimed by resume data without
     * being durable.
     */
    private void closeQuietly(OpenFile f) {
        if (f.dirty) {
            unsyncedClosed.add(f.fileIndex);
        }
        try {
            f.channel.close();
        } catch (IOException e) {
            log.warn("closing {} failed: {}", f.path, e.toString());
        }
    }

    private static final class OpenFile {
        final int fileIndex;
        final Path path;
        final FileChannel channel;
        final boolean writable;
        int leases;
        boolean evicted;
        volatile boolean dirty;

        OpenFile(int fileIndex, Path path, FileChannel channel, boolean writable) {
            this.fileIndex = fileIndex;
            this.path = path;
            this.channel = channel;
            this.writable = writable;
        }
    }
}
