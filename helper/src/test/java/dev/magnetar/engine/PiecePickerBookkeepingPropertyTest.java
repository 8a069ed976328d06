package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.storage.Bitfield;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The picker keeps running counts instead of rescanning (free blocks, "nothing new for this peer in
 * endgame"). This drives it with random requests, arrivals, give-backs, chokes, disconnects, hash
 * results and priority changes, and after every step recounts naively from an independent model:
 * the free-block count must match, and a pick that returned fewer blocks than asked must have left
 * nothing this peer could have taken — so a remembered endgame scan never hides a duplicate.
 */
class PiecePickerBookkeepingPropertyTest {

    private static final int STEPS = 400;

    @Property(tries = 200)
    void runningCountsMatchANaiveRecountAndPicksLeaveNothingBehind(@ForAll long seed) {
        new Model(new Random(seed)).run();
    }

    private static final class Model {
        final Random r;
        final PieceGeometry geometry;
        final int pieceCount;
        final int[] priorities;
        final int endgamePeersPerBlock;
        final PiecePicker<String> picker;
        final List<String> names = List.of("a", "b", "c");
        final Map<String, Bitfield> has = new HashMap<>();
        final Set<String> connected = new HashSet<>();
        final Map<String, Set<BlockRequest>> queues = new HashMap<>();
        final Map<Integer, Set<BlockRequest>> received = new HashMap<>();
        final Set<Integer> verified = new HashSet<>();

        Model(Random r) {
            this.r = r;
            int blockSize = 4;
            int pieceLength = blockSize * (1 + r.nextInt(4));
            int pieces = 1 + r.nextInt(12);
            long total = (long) pieceLength * (pieces - 1) + 1 + r.nextInt(pieceLength);
            geometry = new PieceGeometry(total, pieceLength, blockSize);
            pieceCount = geometry.pieceCount();
            priorities = new int[pieceCount];
            for (int i = 0; i < pieceCount; i++) {
                priorities[i] = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(7);
            }
            picker = new PiecePicker<>(geometry, new Bitfield(pieceCount), priorities, r);
            picker.setSequential(r.nextInt(4) == 0);
            endgamePeersPerBlock = 1 + r.nextInt(3);
            picker.setEndgamePeersPerBlock(endgamePeersPerBlock);
            for (String name : names) {
                Bitfield b = new Bitfield(pieceCount);
                for (int i = 0; i < pieceCount; i++) {
                    if (r.nextInt(3) > 0) {
                        b.set(i);
                    }
                }
                has.put(name, b);
                queues.put(name, new LinkedHashSet<>());
                connect(name);
            }
        }

        void connect(String peer) {
            connected.add(peer);
            Bitfield b = has.get(peer);
            if (b.isComplete()) {
                picker.peerHasAll(peer);
            } else {
                picker.peerBitfield(peer, b);
            }
        }

        void run() {
            for (int step = 0; step < STEPS && !picker.isComplete(); step++) {
                String peer = names.get(r.nextInt(names.size()));
                int action = r.nextInt(24);
                if (!connected.contains(peer)) {
                    connect(peer);
                } else if (action < 8) {
                    pick(peer);
                } else if (action < 14) {
                    deliver(peer, pollOutstanding(peer));
                } else if (action == 14) {
                    deliver(peer, unrequestedBlock());
                } else if (action == 15) {
                    BlockRequest b = pollOutstanding(peer);
                    if (b != null) {
                        assertTrue(r.nextBoolean() ? picker.requestTimedOut(peer, b) : picker.requestRejected(peer, b));
                    }
                } else if (action == 16) {
                    assertEquals(queues.get(peer), new LinkedHashSet<>(picker.peerChoked(peer)));
                    queues.get(peer).clear();
                } else if (action == 17) {
                    assertEquals(queues.get(peer), new LinkedHashSet<>(picker.peerDisconnected(peer)));
                    queues.get(peer).clear();
                    connected.remove(peer);
                } else if (action == 18) {
                    int piece = r.nextInt(pieceCount);
                    has.get(peer).set(piece);
                    picker.peerHasPiece(peer, piece);
                } else if (action == 19) {
                    int piece = r.nextInt(pieceCount);
                    priorities[piece] = r.nextInt(PiecePicker.MAX_PRIORITY + 1);
                    picker.setPiecePriority(piece, priorities[piece]);
                } else if (action == 20) {
                    failPartialPiece();
                }
                // actions 21..23: nothing happens this step
                assertEquals(naiveFreeBlocks(), picker.freeBlocks(), "free blocks after step " + step);
                assertEquals(!picker.isComplete() && naiveFreeBlocks() == 0, picker.isEndgame());
            }
        }

        void pick(String peer) {
            boolean choking = r.nextInt(5) == 0;
            Set<Integer> allowedFast = Set.of(r.nextInt(pieceCount));
            int max = 1 + r.nextInt(6);
            List<BlockRequest> picked = picker.pick(peer, max, allowedFast, choking, 0);
            for (BlockRequest b : picked) {
                assertTrue(queues.get(peer).add(b), "same block twice at one peer");
            }
            if (picked.size() < max) {
                assertEquals(0, takeable(peer, choking ? allowedFast : null),
                        "asked for " + max + ", got " + picked.size() + ", but more was there to take");
            }
        }

        /** Blocks the picker could still give this peer: free ones, or in endgame duplicates under the bound. */
        int takeable(String peer, Set<Integer> onlyThese) {
            boolean endgame = naiveFreeBlocks() == 0;
            int count = 0;
            for (int piece = 0; piece < pieceCount; piece++) {
                if (!isMissing(piece) || !has.get(peer).has(piece)
                        || (onlyThese != null && !onlyThese.contains(piece))) {
                    continue;
                }
                for (int block = 0; block < geometry.blockCount(piece); block++) {
                    BlockRequest b = geometry.block(piece, block);
                    if (received.getOrDefault(piece, Set.of()).contains(b) || queues.get(peer).contains(b)) {
                        continue;
                    }
                    int holders = holders(b);
                    if (holders == 0 || (endgame && holders < endgamePeersPerBlock)) {
                        count++;
                    }
                }
            }
            return count;
        }

        void deliver(String peer, BlockRequest b) {
            if (b == null) {
                return;
            }
            BlockArrival<String> arrival = picker.blockReceived(peer, b);
            assertTrue(arrival.accepted(), "an outstanding or missing block is accepted: " + arrival);
            received.computeIfAbsent(b.piece(), k -> new HashSet<>()).add(b);
            for (PeerBlock<String> cancel : arrival.cancels()) {
                assertTrue(queues.get(cancel.peer()).remove(cancel.block()), "cancel for a request never made");
            }
            if (arrival.pieceComplete()) {
                received.remove(b.piece());
                if (r.nextInt(4) == 0) {
                    picker.pieceFailed(b.piece());
                } else {
                    for (PeerBlock<String> cancel : picker.pieceVerified(b.piece())) {
                        queues.get(cancel.peer()).remove(cancel.block());
                    }
                    verified.add(b.piece());
                }
            }
        }

        BlockRequest pollOutstanding(String peer) {
            Set<BlockRequest> q = queues.get(peer);
            if (q.isEmpty()) {
                return null;
            }
            BlockRequest b = new ArrayList<>(q).get(r.nextInt(q.size()));
            q.remove(b);
            return b;
        }

        /** A block of a wanted piece nobody was asked for: a late arrival after a give-back. */
        BlockRequest unrequestedBlock() {
            int piece = r.nextInt(pieceCount);
            if (!isMissing(piece)) {
                return null;
            }
            BlockRequest b = geometry.block(piece, r.nextInt(geometry.blockCount(piece)));
            if (received.getOrDefault(piece, Set.of()).contains(b) || holders(b) > 0) {
                return null;
            }
            return b;
        }

        /** What the engine does to pieces a banned peer touched: every received block is free again. */
        void failPartialPiece() {
            int piece = r.nextInt(pieceCount);
            if (!verified.contains(piece)) {
                picker.pieceFailed(piece);
                received.remove(piece);
            }
        }

        int naiveFreeBlocks() {
            int free = 0;
            for (int piece = 0; piece < pieceCount; piece++) {
                if (!isMissing(piece)) {
                    continue;
                }
                for (int block = 0; block < geometry.blockCount(piece); block++) {
                    BlockRequest b = geometry.block(piece, block);
                    if (!received.getOrDefault(piece, Set.of()).contains(b) && holders(b) == 0) {
                        free++;
                    }
                }
            }
            return free;
        }

        boolean isMissing(int piece) {
            return priorities[piece] > 0 && !verified.contains(piece);
        }

        int holders(BlockRequest b) {
            int n = 0;
            for (Set<BlockRequest> q : queues.values()) {
                if (q.contains(b)) {
                    n++;
                }
            }
            return n;
        }
    }
}
