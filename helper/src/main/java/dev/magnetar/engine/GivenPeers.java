package dev.magnetar.engine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The peers the user gave a torrent (CLI {@code --peer}, the API, a magnet's {@code x.pe}) and when to
 * dial each again after it was lost: {@link #BACKOFF} after a failed dial or a dropped connection, then
 * nothing more until a connection to it has held for {@link #HEALTHY} or the user gives it again.
 *
 * <p>Why: such a peer is often the only one (a LAN peer, a private swarm, a test), and no tracker, DHT or
 * PEX brings it back. A peer may also drop a sound connection for reasons that pass: a torrent removed and
 * added again at once reaches a peer that still holds the old uTP connection (a uTP close is a FIN
 * datagram, not a reset the kernel delivers at once) and so drops the new one as a duplicate; a peer
 * restarting refuses us for a moment. libtorrent likewise retries a failed peer after a delay that grows
 * with its fail count.
 *
 * <p>Only while the torrent still wants data: a seed given by hand drops us once we are a seed too (as
 * libtorrent does, and as it leaves seeds alone once it is one), and a leecher that wants our data dials us.
 *
 * <p>Level-triggered: {@link #due} looks at what the peer list says now (connected, being dialled or
 * queued, or neither), so every way of losing a peer counts, whatever path closed it.
 *
 * <p>Not thread-safe: the torrent's loop only.
 */
final class GivenPeers {

    /** Waits before the first, second and third redial of a lost peer. */
    static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60));
    /** A connection that held this long was sound: a later loss starts the back-off from the beginning. */
    static final Duration HEALTHY = Duration.ofSeconds(60);

    /** What the peer list says of an address now. */
    enum Reach { CONNECTED, DIALLING, LOST }

    /** One given peer's back-off. Times are {@link System#nanoTime} readings, which may be negative. */
    private static final class Redial {
        int redials;
        boolean scheduled;
        long dueNanos;
        boolean connected;
        long connectedSinceNanos;
    }

    private final Map<InetSocketAddress, Redial> peers = new LinkedHashMap<>();

    /** The user gave {@code address} (again): a fresh back-off. */
    void given(InetSocketAddress address) {
        peers.put(address, new Redial());
    }

    int size() {
        return peers.size();
    }

    /**
     * The given peers to dial again now; called about once a second while the torrent downloads.
     *
     * @param reach what the peer list says of each address now
     */
    List<InetSocketAddress> due(long nowNanos, Function<InetSocketAddress, Reach> reach) {
        List<InetSocketAddress> redial = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Redial> e : peers.entrySet()) {
            Redial r = e.getValue();
            switch (reach.apply(e.getKey())) {
                case CONNECTED -> {
                    if (!r.connected) {
                        r.connected = true;
                        r.connectedSinceNanos = nowNanos;
                    } else if (nowNanos - r.connectedSinceNanos >= HEALTHY.toNanos()) {
                        r.redials = 0;
                    }
                    r.scheduled = false;
                }
                case DIALLING -> r.connected = false;
                case LOST -> {
                    r.connected = false;
                    if (!r.scheduled && r.redials < BACKOFF.size()) {
                        r.scheduled = true;
                        r.dueNanos = nowNanos + BACKOFF.get(r.redials).toNanos();
                        r.redials++;
                    }
                    if (r.scheduled && nowNanos - r.dueNanos >= 0) {
                        r.scheduled = false;
                        redial.add(e.getKey());
                    }
                }
            }
        }
        return redial;
    }
}
