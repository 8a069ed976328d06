package dev.magnetar.engine;

import dev.magnetar.storage.PieceResult;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent's pieces from first block to verdict: blocks are copied into a {@link PieceAssembly}
 * (arrays from a {@link PieceBufferPool}, as many pieces at once as the engine's {@link AssemblyBudget}
 * lets this torrent have); a complete piece goes to storage to be hashed and written, counted in the
 * engine's {@link PendingWriteBudget} meanwhile (whose back-pressure pauses reading from the peers); a
 * piece that fails its hash check puts a strike on each peer that sent blocks for it, and peers with
 * too many are banned (see {@link BanList}), closed, and their half-assembled pieces thrown away.
 *
 * <p>Not thread-safe: used on the torrent's event loop ({@code loop}); storage completions hop back onto it.
 *
 * @param <P> the torrent's peer type; {@link Peers} reads and commands it
 */
final class PieceCompletion<P> {

    private static final Logger log = LoggerFactory.getLogger(PieceCompletion.class);

    /** What piece completion needs from the torrent's peers. */
    interface Peers<P> {

        /** Every connected peer. */
        Collection<P> connected();

        PeerIdentity identity(P peer);

        /** Sends BEP 3 "cancel" for a block asked of it (and not flushed yet). */
        void cancel(P peer, BlockRequest block);

        void flush(P peer);

        /** It broke the protocol: closed, and not dialled again. */
        void violation(P peer, String why);

        void close(P peer, String why);

        /** Requests more blocks, if it has some we want and room in its queue. */
        void fillRequests(P peer);

        /** Stops (or resumes) reading from it while the disk is behind. */
        void setDiskThrottled(P peer, boolean throttled);

        /** The torrent's sources — its connected peers and its web seeds — as {@code connected} lists them now. */
        static Peers<PieceSource> of(Supplier<Collection<PieceSource>> connected) {
            return new Peers<>() {
                @Override
                public Collection<PieceSource> connected() {
                    return connected.get();
                }

                @Override
                public PeerIdentity identity(PieceSource source) {
                    return source.identity();
                }

                @Override
                public void cancel(PieceSource source, BlockRequest block) {
                    source.cancel(block);
                }

                @Override
                public void flush(PieceSource source) {
                    source.flush();
                }

                @Override
                public void violation(PieceSource source, String why) {
                    source.violation(why);
                }

                @Override
                public void close(PieceSource source, String why) {
                    source.close(why);
                }

                @Override
                public void fillRequests(PieceSource source) {
                    source.fillRequests();
                }

                @Override
                public void setDiskThrottled(PieceSource source, boolean throttled) {
                    source.setDiskThrottled(throttled);
                }
            };
        }
    }

    /** Hashes and writes a complete piece; the future completes after storage's last read of {@code data}. */
    @FunctionalInterface
    interface PieceWriter {
        CompletableFuture<PieceResult> writePiece(int piece, byte[] data);
    }

    /** What the torrent hears of the verdicts (on the loop). */
    interface Verdicts {

        void verified(int piece);

        /** Failed its hash check; its blocks came from {@code contributors}. */
        void hashFailed(int piece, List<PeerIdentity> contributors);

        /** {@code peer} reached its strikes and is banned. */
        void banned(PeerIdentity peer);

        /** Storage could not take the piece ({@code error} set) or reported an I/O error ({@code result}). */
        void notStored(int piece, PieceResult result, Throwable error);
    }

    private final Peers<P> peers;
    private final PieceWriter writer;
    private final Verdicts verdicts;
    private final BanList bans;
    private final PendingWriteBudget pendingWrites;
    private final AssemblyBudget assemblyBudget;
    /** The engine's arrays for the assemblies, shared with its other torrents. */
    private final PieceBufferPool pieceBuffers;
    private final IntSupplier storageGeneration;
    private final Executor loop;
    private final Object owner;

    private final Map<Integer, PieceAssembly> assemblies = new LinkedHashMap<>();
    /** Our pieces in progress in the engine's {@link AssemblyBudget}; null until storage is ready. */
    private AssemblyBudget.Share assemblyShare;
    /** Whether the engine's {@link PendingWriteBudget} has our peers paused; our loop's copy of it. */
    private boolean diskThrottled;
    private PiecePicker<P> picker;
    private PieceGeometry geometry;
    private boolean closed;

    /**
     * @param pendingWrites the engine's budget of bytes handed to storage and not yet written
     * @param assemblyBudget the engine's budget of pieces in assembly
     * @param pieceBuffers the engine's spare piece arrays: assemblies take from it, written pieces go back
     * @param storageGeneration the torrent's storage generation: a write that completes under another
     *     (storage given up since: error, recheck) is ignored
     * @param owner what log lines name
     */
    PieceCompletion(Peers<P> peers, PieceWriter writer, Verdicts verdicts, BanList bans,
            PendingWriteBudget pendingWrites, AssemblyBudget assemblyBudget, PieceBufferPool pieceBuffers,
            IntSupplier storageGeneration, Executor loop, Object owner) {
        this.peers = Objects.requireNonNull(peers, "peers");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
        this.bans = Objects.requireNonNull(bans, "bans");
        this.pendingWrites = Objects.requireNonNull(pendingWrites, "pendingWrites");
        this.assemblyBudget = Objects.requireNonNull(assemblyBudget, "assemblyBudget");
        this.pieceBuffers = Objects.requireNonNull(pieceBuffers, "pieceBuffers");
        this.storageGeneration = Objects.requireNonNull(storageGeneration, "storageGeneration");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * The pieces are known (again): blocks are booked in {@code picker}, which from now on starts no
     * more pieces than this torrent's share of the engine's assembly budget allows.
     */
    void start(PiecePicker<P> picker, PieceGeometry geometry) {
        this.picker = picker;
        this.geometry = geometry;
        releaseAssemblyShare();
        assemblyShare = assemblyBudget.join(geometry.pieceLength(),
                PieceAssembly.maxInProgress(Runtime.getRuntime().maxMemory(), geometry.pieceLength()));
        picker.setInProgressLimit(assemblyShare);
    }

    /** Drops the pieces in assembly (peers gone: an error, a recheck). Pieces at storage are left to it. */
    void dropAssemblies() {
        assemblies.clear();
    }

    /** The torrent is closing: its assemblies die with it, and other torrents may use the room. */
    void close() {
        closed = true;
        releaseAssemblyShare();
    }

    private void releaseAssemblyShare() {
        if (assemblyShare != null) {
            assemblyShare.close();
            assemblyShare = null;
        }
    }

    /** Whether peers should not be read from now (a new connection starts so). */
    boolean isDiskThrottled() {
        return diskThrottled;
    }

    /** Pieces being assembled now. */
    int inAssembly() {
        return assemblies.size();
    }

    /**
     * A block the picker accepted from {@code from}. {@code data}'s readable bytes are the block;
     * copied into the piece's assembly, not kept.
     */
    void blockAccepted(P from, BlockRequest block, ByteBuf data, BlockArrival<P> arrival) {
        if (!arrival.cancels().isEmpty()) {
            cancelEndgameDuplicates(arrival);
        }
        PieceAssembly assembly = assemblies.get(block.piece());
        if (assembly == null) {
            assembly = startAssembly(block.piece());
        }
        if (!assembly.put(block.offset(), data)) {
            peers.violation(from, doesNotFit(block));
            return;
        }
        if (arrival.pieceComplete()) {
            pieceComplete(assemblies.remove(block.piece()));
        }
    }

    private void cancelEndgameDuplicates(BlockArrival<P> arrival) {
        for (PeerBlock<P> c : arrival.cancels()) {
            peers.cancel(c.peer(), c.block());
            peers.flush(c.peer());
        }
    }

    private PieceAssembly startAssembly(int piece) {
        // Assemblies dropped unfinished (a banned peer's pieces, a stop or pause, a piece no longer
        // wanted) are not given back: their arrays are simply left to the GC.
        PieceAssembly assembly = new PieceAssembly(piece, pieceBuffers.take(geometry.pieceSize(piece)),
                PieceGeometry.DEFAULT_BLOCK_SIZE);
        assemblies.put(piece, assembly);
        return assembly;
    }

    private static String doesNotFit(BlockRequest block) {
        return "block " + block + " does not fit the piece";
    }

    private void pieceComplete(PieceAssembly assembly) {
        int piece = assembly.piece();
        int size = assembly.size();
        int generation = storageGeneration.getAsInt();
        pendingWrites.add(size);
        byte[] data = assembly.takeData();
        writer.writePiece(piece, data).whenComplete((result, e) -> {
            pendingWrites.release(size); // here, not on our loop: freed even if the loop is gone
            loop.execute(() -> pieceWritten(generation, piece, data, result, e));
        });
    }

    private void pieceWritten(int generation, int piece, byte[] data, PieceResult result, Throwable e) {
        // Storage's future completes only after its last read of the array (hash, then write), so
        // the array is free to reuse — never earlier. If the loop is gone, the GC takes it instead.
        pieceBuffers.give(data);
        if (closed || generation != storageGeneration.getAsInt()) {
            return; // written to a storage given up since (error, recheck): its picker is gone too
        }
        if (e != null) {
            verdicts.notStored(piece, null, e);
            return;
        }
        switch (result.status()) {
            case VERIFIED -> verdicts.verified(piece);
            case HASH_FAILED -> pieceFailed(piece);
            case IO_ERROR -> verdicts.notStored(piece, result, null);
        }
    }

    private void pieceFailed(int piece) {
        Set<P> contributors = picker.pieceFailed(piece);
        List<PeerIdentity> ids = contributors.stream().map(peers::identity).toList();
        log.info("{}: piece {} failed its hash check (data from {})", owner, piece, ids);
        verdicts.hashFailed(piece, ids);
        for (PeerIdentity banned : bans.pieceFailed(ids)) {
            log.info("{}: banning {} for sending bad data", owner, banned);
            verdicts.banned(banned);
            for (P p : new ArrayList<>(peers.connected())) {
                if (bans.isBanned(peers.identity(p))) {
                    peers.close(p, "banned");
                }
            }
            discardBlocksFrom(banned);
        }
        for (P p : new ArrayList<>(peers.connected())) {
            peers.fillRequests(p);
        }
    }

    /**
     * Throws away the partly assembled pieces a banned peer sent blocks for: its data is not to be
     * trusted, and mixing it with an honest peer's blocks would fail the piece again and put a
     * strike on the honest peer. Pieces already being hashed are left to their hash check.
     */
    private void discardBlocksFrom(PeerIdentity banned) {
        for (Integer piece : new ArrayList<>(assemblies.keySet())) {
            boolean tainted = picker.contributors(piece).stream().anyMatch(p -> peers.identity(p).equals(banned));
            if (tainted) {
                picker.pieceFailed(piece); // frees every block of it again; no strikes are counted here
                assemblies.remove(piece);
            }
        }
    }

    /**
     * The engine's write budget flipped (maybe on another torrent's account): follow it on our loop.
     * DESIGN.md: when storage falls behind, stop reading sockets rather than buffering without bound.
     */
    void pendingWritesChanged() {
        loop.execute(this::applyDiskThrottle);
    }

    private void applyDiskThrottle() {
        boolean throttle = pendingWrites.throttled();
        if (throttle != diskThrottled) {
            diskThrottled = throttle;
            log.debug("{}: disk backpressure {}", owner, throttle ? "on" : "off");
            for (P p : peers.connected()) {
                peers.setDiskThrottled(p, throttle);
            }
        }
    }
}
