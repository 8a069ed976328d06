package dev.magnetar.dht;

import dev.magnetar.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One iterative Kademlia lookup (BEP 5): keep the contacts found so far sorted by distance to the
 * target, query the closest not yet asked with at most {@value #ALPHA} queries in flight, feed the
 * nodes each reply names back in, and stop when the {@value RoutingTable#K} closest live contacts have
 * all answered (no closer nodes turn up) or the query budget is spent. For get_peers, the peers and the
 * tokens of the closest responders are collected on the way (the tokens make the later announce_peer).
 *
 * <p>A lookup stays in one address family (BEP 32): it asks nodes of that family, says so in "want",
 * and follows only the contacts of that family ("nodes" or "nodes6"); a dual-stack node runs one per
 * family.
 *
 * <p>Not thread-safe: it runs on the DHT thread, where the transport completes replies.
 */
final class Lookup {

    static final int ALPHA = 3;
    static final int DEFAULT_MAX_QUERIES = 128;

    enum Kind { FIND_NODE, GET_PEERS }

    /** A responder among the closest, with the token it gave (null for find_node). */
    record Responder(NodeInfo node, Token token) {}

    record Result(List<InetSocketAddress> peers, List<Responder> closest, int queriesSent) {}

    private enum State { FRESH, QUERYING, RESPONDED, FAILED }

    private static final class Candidate {
        final NodeInfo node;
        State state = State.FRESH;
        Token token;

        Candidate(NodeInfo node) {
            this.node = node;
        }
    }

    private final KrpcTransport transport;
    private final NodeId target;
    private final Kind kind;
    private final IpFamily family;
    private final int maxQueries;
    private final TreeMap<NodeId, Candidate> candidates;
    private final Set<InetSocketAddress> addresses = new HashSet<>();
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private int inFlight;
    private int queriesSent;
    private boolean stepping;
    private boolean stepAgain;

    Lookup(KrpcTransport transport, NodeId target, Kind kind, IpFamily family, int maxQueries) {
        this.transport = transport;
        this.target = target;
        this.kind = kind;
        this.family = family;
        this.maxQueries = maxQueries;
        this.candidates = new TreeMap<>(target::compareDistance);
    }

    static Lookup findNode(KrpcTransport transport, NodeId target, IpFamily family) {
        return new Lookup(transport, target, Kind.FIND_NODE, family, DEFAULT_MAX_QUERIES);
    }

    static Lookup getPeers(KrpcTransport transport, InfoHash infoHash, IpFamily family) {
        return new Lookup(transport, NodeId.of(infoHash), Kind.GET_PEERS, family, DEFAULT_MAX_QUERIES);
    }

    /**
     * Starts from known contacts (usually the routing table's closest) and contacts whose id we do not
     * know yet (bootstrap routers), which are all asked at once.
     */
    CompletableFuture<Result> start(List<NodeInfo> known, List<InetSocketAddress> unknownIds) {
        for (NodeInfo n : known) {
            offer(n);
        }
        for (InetSocketAddress a : unknownIds) {
            if (queriesSent < maxQueries && IpFamily.of(a) == family && !transport.isSelf(a) && addresses.add(a)) {
                send(a, null, null);
            }
        }
        step();
        return result;
    }

    private void offer(NodeInfo n) {
        if (IpFamily.of(n.address()) != family || n.id().equals(transport.ownId()) || transport.isSelf(n.address())
                || candidates.containsKey(n.id())
                || !addresses.add(n.address())) {
            return;
        }
        candidates.put(n.id(), new Candidate(n));
    }

    private void step() {
        if (stepping) {
            stepAgain = true; // a reply arrived synchronously inside send(): loop once more
            return;
        }
        stepping = true;
        try {
            do {
                stepAgain = false;
                stepOnce();
            } while (stepAgain && !result.isDone());
        } finally {
            stepping = false;
        }
    }

    private void stepOnce() {
        if (result.isDone()) {
            return;
        }
        int considered = 0;
        boolean unasked = false;
        for (Candidate c : new ArrayList<>(candidates.values())) {
            if (considered >= RoutingTable.K) {
                break;
            }
            if (c.state == State.FAILED) {
                continue;
            }
            considered++;
            if (c.state == State.FRESH) {
                if (inFlight < ALPHA && queriesSent < maxQueries) {
                    c.state = State.QUERYING;
                    send(c.node.address(), c.node.id(), c);
                } else {
                    unasked = true;
                }
            }
        }
        if (inFlight == 0 && (!unasked || queriesSent >= maxQueries)) {
            finish();
        }
    }

    private void send(InetSocketAddress to, NodeId expectedId, Candidate candidate) {
        inFlight++;
        queriesSent++;
        NodeId own = transport.ownId();
        Set<IpFamily> want = Set.of(family);
        CompletableFuture<KrpcMessage.Response> reply = transport.query(to, expectedId, tid -> kind == Kind.GET_PEERS
                ? new KrpcMessage.GetPeers(tid, own, InfoHash.of(target.bytes()), want)
                : new KrpcMessage.FindNode(tid, own, target, want));
        reply.whenComplete((response, failure) -> {
            inFlight--;
            if (failure == null) {
                onResponse(to, candidate, response);
            } else if (candidate != null) {
                candidate.state = State.FAILED;
            }
            step();
        });
    }

    private void onResponse(InetSocketAddress from, Candidate candidate, KrpcMessage.Response response) {
        Candidate c = candidate;
        if (c == null) {
            // A bootstrap contact: now we know its id and can rank it.
            c = candidates.get(response.responder());
            if (c != null && !c.node.address().equals(from)) {
                c = null; // the id is already known at another address; keep that one
            } else if (c == null && !response.responder().equals(transport.ownId())) {
                c = new Candidate(new NodeInfo(response.responder(), from));
                candidates.put(response.responder(), c);
            }
        }
        if (c != null) {
            c.state = State.RESPONDED;
            c.token = response.token();
        }
        peers.addAll(response.values());
        for (NodeInfo n : family == IpFamily.V4 ? response.nodes() : response.nodes6()) {
            offer(n);
        }
    }

    private void finish() {
        List<Responder> closest = new ArrayList<>();
        for (Map.Entry<NodeId, Candidate> e : candidates.entrySet()) {
            if (closest.size() >= RoutingTable.K) {
                break;
            }
            if (e.getValue().state == State.RESPONDED) {
                closest.add(new Responder(e.getValue().node, e.getValue().token));
            }
        }
        result.complete(new Result(List.copyOf(peers), closest, queriesSent));
    }
}
