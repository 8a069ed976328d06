package dev.magnetar.storage;

import dev.magnetar.metainfo.FileHashes;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent's data on disk: verifies whole pieces against their hashes ({@link PieceVerifier}: SHA-1
 * for BEP 3, SHA-256 merkle trees for BEP 52) before anything is written, stores them into the torrent's files, serves blocks of verified pieces to peers, and keeps
 * resume data so a restart does not rehash. All disk work runs on {@link StorageExecutors#disk()},
 * all hashing on {@link StorageExecutors#hashing()}; every method here returns at once and is safe to
 * call from a Netty event loop — except {@link #open}, which reads the resume file and stats files.
 *
 * <p>Futures fail with a {@link StorageException} (as the direct cause when observed through
 * {@code handle}/{@code exceptionally} of the returned future itself, or wrapped in an
 * {@code ExecutionException}/{@code CompletionException} from {@code get}/dependent stages).
 */
public final class TorrentStorage {

    private static final Logger log = LoggerFactory.getLogger(TorrentStorage.class);

    /** Largest block a peer may request; BEP 3 clients use 16 KiB, and most drop peers asking for more than 128 KiB. */
    public static final int MAX_BLOCK_LENGTH = 128 * 1024;
    public static final int DEFAULT_PRIORITY = 4;
    public static final int MAX_PRIORITY = ResumeDataCodec.MAX_PRIORITY;
    /** Resume data is written at most this often while pieces arrive (and always on close). */
    public static final Duration DEFAULT_RESUME_SAVE_INTERVAL = Duration.ofSeconds(2);
    /**
     * How often a resume save also fsyncs the data (always on close, and this long after a save that left
     * pieces unsynced, so a finished download is synced without waiting for close). Between those, saves claim pieces
     * that are only in the page cache: that survives a killed process, and {@link ResumeData#trustedIn}
     * drops them after a reboot. Syncing every save stalled downloads (hundreds of ms per fsync at
     * loopback speeds); by this age the kernel's own writeback (vm.dirty_expire_centisecs, 30 s by
     * default) has written most pages, so the sync finds little left to do.
     */
    static final Duration DURABLE_SAVE_INTERVAL = Duration.ofSeconds(60);
    /** Pieces read and hashed at once during a recheck: keeps one disk read ahead of each hasher. */
    private static final int RECHECK_PARALLELISM = 3;

    /** How {@link #open} treated the stored resume data. */
    public enum ResumeOutcome {
        /** Resume data matched the files on disk; the verified pieces were restored without hashing. */
        RESUMED(false),
        /** There was none: data that was never ours, or a download whose resume data was lost. */
        NO_RESUME_DATA(true),
        /**
         * There was none and no file of the torrent holds a byte: a new download. Nothing to hash — a
         * recheck would only find every piece missing, one executor hop at a time, before the first request.
         */
        NOTHING_ON_DISK(false),
        /** It did not match the files (mtime changed, other directory): discarded. */
        STALE_RESUME_DATA(true),
        /**
         * A file holding pieces it claims is gone or shorter than the torrent says (deleted, a drive not
         * mounted): discarded, and {@link #missingFiles()} says which. The engine stops there rather
         * than download everything again into an empty folder; a recheck (the user's choice) goes on.
         */
        FILES_MISSING(true),
        /** It could not be read or decoded: discarded with a warning. */
        CORRUPT_RESUME_DATA(true);

        private final boolean needsRecheck;

        ResumeOutcome(boolean needsRecheck) {
            this.needsRecheck = needsRecheck;
        }

        public boolean needsRecheck() {
            return needsRecheck;
        }
    }

    private final TorrentInfo info;
    /** The hash the resume data is kept under: the one the torrent is held by (see {@link #open}). */
    private final InfoHash resumeKey;
    private final PieceLayout layout;
    private final PieceVerifier verifier;
    private final DiskIo disk;
    private final StorageExecutors executors;
    private final ResumeStore resumeStore;
    private final Bitfield verified;
    private final AtomicLong bytesVerified = new AtomicLong();
    private final int[] priorities;
    private final ResumeOutcome resumeOutcome;
    /** For {@link ResumeOutcome#FILES_MISSING}: what is missing, one line per file. */
    private final List<String> missingOnOpen;
    private final ResumeSaveScheduler saveScheduler;
    /** Follows a save that left pieces unsynced, so a download that ends is synced without waiting for close. */
    private final ResumeSaveScheduler durableSaveScheduler;
    private final Duration durableInterval;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final Object saveLock = new Object();
    /** Set by the save on close; later (late-scheduled) saves must not touch the disk. */
    private boolean finalSaveDone;
    /** The verified pieces known to be on stable storage (guarded by saveLock). */
    private Bitfield synced;
    private long lastSyncNanos = System.nanoTime(); // guarded by saveLock
    private final Optional<String> boot = BootSession.current();
    private final AtomicInteger rechecksStarted = new AtomicInteger();
    private final AtomicInteger dataSyncs = new AtomicInteger();
    private volatile boolean closed;
    private CompletableFuture<Void> closing;
    private CompletableFuture<Bitfield> recheck;

    private TorrentStorage(TorrentInfo info, InfoHash resumeKey, DiskIo disk, StorageExecutors executors, ResumeStore resumeStore,
            Bitfield verified, Bitfield synced, int[] priorities, ResumeOutcome outcome, List<String> missingOnOpen,
            Duration saveInterval, Duration durableInterval) {
        this.info = info;
        this.resumeKey = resumeKey;
        this.layout = new PieceLayout(info);
        this.verifier = new PieceVerifier(info);
        this.disk = disk;
        this.executors = executors;
        this.resumeStore = resumeStore;
        this.verified = verified;
        this.synced = synced;
        this.priorities = priorities;
        this.resumeOutcome = outcome;
        this.missingOnOpen = List.copyOf(missingOnOpen);
        for (int i = verified.nextSet(0); i >= 0; i = verified.nextSet(i + 1)) {
            bytesVerified.addAndGet(info.pieceSize(i));
        }
        this.saveScheduler = new ResumeSaveScheduler(executors.timer(), executors.disk(), saveInterval.toMillis(),
                this::saveResumeLogged);
        this.durableInterval = durableInterval;
        this.durableSaveScheduler = new ResumeSaveScheduler(executors.timer(), executors.disk(), durableInterval.toMillis(),
                this::saveResumeLogged);
    }

    /**
     * Opens a torrent's storage under {@code downloadDir}. If {@code resume} holds data for it and
     * every file with verified pieces still has the recorded size and modification time, those
     * pieces count as verified ({@link ResumeOutcome#RESUMED}); otherwise the bitfield starts empty
     * and the caller should {@link #recheck} before downloading (safe over fast). Creates no files.
     *
     * @throws StorageException a file of the torrent would resolve outside {@code downloadDir}
     */
    public static TorrentStorage open(TorrentInfo info, Path downloadDir, StorageExecutors ex, ResumeStore resume)
            throws StorageException {
        return open(info, downloadDir, ex, resume, DEFAULT_RESUME_SAVE_INTERVAL);
    }

    /** Like {@link #open(TorrentInfo, Path, StorageExecutors, ResumeStore)} with another resume save interval. */
    public static TorrentStorage open(TorrentInfo info, Path downloadDir, StorageExecutors ex, ResumeStore resume,
            Duration resumeSaveInterval) throws StorageException {
        return open(info, info.infoHash(), downloadDir, ex, resume, resumeSaveInterval, DURABLE_SAVE_INTERVAL);
    }

    /** Like {@link #open(TorrentInfo, Path, StorageExecutors, ResumeStore, Duration)}, syncing at most every {@code durableInterval}. */
    static TorrentStorage open(TorrentInfo info, Path downloadDir, StorageExecutors ex, ResumeStore resume,
            Duration resumeSaveInterval, Duration durableInterval) throws StorageException {
        return open(info, info.infoHash(), downloadDir, ex, resume, resumeSaveInterval, durableInterval);
    }

    /**
     * Like {@link #open(TorrentInfo, Path, StorageExecutors, ResumeStore)}, the resume data kept under
     * {@code resumeKey}: a hybrid (BEP 52) added by its btmh is held by its truncated SHA-256, not by the
     * SHA-1 its metadata names, and a restart or a removal looks its resume data up by the former.
     */
    public static TorrentStorage open(TorrentInfo info, InfoHash resumeKey, Path downloadDir, StorageExecutors ex,
            ResumeStore resume) throws StorageException {
        return open(info, resumeKey, downloadDir, ex, resume, DEFAULT_RESUME_SAVE_INTERVAL, DURABLE_SAVE_INTERVAL);
    }

    private static TorrentStorage open(TorrentInfo info, InfoHash resumeKey, Path downloadDir, StorageExecutors ex,
            ResumeStore resume, Duration resumeSaveInterval, Duration durableInterval) throws StorageException {
        if (resumeSaveInterval.isNegative() || durableInterval.isNegative()) {
            throw new IllegalArgumentException("negative resume save interval");
        }
        DiskIo disk = new DiskIo(downloadDir, info.files(), DiskIo.DEFAULT_MAX_OPEN_FILES);
        PieceLayout layout = new PieceLayout(info);
        for (int i = 0; i < info.files().size(); i++) {
            disk.pathOf(i); // refuse the whole torrent up front if any path escapes
        }
        int[] priorities = new int[info.files().size()];
        Arrays.fill(priorities, DEFAULT_PRIORITY);
        Bitfield bits = new Bitfield(info.pieceCount());
        Bitfield synced = new Bitfield(info.pieceCount());
        ResumeOutcome outcome;
        List<String> missing = List.of();
        Optional<ResumeData> stored;
        boolean corrupt = false;
        try {
            stored = resume.load(resumeKey);
        } catch (ResumeDataException e) {
            log.warn("Ignoring resume data of {}: {}", info.infoHash(), e.getMessage());
            stored = Optional.empty();
            corrupt = true;
        }
        if (stored.isEmpty()) {
            outcome = corrupt ? ResumeOutcome.CORRUPT_RESUME_DATA
                    : holdsNoByte(info, disk) ? ResumeOutcome.NOTHING_ON_DISK : ResumeOutcome.NO_RESUME_DATA;
        } else {
            ResumeData data = stored.get();
            data.restorePieceLayers(info);
            if (data.priorities().size() == priorities.length) {
                for (int i = 0; i < priorities.length; i++) {
                    priorities[i] = data.priorities().get(i);
                }
            }
            boolean sameShape = data.pieceCount() == info.pieceCount() && data.files().size() == info.files().size();
            Bitfield trusted = sameShape ? data.trustedIn(BootSession.current()) : data.verified();
            missing = sameShape ? missingClaimedFiles(trusted, info, layout, disk) : List.of();
            String mismatch = missing.isEmpty() ? mismatch(data, trusted, info, layout, disk) : null;
            if (!missing.isEmpty()) {
                outcome = ResumeOutcome.FILES_MISSING;
                log.warn("Files of {} holding verified pieces are missing: {}", info.infoHash(), missing);
            } else if (mismatch == null) {
                bits = trusted;
                synced = syncedPart(trusted, data.unsynced(), info, layout, disk);
                outcome = ResumeOutcome.RESUMED;
                log.info("Resumed {} with {}/{} pieces verified", info.infoHash(), bits.count(), bits.pieceCount());
            } else {
                outcome = ResumeOutcome.STALE_RESUME_DATA;
                log.info("Resume data of {} is stale ({}); the data will be rechecked", info.infoHash(), mismatch);
            }
        }
        for (int i = 0; i < info.files().size(); i++) {
            if (!info.files().get(i).padding() && claimsAny(bits, layout.piecesOf(i))) {
                disk.recordExisting(i); // the files the trusted pieces live in: never to be created again empty
            }
        }
        if (bits.count() < info.pieceCount()) {
            ex.warmUpHashing(VerifiedBy.of(info.metaVersion())); // pieces left to download or recheck: hashing is coming
        }
        return new TorrentStorage(info, resumeKey, disk, ex, resume, bits, synced, priorities, outcome, missing,
                resumeSaveInterval, durableInterval);
    }

    /**
     * Of the {@code trusted} pieces, those that were fsynced; the files of the others are marked so
     * the next durable save syncs them, as a process of this boot wrote them without syncing.
     */
    private static Bitfield syncedPart(Bitfield trusted, Bitfield unsynced, TorrentInfo info, PieceLayout layout,
            DiskIo disk) {
        Bitfield synced = trusted.copy();
        for (int p = unsynced.nextSet(0); p >= 0; p = unsynced.nextSet(p + 1)) {
            synced.clear(p);
        }
        for (int i = 0; i < info.files().size(); i++) {
            if (!info.files().get(i).padding() && claimsAny(unsynced, layout.piecesOf(i))) {
                disk.markUnsynced(i);
            }
        }
        return synced;
    }

    /**
     * The files holding a piece of {@code claimed} that are absent or shorter than the torrent says,
     * one line each ("name: missing", "name: 100 of 5000 bytes"). A stat per file: cheap enough to run
     * often while seeding, unlike hashing.
     */
    private static List<String> missingClaimedFiles(Bitfield claimed, TorrentInfo info, PieceLayout layout, DiskIo disk)
            throws StorageException {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < info.files().size(); i++) {
            TorrentFile f = info.files().get(i);
            if (f.padding() || f.length() == 0 || !claimsAny(claimed, layout.piecesOf(i))) {
                continue;
            }
            ResumeData.FileState now = stateOf(disk.pathOf(i));
            if (now.isAbsent()) {
                missing.add(f.displayPath() + ": missing");
            } else if (now.size() < f.length()) {
                missing.add(f.displayPath() + ": " + now.size() + " of " + f.length() + " bytes");
            }
        }
        return missing;
    }

    /**
     * Whether every file of the torrent is absent or empty: a stat per file. A file that cannot be
     * looked at counts as holding data: the recheck then meets the error and reports it.
     */
    private static boolean holdsNoByte(TorrentInfo info, DiskIo disk) throws StorageException {
        for (int i = 0; i < info.files().size(); i++) {
            TorrentFile f = info.files().get(i);
            if (f.padding() || f.length() == 0) {
                continue;
            }
            try {
                ResumeData.FileState now = stateOf(disk.pathOf(i));
                if (!now.isAbsent() && now.size() > 0) {
                    return false;
                }
            } catch (StorageException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean claimsAny(Bitfield claimed, PieceRange pieces) {
        int first = claimed.nextSet(pieces.first());
        return first >= 0 && pieces.contains(first);
    }

    /** Why {@code data} cannot be trusted for {@code info} on this disk, or null if it can. */
    private static String mismatch(ResumeData data, Bitfield bits, TorrentInfo info, PieceLayout layout, DiskIo disk)
            throws StorageException {
        if (data.pieceCount() != info.pieceCount() || data.files().size() != info.files().size()) {
            return "different piece or file count";
        }
        if (!data.verifiedBy().suffices(info.metaVersion())) {
            return "pieces verified by " + data.verifiedBy().key() + ", which a " + info.metaVersion() + " torrent does not trust";
        }
        if (!data.downloadDir().equals(disk.downloadDir().toString())) {
            return "saved for " + data.downloadDir();
        }
        for (int i = 0; i < info.files().size(); i++) {
            TorrentFile f = info.files().get(i);
            if (f.padding() || f.length() == 0) {
                continue;
            }
            PieceRange pieces = layout.piecesOf(i);
            int firstVerified = bits.nextSet(pieces.first());
            if (firstVerified < 0 || !pieces.contains(firstVerified)) {
                continue; // nothing of this file is claimed, so its state does not matter
            }
            ResumeData.FileState now = stateOf(disk.pathOf(i));
            ResumeData.FileState then = data.files().get(i);
            if (then.isAbsent() || !now.equals(then)) {
                return f.displayPath() + " changed (recorded " + then + ", now " + now + ")";
            }
        }
        return null;
    }

    private static ResumeData.FileState stateOf(Path path) throws StorageException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new ResumeData.FileState(a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            return ResumeData.FileState.ABSENT;
        } catch (IOException e) {
            throw StorageErrors.from(e, "checking", path, path.getParent());
        }
    }

    public PieceLayout layout() {
        return layout;
    }

    /** How the resume data was treated on open; {@code needsRecheck()} tells whether to call {@link #recheck}. */
    public ResumeOutcome resumeOutcome() {
        return resumeOutcome;
    }

    /** The live set of verified pieces (thread-safe). Read it; never modify it. */
    public Bitfield verified() {
        return verified;
    }

    /** Bytes of the torrent's byte space (pad files included) covered by verified pieces. */
    public long bytesVerified() {
        return bytesVerified.get();
    }

    public boolean isComplete() {
        return verified.isComplete();
    }

    /** For {@link ResumeOutcome#FILES_MISSING}, what was missing when opened; else empty. */
    public List<String> missingOnOpen() {
        return missingOnOpen;
    }

    /**
     * Which files holding verified pieces are gone or shorter than the torrent says, one line per file;
     * empty when all is there. Blocks on a stat per file: call it on {@link StorageExecutors#disk()}.
     * A file deleted while open keeps working through its open channel, so only the path tells. (A file
     * deleted and replaced by another of the same size is not noticed here: only hashing would tell.)
     */
    public List<String> missingFiles() throws StorageException {
        return missingClaimedFiles(verified.copy(), info, layout, disk);
    }

    /** How many times a resume save fsynced this torrent's files (diagnostics and tests). */
    public int dataSyncs() {
        return dataSyncs.get();
    }

    /** How many rechecks this storage has started (diagnostics and tests). */
    public int rechecksStarted() {
        return rechecksStarted.get();
    }

    // ---------------------------------------------------------------- pieces

    /**
     * Hashes {@code data} as piece {@code index} and, only if it matches, writes it and marks the piece
     * verified. The engine assembles the whole piece from blocks and must not touch {@code data}
     * afterwards. A piece that is already verified is not written again.
     */
    public CompletableFuture<PieceResult> writePiece(int index, byte[] data) {
        if (index < 0 || index >= info.pieceCount()) {
            return CompletableFuture.failedFuture(StorageException.invalidRange("piece " + index + " of " + info.pieceCount()));
        }
        if (data.length != info.pieceSize(index)) {
            return CompletableFuture.failedFuture(StorageException.invalidRange(
                    "piece " + index + " is " + info.pieceSize(index) + " bytes, got " + data.length));
        }
        if (closed) {
            return CompletableFuture.failedFuture(StorageException.closed());
        }
        if (verified.has(index)) {
            return CompletableFuture.completedFuture(PieceResult.verified());
        }
        CompletableFuture<PieceResult> result = run(executors.hashing(), () -> matchesHash(index, data))
                .thenCompose(matches -> matches
                        ? run(executors.disk(), () -> store(index, data))
                        : CompletableFuture.completedFuture(PieceResult.hashFailed()));
        return track(result);
    }

    private PieceResult store(int index, byte[] data) throws StorageException {
        if (verified.has(index)) {
            return PieceResult.verified();
        }
        try {
            int offset = 0;
            for (FileSegment seg : layout.segments(index, 0, data.length)) {
                disk.write(seg, data, offset);
                offset += seg.length();
            }
        } catch (StorageException e) {
            log.warn("Could not store piece {} of {}: {}", index, info.infoHash(), e.getMessage());
            return PieceResult.ioError(e);
        }
        // The bit is set only after every write returned, so a resume snapshot that includes it is
        // taken after the data reached the OS (the page cache survives a killed process; a power cut
        // is what the save's fsync, or the unsynced mark with its boot id, covers).
        markVerified(index);
        saveScheduler.request();
        if (verified.isComplete()) {
            createEmptyFiles();
        }
        return PieceResult.verified();
    }

    private boolean markVerified(int index) {
        synchronized (verified) {
            if (verified.has(index)) {
                return false;
            }
            verified.set(index);
            bytesVerified.addAndGet(info.pieceSize(index));
            return true;
        }
    }

    private boolean matchesHash(int index, byte[] data) {
        return verifier.matches(index, data);
    }

    /**
     * Reads {@code length} bytes at {@code begin} of a verified piece, for a peer's request (BEP 3).
     * Refuses pieces not verified, ranges outside the piece and blocks over {@link #MAX_BLOCK_LENGTH}.
     */
    public CompletableFuture<byte[]> readBlock(int index, int begin, int length) {
        StorageException refused = unreadable(index, begin, length);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        return track(run(executors.disk(), () -> {
            byte[] out = new byte[length];
            read(index, begin, ByteBuffer.wrap(out));
            return out;
        }));
    }

    /**
     * Like {@link #readBlock}, into {@code dst}: its remaining bytes are filled from {@code begin} on,
     * and its position moves past them. For serving several requested blocks in one read into the
     * socket's own (direct) buffer, with no copy on the way; the caller must not touch {@code dst} until
     * the future completes.
     */
    public CompletableFuture<Void> readInto(int index, int begin, ByteBuffer dst) {
        StorageException refused = unreadable(index, begin, dst.remaining());
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        return track(run(executors.disk(), () -> {
            read(index, begin, dst);
            return null;
        }));
    }

    /** Why a peer may not read this range now, or null if it may. */
    private StorageException unreadable(int index, int begin, int length) {
        if (index < 0 || index >= info.pieceCount()) {
            return StorageException.invalidRange("piece " + index + " of " + info.pieceCount());
        }
        int size = info.pieceSize(index);
        if (begin < 0 || length <= 0 || length > MAX_BLOCK_LENGTH || (long) begin + length > size) {
            return StorageException.invalidRange("block " + begin + "+" + length + " of piece " + index + " (" + size
                    + " bytes, blocks up to " + MAX_BLOCK_LENGTH + ")");
        }
        if (closed) {
            return StorageException.closed();
        }
        if (!verified.has(index)) {
            return new StorageException(StorageException.Reason.PIECE_NOT_VERIFIED,
                    "piece " + index + " is not verified", "only request pieces the peer announced (BEP 3 have/bitfield)");
        }
        return null;
    }

    private void read(int index, int begin, ByteBuffer dst) throws StorageException {
        for (FileSegment seg : layout.segments(index, begin, dst.remaining())) {
            disk.read(seg, dst);
        }
    }

    // ---------------------------------------------------------------- recheck

    /**
     * Hashes everything on disk and makes the verified set match it: used to seed data that is
     * already there and whenever resume data is missing or stale. Pieces whose files are missing or
     * too short count as missing without being read. {@code progressBytes} receives the running total
     * of bytes checked (from storage threads). A recheck already running is returned as is.
     */
    public synchronized CompletableFuture<Bitfield> recheck(LongConsumer progressBytes) {
        if (closed) {
            return CompletableFuture.failedFuture(StorageException.closed());
        }
        if (recheck != null && !recheck.isDone()) {
            return recheck;
        }
        rechecksStarted.incrementAndGet();
        synchronized (saveLock) {
            // What the recheck finds may be pages a killed process left unsynced: sync them all next time.
            synced = new Bitfield(info.pieceCount());
            for (int i = 0; i < info.files().size(); i++) {
                if (!info.files().get(i).padding()) {
                    disk.markUnsynced(i);
                }
            }
        }
        synchronized (verified) {
            for (int i = verified.nextSet(0); i >= 0; i = verified.nextSet(i + 1)) {
                verified.clear(i);
            }
            bytesVerified.set(0);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong checked = new AtomicLong();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < RECHECK_PARALLELISM; w++) {
            workers.add(recheckWorker(next, checked, progressBytes));
        }
        CompletableFuture<Bitfield> done = CompletableFuture.allOf(workers.toArray(new CompletableFuture<?>[0]))
                .thenCompose(v -> run(executors.disk(), () -> {
                    if (verified.isComplete()) {
                        createEmptyFilesOrThrow();
                    }
                    log.info("Recheck of {}: {}/{} pieces good", info.infoHash(), verified.count(), info.pieceCount());
                    saveScheduler.request();
                    return verified.copy();
                }));
        recheck = track(done);
        return recheck;
    }

    /** Checks pieces one after another, taking the next unchecked index each time. */
    private CompletableFuture<Void> recheckWorker(AtomicInteger next, AtomicLong checked, LongConsumer progress) {
        int index = next.getAndIncrement();
        if (index >= info.pieceCount() || closed) {
            return CompletableFuture.completedFuture(null);
        }
        return run(executors.disk(), () -> readIfPresent(index))
                .thenComposeAsync(data -> {
                    if (data != null && matchesHash(index, data)) {
                        markVerified(index);
                    }
                    progress.accept(checked.addAndGet(info.pieceSize(index)));
                    return recheckWorker(next, checked, progress);
                }, executors.hashing());
    }

    /** The piece's bytes, or null if a file holding part of it is missing or too short. */
    private byte[] readIfPresent(int index) throws StorageException {
        int size = info.pieceSize(index);
        List<FileSegment> segments = layout.segments(index, 0, size);
        for (FileSegment seg : segments) {
            if (!disk.holds(seg)) {
                return null;
            }
        }
        byte[] data = new byte[size];
        int offset = 0;
        try {
            for (FileSegment seg : segments) {
                disk.read(seg, data, offset);
                offset += seg.length();
            }
        } catch (StorageException e) {
            if (e.reason() == StorageException.Reason.FILE_MISSING) {
                return null; // vanished or shrank while we looked
            }
            throw e;
        }
        return data;
    }

    // ---------------------------------------------------------------- priorities

    /** Sets a file's priority, 0 (skip) to {@value #MAX_PRIORITY}; the piece picker reads {@link #wantedPieces()}. */
    public void setFilePriority(int fileIndex, int priority) {
        if (fileIndex < 0 || fileIndex >= priorities.length) {
            throw new IllegalArgumentException("file " + fileIndex + " of " + priorities.length);
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is not 0.." + MAX_PRIORITY);
        }
        synchronized (priorities) {
            priorities[fileIndex] = priority;
        }
        saveScheduler.request();
    }

    public int filePriority(int fileIndex) {
        synchronized (priorities) {
            return priorities[fileIndex];
        }
    }

    /**
     * Pieces that overlap at least one wanted (priority above 0) non-pad file. A piece shared with a
     * skipped file is still wanted and written whole, so that skipped file gets created too (keeping
     * such bytes in a separate part file, as libtorrent does, is not implemented).
     */
    public Bitfield wantedPieces() {
        Bitfield wanted = new Bitfield(info.pieceCount());
        synchronized (priorities) {
            for (int i = 0; i < priorities.length; i++) {
                TorrentFile f = info.files().get(i);
                if (priorities[i] > 0 && !f.padding()) {
                    PieceRange r = layout.piecesOf(i);
                    for (int p = r.first(); p < r.end(); p++) {
                        wanted.set(p);
                    }
                }
            }
        }
        return wanted;
    }

    // ---------------------------------------------------------------- resume and close

    /** Flushes, saves resume data and closes the files, after the operations already started finish. */
    public synchronized CompletableFuture<Void> close() {
        if (closing != null) {
            return closing;
        }
        closed = true;
        saveScheduler.stop();
        durableSaveScheduler.stop();
        CompletableFuture<?>[] pending = inFlight.toArray(new CompletableFuture<?>[0]);
        closing = CompletableFuture.allOf(pending)
                .handle((v, e) -> null) // failures were reported to their own callers
                .thenCompose(v -> run(executors.disk(), () -> {
                    try {
                        saveResume(true);
                    } finally {
                        disk.close();
                    }
                    return null;
                }));
        return closing;
    }

    /**
     * Closes the files without saving resume data: for data found missing, whose last saved resume
     * data (from before it went) is the better record — it still names the files as they were, so if
     * they come back (a drive mounted again) they are trusted without a recheck.
     */
    public synchronized CompletableFuture<Void> discard() {
        if (closing != null) {
            return closing;
        }
        synchronized (saveLock) {
            finalSaveDone = true; // a save already scheduled must not write either
        }
        closed = true;
        saveScheduler.stop();
        durableSaveScheduler.stop();
        CompletableFuture<?>[] pending = inFlight.toArray(new CompletableFuture<?>[0]);
        closing = CompletableFuture.allOf(pending)
                .handle((v, e) -> null)
                .thenCompose(v -> run(executors.disk(), () -> {
                    disk.close();
                    return null;
                }));
        return closing;
    }

    private void saveResumeLogged() {
        try {
            saveResume(false);
        } catch (StorageException e) {
            log.warn("Could not save resume data of {}: {}", info.infoHash(), e.getMessage());
        }
    }

    /**
     * Writes resume data claiming exactly the pieces verified when this started. Order matters:
     * snapshot the bitfield, then (on close, every {@link #DURABLE_SAVE_INTERVAL}, and where the OS
     * names no boot) fsync the files, then write the resume file (atomically). A bit is set only after
     * its piece's writes returned, so every claimed piece was in the page cache before the save: after
     * {@code kill -9} it is readable. The pieces claimed since the last fsync are listed as unsynced
     * with this boot's id, so after a power cut they are not trusted and no hole is ever served to
     * peers as verified data. Writing the resume file before the snapshot's writes returned would.
     */
    private void saveResume(boolean last) throws StorageException {
        synchronized (saveLock) {
            if (finalSaveDone) {
                return;
            }
            finalSaveDone = last;
            Bitfield snapshot = verified.copy();
            long now = System.nanoTime();
            if (last || boot.isEmpty() || now - lastSyncNanos >= durableInterval.toNanos()) {
                disk.flush();
                dataSyncs.incrementAndGet();
                synced = snapshot.copy();
                lastSyncNanos = now;
            }
            Bitfield unsynced = snapshot.copy();
            for (int p = synced.nextSet(0); p >= 0; p = synced.nextSet(p + 1)) {
                unsynced.clear(p);
            }
            List<ResumeData.FileState> states = new ArrayList<>();
            for (int i = 0; i < info.files().size(); i++) {
                states.add(info.files().get(i).padding() ? ResumeData.FileState.ABSENT : stateOf(disk.pathOf(i)));
            }
            List<Integer> prio = new ArrayList<>();
            synchronized (priorities) {
                for (int p : priorities) {
                    prio.add(p);
                }
            }
            resumeStore.save(new ResumeData(resumeKey, disk.downloadDir().toString(), info.pieceCount(),
                    snapshot.toWire(), states, prio, info.infoBytes(), VerifiedBy.of(info.metaVersion()), knownPieceLayers(),
                    unsynced.toWire(), unsynced.isEmpty() ? "" : boot.orElseThrow()));
            if (!unsynced.isEmpty()) {
                durableSaveScheduler.request(); // no later piece may come to trigger the sync (a download that ended)
            }
        }
    }

    /** BEP 52: the piece layers known now, so a restart need not fetch them from peers again. */
    private List<ResumeData.PieceLayer> knownPieceLayers() {
        List<ResumeData.PieceLayer> out = new ArrayList<>();
        if (info.pieceLayers() != null) {
            for (FileHashes f : info.pieceLayers().files()) {
                byte[] layer = info.pieceLayers().layer(f);
                if (layer != null) {
                    out.add(new ResumeData.PieceLayer(f.piecesRoot(), layer));
                }
            }
        }
        return out;
    }

    private void createEmptyFiles() {
        try {
            createEmptyFilesOrThrow();
        } catch (StorageException e) {
            log.warn("Could not create empty files of {}: {}", info.infoHash(), e.getMessage());
        }
    }

    /** Zero-length files have no pieces, so no write ever creates them; do it once the torrent is complete. */
    private void createEmptyFilesOrThrow() throws StorageException {
        for (int i = 0; i < info.files().size(); i++) {
            TorrentFile f = info.files().get(i);
            if (f.length() == 0 && !f.padding() && filePriority(i) > 0) {
                disk.createIfMissing(i);
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** A task that may fail with a {@link StorageException}. */
    @FunctionalInterface
    private interface StorageTask<T> {
        T call() throws StorageException;
    }

    /**
     * Runs {@code task} on {@code executor}; the future fails with the {@link StorageException}
     * itself (not wrapped), or with {@code CLOSED} if the executors were shut down.
     */
    private static <T> CompletableFuture<T> run(Executor executor, StorageTask<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    f.complete(task.call());
                } catch (StorageException | RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(StorageException.closed());
        }
        return f;
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> f) {
        inFlight.add(f);
        f.whenComplete((v, e) -> inFlight.remove(f));
        return f;
    }
}
