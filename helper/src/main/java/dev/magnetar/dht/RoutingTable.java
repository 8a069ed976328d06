package dev.magnetar.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The Kademlia routing table of BEP 5: up to 160 k-buckets of {@value #K} contacts. It starts as one
 * bucket covering the whole id space; only the bucket that covers our own id is split when full, so we
 * know many nodes near us and a few far away. Bucket {@code i} holds the nodes sharing exactly {@code i}
 * leading bits with our id; the last bucket holds everything closer.
 *
 * <p>Anything a remote node claims is checked before it can touch the table: our own id, an id already
 * held by another address, an id that breaks BEP 42 for its IP (when enforced) and a second node on one
 * IP (when restricted) are refused. Thread-safe; every method is short.
 */
public final class RoutingTable {

    public static final int K = 8;
    static final int REPLACEMENTS_PER_BUCKET = 8;
    static final Duration REFRESH_AFTER = Duration.ofMinutes(15);

    /** What {@link #heardFrom} did with a contact. */
    public enum InsertResult {
        /** New in a bucket. */
        ADDED,
        /** Already known; liveness updated. */
        UPDATED,
        /** Took the place of a bad node. */
        REPLACED_BAD,
        /** The bucket is full of live nodes; kept in its replacement cache. */
        CACHED,
        /** Not allowed into the table (own id, id/address conflict, BEP 42, same IP, unusable address). */
        REFUSED
    }

    /**
     * @param enforceNodeId refuse ids that break BEP 42 for their (non-local) IP
     * @param restrictSameIp at most one node per IP address, so one host cannot fill the table
     */
    public record Policy(boolean enforceNodeId, boolean restrictSameIp) {
        public static final Policy STRICT = new Policy(true, true);
        /** For a private DHT of many nodes on 127.0.0.1 in tests (like libtorrent's dht_restrict_* = false). */
        public static final Policy LOOPBACK_TESTING = new Policy(true, false);
    }

    private static final class Bucket {
        final List<RoutingEntry> nodes = new ArrayList<>(K);
        final List<RoutingEntry> replacements = new ArrayList<>(REPLACEMENTS_PER_BUCKET);
        Instant lastChanged;

        Bucket(Instant now) {
            lastChanged = now;
        }
    }

    private final NodeId own;
    private final Policy policy;
    private final Clock clock;
    private final List<Bucket> buckets = new ArrayList<>();

    public RoutingTable(NodeId own, Policy policy, Clock clock) {
        this.own = own;
        this.policy = policy;
        this.clock = clock;
        buckets.add(new Bucket(clock.instant()));
    }

    /**
     * Records that {@code id} at {@code address} sent us something: a reply to our query
     * ({@code responded}) or a query of its own.
     */
    public synchronized InsertResult heardFrom(NodeId id, InetSocketAddress address, boolean responded) {
        Instant now = clock.instant();
        if (!acceptable(id, address)) {
            return InsertResult.REFUSED;
        }
        RoutingEntry known = findById(id);
        if (known != null) {
            if (!known.address.equals(address)) {
                // Someone else claims a known id: keep the contact we already verified.
                return InsertResult.REFUSED;
            }
            known.heard(now, responded);
            if (responded) {
                bucketFor(id).lastChanged = now;
            }
            return InsertResult.UPDATED;
        }
        if (conflictsWithKnownAddress(address)) {
            return InsertResult.REFUSED;
        }
        RoutingEntry entry = new RoutingEntry(id, address);
        entry.heard(now, responded);
        while (true) {
            int index = indexFor(id);
            Bucket bucket = buckets.get(index);
            if (bucket.nodes.size() < K) {
                bucket.nodes.add(entry);
                bucket.lastChanged = now;
                return InsertResult.ADDED;
            }
            if (index == buckets.size() - 1 && buckets.size() < NodeId.BITS) {
                split();
                continue;
            }
            for (int i = 0; i < bucket.nodes.size(); i++) {
                if (bucket.nodes.get(i).state(now) == NodeState.BAD) {
                    bucket.nodes.set(i, entry);
                    bucket.lastChanged = now;
                    return InsertResult.REPLACED_BAD;
                }
            }
            bucket.replacements.removeIf(r -> r.id.equals(id) || r.address.equals(address));
            if (bucket.replacements.size() >= REPLACEMENTS_PER_BUCKET) {
                bucket.replacements.remove(0);
            }
            bucket.replacements.add(entry);
            return InsertResult.CACHED;
        }
    }

    /**
     * Records that a query to this contact went unanswered. A node that becomes bad is swapped for the
     * freshest contact from its bucket's replacement cache, if there is one.
     */
    public synchronized void failed(NodeId id, InetSocketAddress address) {
        Instant now = clock.instant();
        RoutingEntry entry = id != null ? findById(id) : findByAddress(address);
        if (entry == null || !entry.address.equals(address)) {
            return;
        }
        entry.failures++;
        Bucket bucket = bucketFor(entry.id);
        if (entry.state(now) == NodeState.BAD && !bucket.replacements.isEmpty()) {
            RoutingEntry replacement = bucket.replacements.remove(bucket.replacements.size() - 1);
            bucket.nodes.set(bucket.nodes.indexOf(entry), replacement);
            bucket.lastChanged = now;
        }
    }

    /** Up to {@code count} non-bad contacts closest to {@code target}, closest first. */
    public synchronized List<NodeInfo> closest(NodeId target, int count) {
        Instant now = clock.instant();
        List<RoutingEntry> all = new ArrayList<>();
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                if (e.state(now) != NodeState.BAD) {
                    all.add(e);
                }
            }
        }
        all.sort(Comparator.comparing((RoutingEntry e) -> e.id, target::compareDistance));
        List<NodeInfo> out = new ArrayList<>(Math.min(count, all.size()));
        for (int i = 0; i < all.size() && i < count; i++) {
            out.add(all.get(i).info());
        }
        return out;
    }

    /** Contacts that have gone quiet and should be pinged (BEP 5). */
    public synchronized List<NodeInfo> questionable() {
        Instant now = clock.instant();
        List<NodeInfo> out = new ArrayList<>();
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                if (e.state(now) == NodeState.QUESTIONABLE) {
                    out.add(e.info());
                }
            }
        }
        return out;
    }

    /**
     * Random lookup targets inside each bucket that has not changed for 15 minutes (BEP 5 refresh).
     * Marks those buckets as refreshed now so that the next call does not ask again at once.
     */
    public synchronized List<NodeId> refreshTargets() {
        Instant now = clock.instant();
        List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (Duration.between(b.lastChanged, now).compareTo(REFRESH_AFTER) >= 0) {
                out.add(own.randomWithPrefix(i));
                b.lastChanged = now;
            }
        }
        return out;
    }

    /** Every contact in the buckets (not the replacement caches), e.g. to save the table. */
    public synchronized List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>();
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                out.add(e.info());
            }
        }
        return out;
    }

    public synchronized int size() {
        int n = 0;
        for (Bucket b : buckets) {
            n += b.nodes.size();
        }
        return n;
    }

    public synchronized int bucketCount() {
        return buckets.size();
    }

    public synchronized int replacementCount() {
        int n = 0;
        for (Bucket b : buckets) {
            n += b.replacements.size();
        }
        return n;
    }

    public synchronized boolean contains(NodeId id) {
        return findById(id) != null;
    }

    /** The state of a contact in the buckets, or null when it is not there. */
    public synchronized NodeState stateOf(NodeId id) {
        RoutingEntry e = findById(id);
        return e == null ? null : e.state(clock.instant());
    }

    private boolean acceptable(NodeId id, InetSocketAddress address) {
        if (id.equals(own) || address.isUnresolved() || address.getPort() == 0) {
            return false;
        }
        InetAddress ip = address.getAddress();
        if (ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
            return false;
        }
        return !policy.enforceNodeId() || NodeIdVerifier.isValid(id, ip);
    }

    private boolean conflictsWithKnownAddress(InetSocketAddress address) {
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                if (e.address.equals(address)) {
                    return true; // a different id at a known address: the old one must go bad first
                }
                if (policy.restrictSameIp() && e.address.getAddress().equals(address.getAddress())) {
                    return true;
                }
            }
        }
        return false;
    }

    private int indexFor(NodeId id) {
        return Math.min(own.commonPrefixLength(id), buckets.size() - 1);
    }

    private Bucket bucketFor(NodeId id) {
        return buckets.get(indexFor(id));
    }

    /** Splits the last bucket (the one covering our own id) in two, moving the closer half down. */
    private void split() {
        int last = buckets.size() - 1;
        Bucket old = buckets.get(last);
        Bucket closer = new Bucket(old.lastChanged);
        moveCloser(old.nodes, closer.nodes, last);
        moveCloser(old.replacements, closer.replacements, last);
        buckets.add(closer);
    }

    private void moveCloser(List<RoutingEntry> from, List<RoutingEntry> to, int depth) {
        for (Iterator<RoutingEntry> it = from.iterator(); it.hasNext(); ) {
            RoutingEntry e = it.next();
            if (own.commonPrefixLength(e.id) > depth) {
                to.add(e);
                it.remove();
            }
        }
    }

    private RoutingEntry findById(NodeId id) {
        for (RoutingEntry e : bucketFor(id).nodes) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        return null;
    }

    private RoutingEntry findByAddress(InetSocketAddress address) {
        for (Bucket b : buckets) {
            for (RoutingEntry e : b.nodes) {
                if (e.address.equals(address)) {
                    return e;
                }
            }
        }
        return null;
    }
}
