package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.storage.Bitfield;
import dev.magnetar.storage.PieceResult;
import dev.magnetar.storage.StorageException;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PieceCompletionTest {

    private static final int BLOCK = PieceGeometry.DEFAULT_BLOCK_SIZE;
    /** Four pieces of two blocks each. */
    private static final PieceGeometry GEOMETRY = PieceGeometry.of(8L * BLOCK, 2 * BLOCK);

    /** A piece handed to storage, whose verdict the test gives. */
    private record Write(int piece, byte[] data, CompletableFuture<PieceResult> result) { }

    private final Map<String, PeerIdentity> identities = new LinkedHashMap<>();
    private final Set<String> connected = new LinkedHashSet<>();
    private final List<String> toPeers = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();
    private final Queue<Write> writes = new ArrayDeque<>();
    private final Queue<Runnable> loop = new ArrayDeque<>();
    private final BanList bans = new BanList();
    private final List<Boolean> throttleFlips = new ArrayList<>();
    private final PendingWriteBudget pendingWrites = new PendingWriteBudget(3L * 2 * BLOCK, () -> throttleFlips.add(true));
    private final AssemblyBudget assemblyBudget = new AssemblyBudget(1L << 30);
    private int generation = 1;
    private final PiecePicker<String> picker = new PiecePicker<>(GEOMETRY, new Bitfield(GEOMETRY.pieceCount()),
            new SplittableRandom(3));

    private final PieceCompletion.Peers<String> peers = new PieceCompletion.Peers<>() {
        @Override
        public Collection<String> connected() {
            return connected;
        }

        @Override
        public PeerIdentity identity(String peer) {
            return identities.get(peer);
        }

        @Override
        public void cancel(String peer, BlockRequest block) {
            toPeers.add("cancel " + block + " to " + peer);
        }

        @Override
        public void flush(String peer) {
            toPeers.add("flush " + peer);
        }

        @Override
        public void violation(String peer, String why) {
            toPeers.add("violation by " + peer + ": " + why);
        }

        @Override
        public void close(String peer, String why) {
            toPeers.add("close " + peer + ": " + why);
            connected.remove(peer);
            picker.peerDisconnected(peer);
        }

        @Override
        public void fillRequests(String peer) {
            toPeers.add("fill " + peer);
        }

        @Override
        public void setDiskThrottled(String peer, boolean throttled) {
            toPeers.add((throttled ? "throttle " : "unthrottle ") + peer);
        }
    };

    private final PieceCompletion.Verdicts verdicts = new PieceCompletion.Verdicts() {
        @Override
        public void verified(int piece) {
            heard.add("verified " + piece);
        }

        @Override
        public void hashFailed(int piece, List<PeerIdentity> contributors) {
            heard.add("failed " + piece + " from " + contributors.size());
        }

        @Override
        public void banned(PeerIdentity peer) {
            heard.add("banned " + peer.address().getPort());
        }

        @Override
        public void notStored(int piece, PieceResult result, Throwable error) {
            heard.add("not stored " + piece + ": " + (error != null ? error.getMessage() : result.message()));
        }
    };

    private final PieceCompletion<String> completion = new PieceCompletion<>(peers, (piece, data) -> {
        CompletableFuture<PieceResult> result = new CompletableFuture<>();
        writes.add(new Write(piece, data, result));
        return result;
    }, verdicts, bans, pendingWrites, assemblyBudget, PieceBufferPool.forEngine(1L << 20), () -> generation, loop::add, "test torrent");

    private String peer(String name, int port) {
        identities.put(name, new PeerIdentity(new InetSocketAddress("127.0.0.2", port), name + "-id"));
        connected.add(name);
        picker.peerHasAll(name);
        return name;
    }

    private static byte[] blockData(BlockRequest b, int fill) {
        byte[] data = new byte[b.length()];
        Arrays.fill(data, (byte) fill);
        return data;
    }

    /** The peer sends every block of {@code piece}, which it was asked for. */
    private void sendPiece(String peer, int piece, int fill) {
        for (int i = 0; i < GEOMETRY.blockCount(piece); i++) {
            sendBlock(peer, GEOMETRY.block(piece, i), fill);
        }
    }

    private void sendBlock(String peer, BlockRequest block, int fill) {
        BlockArrival<String> arrival = picker.blockReceived(peer, block);
        assertTrue(arrival.accepted(), "the picker took " + block + " from " + peer);
        completion.blockAccepted(peer, block, Unpooled.wrappedBuffer(blockData(block, fill)), arrival);
    }

    /** Asks {@code peer} for one piece's blocks, as PeerConnection would. */
    private List<BlockRequest> ask(String peer) {
        return picker.pick(peer, GEOMETRY.blockCount(0), Set.of(), false, 0);
    }

    private void runLoop() {
        Runnable task;
        while ((task = loop.poll()) != null) {
            task.run();
        }
    }

    private void verdict(PieceResult result) {
        writes.remove().result().complete(result);
        runLoop();
    }

    @Test
    void aCompletePieceGoesToStorageWholeAndItsVerdictToTheTorrent() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        List<BlockRequest> asked = ask(seed);
        int piece = asked.get(0).piece();
        sendPiece(seed, piece, 7);
        assertEquals(1, writes.size());
        Write w = writes.peek();
        assertEquals(piece, w.piece());
        byte[] expected = new byte[GEOMETRY.pieceSize(piece)];
        Arrays.fill(expected, (byte) 7);
        assertArrayEquals(expected, w.data());
        assertEquals(0, completion.inAssembly());
        assertEquals(GEOMETRY.pieceSize(piece), pendingWrites.pending(), "counted while at storage");

        verdict(PieceResult.verified());
        assertEquals(List.of("verified " + piece), heard);
        assertEquals(0, pendingWrites.pending(), "released once storage is done");
    }

    @Test
    void aBlockThatDoesNotFitItsPieceIsAViolation() {
        completion.start(picker, GEOMETRY);
        String peer = peer("odd", 1);
        BlockRequest block = ask(peer).get(0);
        BlockArrival<String> arrival = picker.blockReceived(peer, block);
        completion.blockAccepted(peer, block, Unpooled.wrappedBuffer(new byte[block.length() + 1]), arrival);
        assertEquals(List.of("violation by odd: block " + block + " does not fit the piece"), toPeers);
        assertTrue(writes.isEmpty());
    }

    @Test
    void endgameDuplicatesAreCancelledAtTheOtherPeers() {
        completion.start(picker, GEOMETRY);
        String a = peer("a", 1);
        String b = peer("b", 2);
        List<BlockRequest> all = new ArrayList<>();
        for (int piece = 0; piece < GEOMETRY.pieceCount(); piece++) {
            all.addAll(picker.pick(a, 100, Set.of(), false, 0));
        }
        List<BlockRequest> dup = picker.pick(b, 100, Set.of(), false, 0);
        assertTrue(picker.isEndgame(), "every block asked: endgame");
        assertFalse(dup.isEmpty(), "b is asked for blocks a has outstanding");
        BlockRequest block = dup.get(0);
        sendBlock(b, block, 1);
        assertTrue(toPeers.contains("cancel " + block + " to a"), "sent " + toPeers);
        assertTrue(toPeers.contains("flush a"));
    }

    @Test
    void soleSenderOfAFailedPieceIsBannedClosedAndItsBlocksAskedOfOthers() {
        completion.start(picker, GEOMETRY);
        String liar = peer("liar", 66);
        String honest = peer("honest", 1);
        int piece = ask(liar).get(0).piece();
        sendPiece(liar, piece, 0);
        verdict(PieceResult.hashFailed());
        assertEquals(List.of("failed " + piece + " from 1", "banned 66"), heard);
        assertTrue(bans.isBanned(new PeerIdentity(new InetSocketAddress("127.0.0.2", 66), "liar-id")));
        assertTrue(toPeers.contains("close liar: banned"));
        assertFalse(connected.contains(liar));
        assertEquals("fill " + honest, toPeers.get(toPeers.size() - 1), "the others take the freed blocks");
    }

    @Test
    void aBannedPeersHalfAssembledPiecesAreThrownAwayNotMixedWithHonestBlocks() {
        completion.start(picker, GEOMETRY);
        String liar = peer("liar", 66);
        String honest = peer("honest", 1);
        int bad = ask(liar).get(0).piece();
        sendPiece(liar, bad, 0); // at storage, being hashed
        List<BlockRequest> half = ask(liar);
        int tainted = half.get(0).piece();
        sendBlock(liar, half.get(0), 0); // one block of two
        assertEquals(1, completion.inAssembly(), "the half piece");

        verdict(PieceResult.hashFailed()); // the liar is banned

        assertEquals(0, completion.inAssembly(), "its half piece is gone");
        assertTrue(picker.contributors(tainted).isEmpty(), "and every block of it free again");
        List<BlockRequest> again = picker.pick(honest, 100, Set.of(), false, 0);
        assertTrue(again.contains(half.get(0)), "the honest peer is asked for the liar's block too");
    }

    @Test
    void anHonestContributorIsNotBannedForOnePieceWithALiar() {
        completion.start(picker, GEOMETRY);
        String liar = peer("liar", 66);
        String honest = peer("honest", 1);
        List<BlockRequest> fromLiar = ask(liar);
        int piece = fromLiar.get(0).piece();
        sendBlock(liar, fromLiar.get(0), 0);
        picker.peerDisconnected(liar); // its other block goes back to the pool
        List<BlockRequest> fromHonest = ask(honest);
        BlockRequest rest = fromHonest.stream().filter(b -> b.piece() == piece).findFirst().orElseThrow();
        sendBlock(honest, rest, 1);
        verdict(PieceResult.hashFailed());
        assertEquals(List.of("failed " + piece + " from 2"), heard);
        assertEquals(1, bans.strikes(identities.get(honest)));
        assertFalse(bans.isBanned(identities.get(honest)));
    }

    @Test
    void aStorageErrorGoesToTheTorrent() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        int piece = ask(seed).get(0).piece();
        sendPiece(seed, piece, 1);
        verdict(PieceResult.ioError(new StorageException(StorageException.Reason.DISK_FULL, "the disk is full",
                "free some space")));
        assertEquals(1, heard.size());
        assertTrue(heard.get(0).startsWith("not stored " + piece + ": "), heard.get(0));
        assertEquals(0, pendingWrites.pending());
    }

    @Test
    void aWriteThatThrowsGoesToTheTorrent() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        int piece = ask(seed).get(0).piece();
        sendPiece(seed, piece, 1);
        writes.remove().result().completeExceptionally(new IllegalStateException("pool shut down"));
        runLoop();
        assertEquals(List.of("not stored " + piece + ": pool shut down"), heard);
    }

    @Test
    void aVerdictForAStorageGivenUpSinceIsIgnoredButItsBytesAreReleased() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        int piece = ask(seed).get(0).piece();
        sendPiece(seed, piece, 1);
        generation++; // an error or a recheck gave the storage up
        verdict(PieceResult.hashFailed());
        assertTrue(heard.isEmpty(), "heard " + heard);
        assertEquals(0, pendingWrites.pending());
    }

    @Test
    void noVerdictReachesAClosedTorrent() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        int piece = ask(seed).get(0).piece();
        sendPiece(seed, piece, 1);
        completion.close();
        verdict(PieceResult.verified());
        assertTrue(heard.isEmpty(), "heard " + heard);
    }

    @Test
    void theArrayOfAWrittenPieceIsReusedForTheNext() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        sendPiece(seed, ask(seed).get(0).piece(), 1);
        byte[] first = writes.peek().data();
        verdict(PieceResult.verified());
        sendPiece(seed, ask(seed).get(0).piece(), 2);
        assertSame(first, writes.peek().data(), "the pool gave the same array back");
        assertEquals(2, writes.peek().data()[0]);
    }

    @Test
    void droppedAssembliesAreForgotten() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        sendBlock(seed, ask(seed).get(0), 1);
        assertEquals(1, completion.inAssembly());
        completion.dropAssemblies();
        assertEquals(0, completion.inAssembly());
    }

    @Test
    void theTorrentsShareOfTheAssemblyBudgetIsGivenBackOnClose() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        ask(seed);
        assertEquals(GEOMETRY.pieceLength(), assemblyBudget.total(), "one piece in progress counts");
        completion.close();
        assertEquals(0, assemblyBudget.total());
    }

    @Test
    void aRestartGivesBackTheOldShareBeforeTakingANewOne() {
        completion.start(picker, GEOMETRY);
        ask(peer("seed", 1));
        PiecePicker<String> fresh = new PiecePicker<>(GEOMETRY, new Bitfield(GEOMETRY.pieceCount()), new SplittableRandom(4));
        completion.start(fresh, GEOMETRY);
        assertEquals(0, assemblyBudget.total());
    }

    @Test
    void peersStopBeingReadWhileTheDiskIsBehindAndResumeWhenItCatchesUp() {
        completion.start(picker, GEOMETRY);
        String seed = peer("seed", 1);
        assertFalse(completion.isDiskThrottled());
        for (int i = 0; i < 4; i++) {
            sendPiece(seed, ask(seed).get(0).piece(), 1); // never hashed yet: all four pending
        }
        assertEquals(List.of(true), throttleFlips, "past the bound");
        completion.pendingWritesChanged();
        assertTrue(toPeers.stream().noneMatch(s -> s.startsWith("throttle")), "applied on the loop, not at once");
        runLoop();
        assertTrue(completion.isDiskThrottled());
        assertEquals("throttle seed", toPeers.get(toPeers.size() - 1));

        while (!writes.isEmpty()) {
            verdict(PieceResult.verified());
        }
        completion.pendingWritesChanged();
        runLoop();
        assertFalse(completion.isDiskThrottled());
        assertEquals("unthrottle seed", toPeers.get(toPeers.size() - 1));
    }

    @Test
    void aSecondNoticeOfTheSameThrottleStateSendsNothing() {
        completion.start(picker, GEOMETRY);
        peer("seed", 1);
        completion.pendingWritesChanged();
        runLoop();
        assertTrue(toPeers.isEmpty(), "sent " + toPeers);
        assertNull(writes.peek());
    }
}
