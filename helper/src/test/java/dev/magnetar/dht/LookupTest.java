package dev.magnetar.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The iterative lookup against a simulated network whose replies the test releases one by one. */
class LookupTest {

    /** Fifty simulated nodes that each answer with the 8 closest nodes they know (all of them). */
    private static final class SimulatedNetwork implements KrpcTransport {
        final NodeId own = NodeId.random();
        final List<NodeInfo> nodes = new ArrayList<>();
        final Map<InetSocketAddress, NodeInfo> byAddress = new HashMap<>();
        final Set<InetSocketAddress> dead = new HashSet<>();
        final Map<InetSocketAddress, List<InetSocketAddress>> values = new HashMap<>();
        final Deque<Runnable> inFlight = new ArrayDeque<>();
        final List<InetSocketAddress> queried = new ArrayList<>();
        int maxInFlight;

        SimulatedNetwork(int size) {
            for (int i = 0; i < size; i++) {
                NodeInfo n = new NodeInfo(NodeId.random(), new InetSocketAddress("127.0.0.1", 20000 + i));
                nodes.add(n);
                byAddress.put(n.address(), n);
            }
        }

        @Override
        public NodeId ownId() {
            return own;
        }

        @Override
        public boolean isSelf(InetSocketAddress address) {
            return false;
        }

        @Override
        public CompletableFuture<KrpcMessage.Response> query(InetSocketAddress to, NodeId expectedId,
                                                             Function<TransactionId, KrpcMessage.Query> make) {
            KrpcMessage.Query q = make.apply(TransactionId.ofShort(queried.size()));
            queried.add(to);
            CompletableFuture<KrpcMessage.Response> reply = new CompletableFuture<>();
            inFlight.add(() -> {
                if (dead.contains(to)) {
                    reply.completeExceptionally(new QueryTimeoutException(q.method(), to));
                    return;
                }
                NodeId target = q instanceof KrpcMessage.GetPeers g ? NodeId.of(g.infoHash()) : ((KrpcMessage.FindNode) q).target();
                List<NodeInfo> closest = closestTo(target, 8);
                Token token = q instanceof KrpcMessage.GetPeers ? Token.of(new byte[] {(byte) to.getPort()}) : null;
                reply.complete(new KrpcMessage.Response(q.transactionId(), byAddress.get(to).id(), closest, List.of(),
                        values.getOrDefault(to, List.of()), token));
            });
            maxInFlight = Math.max(maxInFlight, inFlight.size());
            return reply;
        }

        /** The live nodes closest to {@code target} (the others have long evicted dead ones). */
        List<NodeInfo> closestTo(NodeId target, int count) {
            List<NodeInfo> sorted = new ArrayList<>(nodes);
            sorted.removeIf(n -> dead.contains(n.address()));
            sorted.sort(Comparator.comparing(NodeInfo::id, target::compareDistance));
            return sorted.subList(0, count);
        }

        /** Delivers replies one at a time, like a network would, until the lookup is done. */
        <T> T run(CompletableFuture<T> lookup) {
            while (!inFlight.isEmpty()) {
                inFlight.poll().run();
            }
            assertTrue(lookup.isDone(), "lookup finished once nothing was in flight");
            return lookup.join();
        }
    }

    @Test
    void findsTheTrueClosestNodesWithAtMostThreeQueriesInFlight() {
        SimulatedNetwork net = new SimulatedNetwork(50);
        NodeId target = NodeId.random();
        Lookup.Result result = net.run(Lookup.findNode(net, target, IpFamily.V4).start(List.of(net.nodes.get(0)), List.of()));
        assertEquals(net.closestTo(target, 8), result.closest().stream().map(Lookup.Responder::node).toList());
        assertTrue(net.maxInFlight <= Lookup.ALPHA, "in flight at most alpha, saw " + net.maxInFlight);
        assertTrue(result.queriesSent() < 50, "stopped without asking everyone: " + result.queriesSent());
        assertEquals(result.queriesSent(), new HashSet<>(net.queried).size(), "no node asked twice");
    }

    @Test
    void deadNodesAreSkippedAndTheNextClosestTakeTheirPlace() {
        SimulatedNetwork net = new SimulatedNetwork(50);
        NodeId target = NodeId.random();
        NodeInfo closestOfAll = net.closestTo(target, 1).get(0);
        net.dead.add(closestOfAll.address());
        NodeInfo aliveSeed = net.nodes.stream().filter(n -> !n.equals(closestOfAll)).findFirst().orElseThrow();
        // Our stale routing table still offers the dead node as the best start.
        Lookup.Result result = net.run(Lookup.findNode(net, target, IpFamily.V4).start(List.of(closestOfAll, aliveSeed), List.of()));
        List<NodeInfo> found = result.closest().stream().map(Lookup.Responder::node).toList();
        assertFalse(found.contains(closestOfAll));
        assertTrue(net.queried.contains(closestOfAll.address()));
        assertEquals(net.closestTo(target, 8), found);
    }

    @Test
    void getPeersCollectsValuesAndTokensAndStartsFromBootstrapAddresses() {
        SimulatedNetwork net = new SimulatedNetwork(30);
        InfoHash ih = InfoHash.of(NodeId.random().bytes());
        NodeInfo holder = net.closestTo(NodeId.of(ih), 3).get(2);
        InetSocketAddress seeder = new InetSocketAddress("127.0.0.1", 6881);
        net.values.put(holder.address(), List.of(seeder));
        Lookup.Result result = net.run(Lookup.getPeers(net, ih, IpFamily.V4).start(List.of(), List.of(net.nodes.get(5).address())));
        assertEquals(List.of(seeder), result.peers());
        assertEquals(8, result.closest().size());
        assertTrue(result.closest().stream().allMatch(r -> r.token() != null), "every responder gave a token");
    }

    @Test
    void anEmptyStartEndsAtOnce() {
        SimulatedNetwork net = new SimulatedNetwork(5);
        Lookup.Result result = net.run(Lookup.findNode(net, NodeId.random(), IpFamily.V4).start(List.of(), List.of()));
        assertEquals(0, result.queriesSent());
        assertTrue(result.closest().isEmpty());
    }
}
