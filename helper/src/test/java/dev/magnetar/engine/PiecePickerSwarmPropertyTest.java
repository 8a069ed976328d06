package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.storage.Bitfield;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * Drives a picker through a random swarm — partial bitfields, choking with allowed-fast sets,
 * rejects, timeouts, disconnects, corrupt pieces — and checks the picker's promises against an
 * independent model of what was requested from whom.
 */
class PiecePickerSwarmPropertyTest {

    private static final int MAX_STEPS = 50_000;

    @Property(tries = 150)
    void aRandomSwarmDownloadsEveryWantedBlockAndOnlyDuplicatesInEndgame(@ForAll long seed) {
        new Swarm(new Random(seed)).run();
    }

    private static final class Swarm {
        final Random r;
        final PieceGeometry geometry;
        final int pieceCount;
        final int[] priorities;
        final PiecePicker<String> picker;
        final List<String> peerNames = new ArrayList<>();
        final Map<String, Bitfield> has = new HashMap<>();
        final Set<String> connected = new HashSet<>();
        final Set<String> bad = new HashSet<>();
        final Map<String, Deque<BlockRequest>> queues = new HashMap<>();
        final Map<BlockRequest, Set<String>> requestedBy = new HashMap<>();
        final Map<Integer, Set<BlockRequest>> received = new HashMap<>();
        final Map<Integer, Set<String>> senders = new HashMap<>();
        final Set<Integer> verified = new HashSet<>();

        Swarm(Random r) {
            this.r = r;
            int blockSize = 4;
            int pieceLength = blockSize * (1 + r.nextInt(5));
            int pieces = 1 + r.nextInt(30);
            long total = (long) pieceLength * (pieces - 1) + 1 + r.nextInt(pieceLength);
            geometry = new PieceGeometry(total, pieceLength, blockSize);
            pieceCount = geometry.pieceCount();
            priorities = new int[pieceCount];
            for (int i = 0; i < pieceCount; i++) {
                priorities[i] = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(7);
            }
            picker = new PiecePicker<>(geometry, new Bitfield(pieceCount), priorities, r);
            picker.setSequential(r.nextInt(4) == 0);
            int peerCount = 1 + r.nextInt(6);
            for (int p = 0; p < peerCount; p++) {
                String name = "peer" + p;
                peerNames.add(name);
                has.put(name, new Bitfield(pieceCount));
                queues.put(name, new ArrayDeque<>());
                if (p % 2 == 1 && r.nextBoolean()) {
                    bad.add(name);
                }
            }
            for (int i = 0; i < pieceCount; i++) {
                has.get(peerNames.get(r.nextInt(peerCount))).set(i);
                for (String name : peerNames) {
                    if (r.nextInt(3) == 0) {
                        has.get(name).set(i);
                    }
                }
            }
            peerNames.forEach(this::connect);
        }

        void connect(String peer) {
            connected.add(peer);
            Bitfield b = has.get(peer);
            if (b.isComplete() && r.nextBoolean()) {
                picker.peerHasAll(peer);
            } else if (b.isEmpty()) {
                picker.peerHaveNone(peer);
            } else if (r.nextBoolean()) {
                picker.peerBitfield(peer, b);
            } else {
                for (int i = b.nextSet(0); i >= 0; i = b.nextSet(i + 1)) {
                    picker.peerHasPiece(peer, i);
                }
            }
        }

        void run() {
            int steps = 0;
            while (!picker.isComplete()) {
                assertTrue(++steps < MAX_STEPS, "swarm did not finish in " + MAX_STEPS + " steps");
                String peer = peerNames.get(r.nextInt(peerNames.size()));
                int action = r.nextInt(20);
                if (!connected.contains(peer)) {
                    if (action < 4) {
                        connect(peer);
                    }
                } else if (action < 7) {
                    pick(peer);
                } else if (action < 14) {
                    deliver(peer);
                } else if (action < 16) {
                    giveBackOne(peer, action == 14);
                } else if (action == 16) {
                    assertEquals(new LinkedHashSet<>(queues.get(peer)), new LinkedHashSet<>(picker.peerChoked(peer)));
                    forgetQueue(peer);
                } else if (action == 17) {
                    assertEquals(new LinkedHashSet<>(queues.get(peer)),
                            new LinkedHashSet<>(picker.peerDisconnected(peer)));
                    forgetQueue(peer);
                    connected.remove(peer);
                }
            }
            for (int i = 0; i < pieceCount; i++) {
                assertEquals(priorities[i] > 0, verified.contains(i), "piece " + i + " verified iff wanted");
            }
        }

        void pick(String peer) {
            boolean choking = r.nextInt(5) == 0;
            Set<Integer> allowedFast = new HashSet<>();
            for (int k = 0; k < 3; k++) {
                allowedFast.add(r.nextInt(pieceCount));
            }
            List<BlockRequest> picked = picker.pick(peer, 1 + r.nextInt(6), allowedFast, choking, 0);
            boolean duplicated = false;
            for (BlockRequest b : picked) {
                assertTrue(has.get(peer).has(b.piece()), "picked a piece the peer lacks");
                assertTrue(priorities[b.piece()] > 0, "picked a priority-0 piece");
                assertFalse(verified.contains(b.piece()), "picked a verified piece");
                assertTrue(!choking || allowedFast.contains(b.piece()), "picked a non-fast piece while choked");
                assertFalse(received.getOrDefault(b.piece(), Set.of()).contains(b), "picked a received block");
                Set<String> holders = requestedBy.computeIfAbsent(b, k -> new HashSet<>());
                assertFalse(holders.contains(peer), "same block twice at one peer");
                duplicated |= !holders.isEmpty();
                holders.add(peer);
                assertTrue(holders.size() <= PiecePicker.DEFAULT_ENDGAME_PEERS_PER_BLOCK, "too many duplicates");
                queues.get(peer).add(b);
            }
            if (duplicated) {
                // free blocks only come back through give-backs, never during a pick, so none free now
                // means none were free when the duplicate was chosen
                assertTrue(picker.isEndgame(), "a block was requested twice outside endgame");
            }
        }

        void deliver(String peer) {
            BlockRequest b = queues.get(peer).poll();
            if (b == null) {
                return;
            }
            requestedBy.get(b).remove(peer);
            BlockArrival<String> arrival = picker.blockReceived(peer, b);
            Set<BlockRequest> got = received.computeIfAbsent(b.piece(), k -> new HashSet<>());
            assertTrue(arrival.accepted(), "an outstanding block is always accepted: " + arrival);
            assertTrue(got.add(b));
            senders.computeIfAbsent(b.piece(), k -> new LinkedHashSet<>()).add(peer);
            for (PeerBlock<String> cancel : arrival.cancels()) {
                assertEquals(b, cancel.block());
                assertTrue(requestedBy.get(b).remove(cancel.peer()), "cancel for a request never made");
                assertTrue(queues.get(cancel.peer()).remove(b));
            }
            assertTrue(requestedBy.get(b).isEmpty(), "every duplicate is cancelled");
            assertEquals(got.size() == geometry.blockCount(b.piece()), arrival.pieceComplete());
            if (arrival.pieceComplete()) {
                hash(b.piece());
            }
        }

        void hash(int piece) {
            Set<String> from = senders.remove(piece);
            assertEquals(from, picker.contributors(piece));
            received.remove(piece);
            boolean corrupt = from.stream().anyMatch(bad::contains) && r.nextInt(3) == 0;
            if (corrupt) {
                assertEquals(from, picker.pieceFailed(piece));
            } else {
                assertEquals(List.of(), picker.pieceVerified(piece), "no request outlives a complete piece");
                verified.add(piece);
            }
        }

        void giveBackOne(String peer, boolean rejected) {
            BlockRequest b = queues.get(peer).poll();
            if (b == null) {
                return;
            }
            requestedBy.get(b).remove(peer);
            assertTrue(rejected ? picker.requestRejected(peer, b) : picker.requestTimedOut(peer, b));
        }

        void forgetQueue(String peer) {
            for (BlockRequest b : queues.get(peer)) {
                requestedBy.get(b).remove(peer);
            }
            queues.get(peer).clear();
            assertEquals(Set.of(), picker.outstanding(peer));
        }
    }
}
