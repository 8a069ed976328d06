package dev.magnetar.engine;

import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.Bitfield;
import dev.magnetar.storage.TorrentStorage;
import dev.magnetar.wire.RateMeter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams reading one torrent's files: serves their reads from verified pieces, parks reads of
 * missing pieces until they verify, and turns the readers' positions into the picker's time-critical
 * pieces ({@link ReadAhead}). Everything but the entry points runs on the torrent's loop, where the
 * picker and the storage live.
 */
final class TorrentStreams {

    private static final Logger log = LoggerFactory.getLogger(TorrentStreams.class);

    private final Torrent torrent;
    private final LongSupplier nanoTime;
    /** Reads waiting for a piece, by piece. */
    private final Map<Integer, List<Runnable>> waiting = new HashMap<>();
    private final Map<Long, StreamReader> readers = new HashMap<>();
    /** Files a player is about to read ({@link #expect}), by index, until a reader of them opens. */
    private final Map<Integer, StreamableFile> expected = new HashMap<>();
    /** Bytes served per file: the bitrate the window ahead of a reader follows. */
    private final Map<Integer, RateMeter> readRates = new HashMap<>();
    /** Per file, the last position read (any thread reads it for a player's "buffered ahead"). */
    private final Map<Integer, Long> lastPositions = new ConcurrentHashMap<>();
    /**
     * Per file whose first bytes showed an MP4 movie box after the media data ({@link MovieBoxLocator}):
     * the offset in the file where that box begins.
     */
    private final Map<Integer, Long> movieBoxes = new HashMap<>();
    /**
     * Per file, the position of the last read outside its movie box: where the player reads the media data,
     * and where it comes back to once it has read the movie box ({@link #afterTheMovieBox}).
     */
    private final Map<Integer, Long> mediaPositions = new HashMap<>();
    /**
     * A player asks for a movie box from a little before it: Chromium aligns that read to 64 KiB
     * (bench/stream: from byte 1,086,062,592 for a box at 1,086,063,096).
     */
    private static final long MOVIE_BOX_READ_SLACK = 64L << 10;
    private long nextId;
    private boolean closed;
    private List<Integer> applied = List.of();
    private Map<Integer, Integer> appliedFirstBlocks = Map.of();

    TorrentStreams(Torrent torrent, LongSupplier nanoTime) {
        this.torrent = torrent;
        this.nanoTime = nanoTime;
    }

    CompletableFuture<FileStream> open(StreamableFile file) {
        CompletableFuture<FileStream> opened = new CompletableFuture<>();
        torrent.loop().execute(() -> {
            if (closed) {
                opened.completeExceptionally(new TorrentNotFoundException(file.infoHash()));
                return;
            }
            long id = nextId++;
            expected.remove(file.index());
            readers.put(id, new StreamReader(file, id, nanoTime.getAsLong()));
            lastPositions.putIfAbsent(file.index(), 0L);
            updateDeadlines();
            opened.complete(new FileStream(this, id, file));
        });
        return opened;
    }

    CompletableFuture<ByteBuffer> read(long id, StreamableFile file, long position, int maxBytes) {
        CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
        torrent.loop().execute(() -> {
            if (closed) {
                result.completeExceptionally(new TorrentNotFoundException(file.infoHash()));
                return;
            }
            StreamReader reader = readers.get(id);
            if (reader != null) {
                reader.position = position;
                reader.trace.reads(position);
            }
            lastPositions.put(file.index(), position);
            if (!readsTheMovieBox(file.index(), position)) {
                mediaPositions.put(file.index(), position);
            }
            TorrentInfo info = torrent.info();
            TorrentFile f = info.files().get(file.index());
            long at = f.offset() + position;
            int piece = (int) (at / info.pieceLength());
            long pieceStart = (long) piece * info.pieceLength();
            int begin = (int) (at - pieceStart);
            int length = (int) Math.min(maxBytes, Math.min(info.pieceSize(piece) - begin, f.length() - position));
            updateDeadlines();
            readWhenVerified(reader, file.index(), position, piece, begin, length, result);
        });
        return result;
    }

    /**
     * A player will read {@code file} soon: until its first reader opens, the file's edges are time-critical
     * as a reader at its start would make them. A torrent not started yet has no picker; its deadlines are
     * set when it gets one ({@link #pickerReady}), before any peer is asked for blocks.
     */
    void expect(StreamableFile file) {
        torrent.loop().execute(() -> {
            if (!closed) {
                expected.put(file.index(), file);
                updateDeadlines();
            }
        });
    }

    void closeReader(long id) {
        torrent.loop().execute(() -> {
            if (readers.remove(id) != null) {
                updateDeadlines();
            }
        });
    }

    /**
     * On the loop: a block arrived, not verified yet. If it holds the first bytes of a file a player is about
     * to read or reads, they tell whether the file is an MP4 with its movie box after the media data
     * ({@link MovieBoxLocator}) a whole piece earlier than the verified read does: the movie box's pieces are
     * asked for right behind the file's first piece, while it still comes, rather than once it has been
     * verified and served, when the peers' queues had been filled with other pieces that a cancel cannot
     * take back from a seeder's send buffer (bench/stream: the movie box answered 0.5-0.9 s after the player
     * asked for it). Only a hint for the order of requests: nothing unverified is served, and the verified
     * first bytes decide ({@link #movieBoxVerified}).
     *
     * @param block the block's bytes, from its position to its limit (not consumed)
     */
    void blockArrived(int piece, int offset, ByteBuffer block) {
        if (readers.isEmpty() && expected.isEmpty()) {
            return;
        }
        long blockStart = (long) piece * torrent.info().pieceLength() + offset;
        for (int index : expected.keySet()) {
            movieBoxHint(index, blockStart, block);
        }
        for (StreamReader r : readers.values()) {
            movieBoxHint(r.file.index(), blockStart, block);
        }
    }

    private void movieBoxHint(int index, long blockStart, ByteBuffer block) {
        TorrentFile f = torrent.info().files().get(index);
        long at = f.offset() - blockStart;
        if (at < 0 || at >= block.remaining() || movieBoxes.containsKey(index)) {
            return; // not the file's first bytes, or its movie box is known
        }
        OptionalLong movieBox = MovieBoxLocator.movieBoxAfterMediaData(block.slice(block.position() + (int) at, block.remaining() - (int) at),
                f.length());
        if (movieBox.isPresent()) {
            movieBoxes.put(index, movieBox.getAsLong());
            log.info("{}: file {}'s first block, before its piece is verified, shows its movie box after its media data, from byte {}: "
                    + "it comes right after the first piece", torrent.name(), index, movieBox.getAsLong());
            updateDeadlines();
        }
    }

    /**
     * On the loop: blocks of {@code piece} became readable before the piece is whole ({@link LeafVerifiedBlocks}):
     * the reads waiting for it look again, and those whose first bytes are not readable yet wait on.
     */
    void blocksReadable(int piece) {
        List<Runnable> again = waiting.remove(piece);
        if (again != null) {
            again.forEach(Runnable::run);
        }
    }

    /** On the loop: a piece verified, so the reads waiting for it go on. */
    void pieceVerified(int piece) {
        List<Runnable> ready = waiting.remove(piece);
        if (ready != null) {
            ready.forEach(Runnable::run);
        }
        if (inAMovieBox(piece)) {
            updateDeadlines(); // the readers' pieces waited for it, whether or not the player asked for it yet
        }
    }

    private boolean inAMovieBox(int piece) {
        TorrentInfo info = torrent.info();
        for (Map.Entry<Integer, Long> e : movieBoxes.entrySet()) {
            TorrentFile f = info.files().get(e.getKey());
            long from = f.offset() + e.getValue();
            if (piece >= from / info.pieceLength() && piece <= (f.offset() + f.length() - 1) / info.pieceLength()) {
                return true;
            }
        }
        return false;
    }

    /**
     * On the loop: a new picker (the storage was opened or checked again) gets the deadlines too, and the
     * reads that waited for pieces the check found on disk go on: a check verifies pieces without a
     * {@link #pieceVerified} for each, so a read queued before it (a player opened while the torrent
     * checked, as after every restart) would otherwise wait for a peer to bring bytes already on disk.
     */
    void pickerReady() {
        applied = List.of();
        TorrentStorage storage = torrent.storage();
        if (storage != null) {
            Bitfield verified = storage.verified();
            List<Runnable> ready = new ArrayList<>();
            waiting.entrySet().removeIf(e -> {
                if (!verified.has(e.getKey())) {
                    return false;
                }
                ready.addAll(e.getValue());
                return true;
            });
            ready.forEach(Runnable::run);
        }
        updateDeadlines();
    }

    /** On the loop: the torrent is removed or the engine stops; waiting reads fail. */
    void close() {
        closed = true;
        readers.clear();
        expected.clear();
        List<Runnable> all = new ArrayList<>();
        waiting.values().forEach(all::addAll);
        waiting.clear();
        all.forEach(Runnable::run);
    }

    /** The position a player last read in file {@code index}, or -1 if no stream read it. */
    long lastPosition(int index) {
        return lastPositions.getOrDefault(index, -1L);
    }

    /** @param reader the stream reading, or null if it closed meanwhile */
    private void readWhenVerified(StreamReader reader, int fileIndex, long position, int piece, int begin, int length,
            CompletableFuture<ByteBuffer> result) {
        if (result.isDone()) {
            return; // the caller gave up waiting
        }
        if (closed) {
            result.completeExceptionally(new TorrentNotFoundException(torrent.infoHash().hex()));
            return;
        }
        TorrentStorage storage = torrent.storage();
        boolean traced = reader != null && !reader.served;
        if (storage == null || !storage.verified().has(piece)) {
            ByteBuffer early = torrent.leafBlocks().read(piece, begin, length);
            if (early != null) {
                // Blocks whose leaf hashes matched: verified bytes, though their piece is not whole yet.
                if (traced) {
                    reader.trace.verified(piece, nanoTime.getAsLong());
                }
                served(reader, fileIndex, position, early.duplicate(), early.remaining() == length, true);
                result.complete(early);
                return;
            }
            if (reader != null && !reader.waited) {
                reader.waited = true;
                updateDeadlines(); // it may lead now
            }
            PiecePicker<PieceSource> picker = torrent.picker();
            if (traced && picker != null) {
                reader.trace.waits(piece, picker.progress(piece), nanoTime.getAsLong());
            }
            waiting.computeIfAbsent(piece, p -> new ArrayList<>()).add(() -> readWhenVerified(reader, fileIndex, position, piece, begin, length, result));
            return;
        }
        if (traced) {
            reader.trace.verified(piece, nanoTime.getAsLong());
            if (!reader.firstPieceVerified) {
                // The window it reads on into is time-critical from now, not from when the disk read below is
                // done: the piece's last block may have been the last time-critical block queued, and a peer's
                // queue refilled in between gets other pieces, which a capped seeder sends anyway once they are
                // in its send buffer (bench/stream, WebM: 24 blocks of piece 930 came before the reader's next
                // piece, asked for 33 ms later).
                reader.firstPieceVerified = true;
                updateDeadlines();
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        storage.readInto(piece, begin, buffer).whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
                return;
            }
            buffer.flip();
            ByteBuffer view = buffer.duplicate(); // the player may have read the buffer by the time the loop looks
            torrent.loop().execute(() -> served(reader, fileIndex, position, view, true, false));
            result.complete(buffer);
        });
    }

    /**
     * On the loop: {@code bytes} (not consumed) of file {@code fileIndex} from {@code position} go to the player;
     * {@code whole}: all the read asked for, not only the leaf-verified blocks at its start; {@code early}: from
     * leaf-verified blocks of a piece not whole yet.
     */
    private void served(StreamReader reader, int fileIndex, long position, ByteBuffer bytes, boolean whole, boolean early) {
        readRate(fileIndex).add(bytes.remaining());
        // Only a file's first bytes tell of its movie box, and a short read of them only where it is.
        OptionalLong movieBox = position == 0
                ? MovieBoxLocator.movieBoxAfterMediaData(bytes.duplicate(), torrent.info().files().get(fileIndex).length()) : null;
        boolean changed = movieBox != null && (whole || movieBox.isPresent()) && movieBoxVerified(fileIndex, movieBox);
        if (reader != null && early && !reader.servedEarly && !reader.served) {
            reader.servedEarly = true;
            log.info("{}: stream {} of file {} {} ({} bytes from leaf-verified blocks, the piece not whole yet)", torrent.name(),
                    reader.opened, fileIndex, reader.trace.served(nanoTime.getAsLong()), bytes.remaining());
        }
        if (reader != null && !reader.served && (!early || whole)) {
            // Bytes from leaf-verified blocks count once a read is answered in full: until then the blocks the
            // reader waits for are still coming, and what it waits for decides the picking as before (a window
            // grown, or an MP4's movie box moved ahead of them, while they come would take the seeder's ticks
            // from them). The piece itself may be whole much later: only the blocks from the reader's on are
            // time-critical (PiecePicker#setDeadlines(List, Map)), and its window must grow before then.
            reader.served = true;
            log.info("{}: stream {} of file {} {}", torrent.name(), reader.opened, fileIndex, reader.trace.served(nanoTime.getAsLong()));
            changed = true; // its window grows from the first one
        }
        if (changed) {
            updateDeadlines();
        }
    }

    /**
     * What the verified first bytes of a file say of its movie box; they overrule what its first block said
     * before it was verified ({@link #blockArrived}).
     *
     * @return whether that changed the time-critical pieces
     */
    private boolean movieBoxVerified(int fileIndex, OptionalLong movieBox) {
        Long known = movieBox.isPresent() ? Long.valueOf(movieBox.getAsLong()) : null;
        Long before = known == null ? movieBoxes.remove(fileIndex) : movieBoxes.put(fileIndex, known);
        if (Objects.equals(before, known)) {
            return false;
        }
        if (known != null) {
            log.info("{}: file {} keeps its movie box after its media data, from byte {}: it comes right after the first piece",
                    torrent.name(), fileIndex, known);
        } else {
            log.info("{}: file {}'s verified first bytes show no movie box after its media data; its first block said otherwise",
                    torrent.name(), fileIndex);
        }
        return true;
    }

    private RateMeter readRate(int fileIndex) {
        return readRates.computeIfAbsent(fileIndex, i -> new RateMeter(nanoTime));
    }

    /**
     * Recomputes the time-critical pieces; when they changed, peers are asked for them at once. The newest
     * reader of each file leads with its window; an older reader of the same file keeps just the piece it
     * waits for, so its window does not hold the peers' queues ahead of where the player is now — and not
     * even that while the leader waits for its first bytes (a seek, an MP4's movie box): nothing may share
     * the peers with those. The old request is then most likely one the player gave up — Chromium drops
     * it before it asks for the new position — but the server learns of that only when it next writes to
     * the closed connection, after that piece came. Before, its blocks, asked for again as the seek's
     * cancels were rejected, were queued at the seeder among the new position's pieces (bench/stream's
     * WebM seek: 23 blocks of the old position's piece between the seek's second and third, one
     * half-second quota tick of a capped libtorrent seeder lost). Once the leader is served the older
     * reader's piece comes back, after the leader's window, for a player that does read at two places. A
     * file {@link #expect expected} and not read yet has its edges, after every reader's pieces.
     *
     * <p>A file whose MP4 movie box follows its media data shows no frame before the player has read its
     * start and all of that box, in that order (Chromium reads the first bytes, then asks for the box).
     * So while the box is missing it comes right after the piece a reader waits for its first bytes in,
     * and before anything else of that reader's: the box is asked for while the first piece still comes,
     * yet never ahead of it (with the box alone time-critical, the cancel took the first piece's queued
     * blocks back and Chromium, reading the start first, waited 0.9 s for it). A player reading the box
     * returns to the media data where it left it: behind the box come the pieces at that position, and they
     * stay time-critical between the player's requests (bench/stream: Chromium asked for the bytes after
     * the first 128 KiB 0.25 s after the box was served; nothing was time-critical meanwhile, the seeder's
     * queue filled with other pieces, and the first frame waited 0.8 s more for the next piece).
     */
    private void updateDeadlines() {
        PiecePicker<PieceSource> picker = torrent.picker();
        TorrentInfo info = torrent.info();
        if (picker == null || info == null) {
            return;
        }
        Bitfield verified = torrent.storage().verified();
        LinkedHashSet<Integer> pieces = new LinkedHashSet<>();
        Map<Integer, StreamReader> leaders = new HashMap<>();
        Set<Integer> newest = null;
        for (StreamReader r : StreamReader.byUrgency(readers.values())) {
            TorrentFile f = info.files().get(r.file.index());
            List<Integer> movieBox = movieBoxMissing(r.file.index(), f, info.pieceLength(), verified);
            StreamReader leader = leaders.putIfAbsent(r.file.index(), r);
            if (leader == null) {
                List<Integer> mine = leaderPieces(r, f, info.pieceLength(), movieBox, verified);
                pieces.addAll(mine);
                if (newest == null) {
                    newest = Set.copyOf(mine);
                }
            } else if (movieBox.isEmpty() && !(leader.waited && !leader.served)) {
                int next = ReadAhead.nextMissing(f.offset(), f.length(), info.pieceLength(), r.position, ReadAhead.FIRST_WINDOW_BYTES,
                        verified::has);
                if (next >= 0) {
                    pieces.add(next);
                }
            }
        }
        for (StreamableFile e : expected.values()) {
            if (!leaders.containsKey(e.index())) {
                TorrentFile f = info.files().get(e.index());
                List<Integer> edges = movieBoxAfterTheWait(ReadAhead.deadlines(f.offset(), f.length(), info.pieceLength(), List.of(0L),
                        ReadAhead.FIRST_WINDOW_BYTES, verified::has), movieBoxMissing(e.index(), f, info.pieceLength(), verified), true);
                pieces.addAll(edges);
                if (newest == null) {
                    newest = Set.copyOf(edges);
                }
            }
        }
        for (int index : movieBoxes.keySet()) {
            if (!leaders.containsKey(index) && !expected.containsKey(index) && mediaPositions.containsKey(index)) {
                // Between a player's requests: it is back for the media data next.
                List<Integer> back = afterTheMovieBox(index, info.files().get(index), info.pieceLength(), verified);
                pieces.addAll(back);
                if (newest == null) {
                    newest = Set.copyOf(back);
                }
            }
        }
        pieces.removeIf(verified::has);
        List<Integer> next = List.copyOf(pieces);
        LeafVerifiedBlocks early = torrent.leafBlocks();
        early.track(next);
        Map<Integer, Integer> firstBlocks = firstNeededBlocks(early, picker, info);
        if (next.equals(applied) && firstBlocks.equals(appliedFirstBlocks)) {
            return;
        }
        applied = next;
        appliedFirstBlocks = firstBlocks;
        picker.setDeadlines(next, firstBlocks);
        torrent.deadlinesChanged(newest == null ? Set.of() : newest);
    }

    /**
     * Per piece whose blocks a player can read before it is whole ({@link LeafVerifiedBlocks}) that holds
     * where a player reads, or will read next, the block it needs first: the readers' positions, a missing
     * movie box's beginning (from where a player asks for it) and where a player left an MP4's media data
     * for its box. The picker asks for the blocks before it last ({@link PiecePicker#setDeadlines(List, Map)}).
     * Pieces that must be whole to be read (a v1 torrent's) are asked for whole, in order, as before.
     */
    private Map<Integer, Integer> firstNeededBlocks(LeafVerifiedBlocks leafBlocks, PiecePicker<PieceSource> picker, TorrentInfo info) {
        List<Integer> early = new ArrayList<>();
        for (int piece : leafBlocks.tracked()) {
            if (leafBlocks.holdsEveryArrivedBlock(piece, picker.blocksReceived(piece))) {
                early.add(piece);
            }
        }
        if (early.isEmpty()) {
            return Map.of();
        }
        List<Long> from = new ArrayList<>(); // in the torrent's bytes
        for (StreamReader r : readers.values()) {
            from.add(info.files().get(r.file.index()).offset() + r.position);
        }
        for (Map.Entry<Integer, Long> e : movieBoxes.entrySet()) {
            long fileOffset = info.files().get(e.getKey()).offset();
            from.add(fileOffset + Math.max(0, e.getValue() - MOVIE_BOX_READ_SLACK));
            Long media = mediaPositions.get(e.getKey());
            if (media != null) {
                from.add(fileOffset + media);
            }
        }
        for (StreamableFile e : expected.values()) {
            from.add(info.files().get(e.index()).offset());
        }
        Map<Integer, Integer> first = new HashMap<>();
        for (int piece : early) {
            long start = (long) piece * info.pieceLength();
            long end = start + info.pieceSize(piece);
            int block = -1;
            for (long at : from) {
                if (at >= start && at < end) {
                    int b = (int) ((at - start) / MerkleTree.BLOCK_SIZE);
                    block = block < 0 ? b : Math.min(block, b);
                }
            }
            if (block > 0) {
                first.put(piece, block);
            }
        }
        return Map.copyOf(first);
    }

    /** The pieces of the file's leading reader, most urgent first. */
    private List<Integer> leaderPieces(StreamReader r, TorrentFile f, int pieceLength, List<Integer> movieBox, Bitfield verified) {
        if (readsTheMovieBox(r.file.index(), r.position)) {
            // Its read may begin in a piece before the box's first (the stream E2E: 22 KiB before the box, in
            // the previous 16 KiB piece): that piece first, or it is never asked for.
            LinkedHashSet<Integer> out = new LinkedHashSet<>();
            int next = ReadAhead.nextMissing(f.offset(), f.length(), pieceLength, r.position, ReadAhead.FIRST_WINDOW_BYTES, verified::has);
            if (next >= 0) {
                out.add(next);
            }
            out.addAll(afterTheMovieBox(r.file.index(), f, pieceLength, verified));
            return List.copyOf(out);
        }
        if (!movieBox.isEmpty()) {
            List<Integer> own = ReadAhead.deadlines(f.offset(), f.length(), pieceLength, List.of(r.position), ReadAhead.FIRST_WINDOW_BYTES,
                    verified::has);
            return movieBoxAfterTheWait(own, movieBox, !r.served);
        }
        long window = r.served || r.firstPieceVerified ? ReadAhead.windowBytes(readRate(r.file.index()).bytesPerSecond())
                : ReadAhead.FIRST_WINDOW_BYTES;
        return ReadAhead.deadlines(f.offset(), f.length(), pieceLength, List.of(r.position), window, verified::has);
    }

    /**
     * {@code own}'s pieces with the missing movie box moved up: right behind the first of them if the reader
     * waits for its first bytes there ({@code waits}), else ahead of them all.
     */
    private static List<Integer> movieBoxAfterTheWait(List<Integer> own, List<Integer> movieBox, boolean waits) {
        if (movieBox.isEmpty()) {
            return own;
        }
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        if (waits && !own.isEmpty()) {
            out.add(own.get(0));
        }
        out.addAll(movieBox);
        out.addAll(own);
        return List.copyOf(out);
    }

    /**
     * While the player reads a file's movie box, or has read it and not asked for more yet: what is missing
     * of the box, then the pieces at the last position it read the media data at, where it returns.
     */
    private List<Integer> afterTheMovieBox(int index, TorrentFile f, int pieceLength, Bitfield verified) {
        LinkedHashSet<Integer> out = new LinkedHashSet<>(movieBoxMissing(index, f, pieceLength, verified));
        out.addAll(ReadAhead.deadlines(f.offset(), f.length(), pieceLength, List.of(mediaPositions.getOrDefault(index, 0L)),
                ReadAhead.FIRST_WINDOW_BYTES, verified::has));
        return List.copyOf(out);
    }

    /**
     * Whether a read from {@code position} of file {@code index} is for the movie box after its media data:
     * from within {@link #MOVIE_BOX_READ_SLACK} before it on.
     */
    private boolean readsTheMovieBox(int index, long position) {
        Long from = movieBoxes.get(index);
        return from != null && position >= from - MOVIE_BOX_READ_SLACK;
    }

    /** The pieces of file {@code index}'s movie box still missing, if it follows the media data; else none. */
    private List<Integer> movieBoxMissing(int index, TorrentFile f, int pieceLength, Bitfield verified) {
        Long from = movieBoxes.get(index);
        return from == null ? List.of() : ReadAhead.missingUpToTheEnd(f.offset(), f.length(), pieceLength, from, verified::has);
    }
}
