package dev.magnetar.engine;

import dev.magnetar.dht.DhtNode;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.TorrentInfo;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds torrents with peers from the session's BEP 5 DHT node and announces them there.
 *
 * <p>Each tracked torrent runs rounds: an iterative get_peers lookup whose peers go to the torrent's
 * connect queue (a hybrid's two swarms, BEP 52, each looked up), then (at most once per {@link PeerDiscoverySettings#dhtLookupInterval()}) an
 * announce_peer of our TCP listen port. The next round comes after the lookup interval (5 minutes
 * by default), or after the shorter starving interval while the torrent still lacks its metadata or
 * has few peers — the case where a magnet with no tracker depends on the DHT alone. Private torrents
 * (BEP 27: "no DHT") are dropped as soon as their metadata says so.
 *
 * <p>Rounds are scheduled on one small daemon thread; lookups run on the DHT node's own thread, and
 * the peers hop to the torrent's loop through {@link Torrent#addPeers}.
 */
final class DhtPeerSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DhtPeerSource.class);

    private final DhtNode node;
    private final PeerDiscoverySettings settings;
    private final ScheduledThreadPoolExecutor timer = newTimer();
    private final Map<Torrent, Tracked> tracked = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private static final class Tracked {
        volatile ScheduledFuture<?> next;
        volatile long lastAnnounceNanos;
        volatile boolean announced;
    }

    /**
     * The rounds' timer. Cancelled rounds leave its queue at once: a removed torrent's next round is
     * minutes away, and a cancelled task left queued until then keeps the whole {@link Torrent} (its
     * metadata, picker, peers) reachable — hundreds of them after a user clears a long list.
     */
    static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("magnetar-dht-peers", true));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    DhtPeerSource(DhtNode node, PeerDiscoverySettings settings) {
        this.node = node;
        this.settings = settings;
    }

    DhtNode node() {
        return node;
    }

    /** Starts the torrent's rounds: the first as soon as the node has bootstrapped. */
    void track(Torrent t) {
        if (closed || isPrivate(t)) {
            return;
        }
        Tracked state = new Tracked();
        if (tracked.putIfAbsent(t, state) != null) {
            return;
        }
        node.bootstrapped().whenComplete((size, e) -> schedule(t, state, Duration.ZERO));
    }

    void untrack(Torrent t) {
        Tracked state = tracked.remove(t);
        if (state != null && state.next != null) {
            state.next.cancel(false);
        }
    }

    /**
     * Lookups the engine starts per second, at most, once every torrent's first round is done. Each
     * lookup is tens of KRPC queries; a thousand magnets starving at one lookup per 30 s would be
     * over thirty lookups a second, so past {@code ROUNDS_PER_SECOND × interval} torrents each one's
     * rounds spread further apart instead (libtorrent likewise spreads its DHT announces over all
     * torrents rather than giving each its own clock).
     */
    static final int ROUNDS_PER_SECOND = 4;

    /** The wait before a torrent's next round: {@code interval}, or longer so that {@code torrents} keep to {@link #ROUNDS_PER_SECOND}. */
    static Duration nextRoundAfter(Duration interval, int torrents) {
        Duration spread = Duration.ofMillis(1000L * torrents / ROUNDS_PER_SECOND);
        return spread.compareTo(interval) > 0 ? spread : interval;
    }

    private void schedule(Torrent t, Tracked state, Duration delay) {
        if (closed || tracked.get(t) != state) {
            return;
        }
        if (!delay.isZero()) { // a first round stays immediate: a new magnet needs its peers now
            delay = nextRoundAfter(delay, tracked.size());
        }
        try {
            state.next = timer.schedule(() -> round(t, state), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void round(Torrent t, Tracked state) {
        if (closed || tracked.get(t) != state) {
            return;
        }
        if (isPrivate(t)) {
            log.debug("{} is private (BEP 27): no more DHT lookups", t);
            untrack(t);
            return;
        }
        if (!PeerSources.announcesItself(t.state())) {
            schedule(t, state, settings.dhtStarvingInterval());
            return;
        }
        InfoHash other = t.otherSwarmHash();
        CompletableFuture<Void> lookups = lookup(t, t.infoHash());
        if (other != null) {
            // BEP 52: a hybrid is in two swarms; a peer that knows only one announced itself under that one.
            lookups = CompletableFuture.allOf(lookups, lookup(t, other));
        }
        lookups.whenComplete((v, e) -> {
            announceIfDue(t, state);
            schedule(t, state, starving(t) ? settings.dhtStarvingInterval() : settings.dhtLookupInterval());
        });
    }

    /** One get_peers lookup of {@code swarm}, its peers to {@code t} with that hash; never fails. */
    private CompletableFuture<Void> lookup(Torrent t, InfoHash swarm) {
        return node.getPeers(swarm).handle((peers, e) -> {
            if (e != null) {
                log.debug("{}: DHT lookup of {} failed: {}", t, swarm, e.toString());
            } else {
                log.debug("{}: DHT lookup of {} found {} peers", t, swarm, peers.size());
                if (!peers.isEmpty()) {
                    t.addPeers(PeerSource.DHT, peers, swarm);
                }
            }
            return null;
        });
    }

    private void announceIfDue(Torrent t, Tracked state) {
        long now = System.nanoTime();
        if (state.announced && now - state.lastAnnounceNanos < settings.dhtLookupInterval().toNanos()) {
            return;
        }
        int port = t.listenPort();
        if (port <= 0) {
            return;
        }
        state.announced = true;
        state.lastAnnounceNanos = now;
        InfoHash other = t.otherSwarmHash();
        if (other != null) {
            // The other swarm of a hybrid: best effort, the torrent's own announce decides the retry.
            node.announce(other, port).whenComplete((acks, e) -> log.debug("{}: announced {} to {} DHT nodes ({})",
                    t, other, acks, e == null ? "ok" : e.toString()));
        }
        node.announce(t.infoHash(), port).whenComplete((acks, e) -> {
            if (e != null) {
                log.debug("{}: DHT announce failed: {}", t, e.toString());
                state.announced = false; // try again next round
            } else {
                log.debug("{}: announced port {} to {} DHT nodes", t, port, acks);
                if (acks == 0) {
                    state.announced = false;
                }
            }
        });
    }

    private boolean starving(Torrent t) {
        return t.info() == null || t.peerCount() < settings.starvingBelowPeers();
    }

    private static boolean isPrivate(Torrent t) {
        TorrentInfo info = t.info();
        return info != null && info.isPrivate();
    }

    /** A peer told us its DHT port (BEP 5 PORT message): a node worth knowing. */
    void nodeSeen(InetSocketAddress address) {
        if (!closed) {
            node.addNode(address);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        tracked.clear();
        node.close();
    }
}
