package dev.magnetar.engine;

import dev.magnetar.dht.DhtNode;
import dev.magnetar.dht.DhtSettings;
import dev.magnetar.dht.DhtStartException;
import dev.magnetar.lsd.LocalServiceDiscovery;
import dev.magnetar.metainfo.InfoHash;
import io.netty.channel.Channel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's peer sources beyond trackers: the BEP 5 DHT ({@link DhtPeerSource}) and BEP 14 LSD
 * ({@link LocalServiceDiscovery}); PEX lives per torrent. The engine calls {@link #torrentAdded} /
 * {@link #torrentRemoved}; neither source ever serves a private torrent (BEP 27).
 *
 * <p>Safety rule: an engine that accepts peers only on a loopback address cannot be reached by the
 * DHT or the LAN, so it keeps to the machine — the DHT binds the loopback address of the listen
 * address's family (127.0.0.1 or ::1) and only loopback bootstrap nodes of that family are used (none
 * left: no DHT), and LSD stays off.
 */
final class PeerSources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerSources.class);

    private final DhtPeerSource dht;
    private final LocalServiceDiscovery lsd;

    PeerSources(DhtPeerSource dht, LocalServiceDiscovery lsd) {
        this.dht = dht;
        this.lsd = lsd;
    }

    /**
     * @param sharedUdp the uTP socket on the listen port, which the DHT node joins (BEP 29: one UDP port
     *     for both, told apart by the first byte); null to let the node bind its own (uTP off)
     */
    static PeerSources start(PeerDiscoverySettings settings, InetSocketAddress listen,
            Function<InfoHash, Torrent> torrents, Channel sharedUdp) {
        boolean loopbackOnly = listen.getAddress().isLoopbackAddress();
        DhtPeerSource dht = null;
        DhtSettings d = confine(settings.dht(), listen.getAddress());
        if (d.enabled()) {
            DhtNode node = sharedUdp != null ? startShared(d, sharedUdp) : startNode(d);
            if (node != null) {
                dht = new DhtPeerSource(node, settings);
            }
        }
        LocalServiceDiscovery lsd = null;
        if (settings.lsdEnabled() && !loopbackOnly) {
            lsd = new LocalServiceDiscovery(listen.getPort(), settings.lsdAnnounceInterval(), Clock.systemUTC(), peer -> {
                Torrent t = torrents.apply(peer.infoHash());
                if (t != null && !isPrivate(t)) {
                    t.addPeers(PeerSource.LSD, List.of(peer.address()), peer.infoHash()); // the swarm it announced
                }
            }, h -> {
                Torrent t = torrents.apply(h);
                return t != null && announcesItself(t.state());
            });
            if (!lsd.start()) {
                lsd = null;
            }
        }
        return new PeerSources(dht, lsd);
    }

    private static DhtNode startShared(DhtSettings d, Channel udp) {
        DhtNode node = new DhtNode(d);
        node.startOn(udp);
        return node;
    }

    /** Binds the node; if its port is taken (another client on 6881), any free port does as well. */
    private static DhtNode startNode(DhtSettings d) {
        DhtNode node = new DhtNode(d);
        try {
            node.start();
            return node;
        } catch (DhtStartException e) {
            if (d.port() == 0) {
                log.warn("DHT off: {}", e.getMessage());
                return null;
            }
            log.info("DHT port {} is taken ({}); using any free port", d.port(), e.getMessage());
            DhtNode other = new DhtNode(d.withBindAddress(d.bindAddress(), 0));
            try {
                other.start();
                return other;
            } catch (DhtStartException e2) {
                log.warn("DHT off: {}", e2.getMessage());
                return null;
            }
        }
    }

    /** The DHT settings for an engine listening on {@code listen}: unchanged unless that is loopback. */
    static DhtSettings confine(DhtSettings d, InetAddress listen) {
        if (!listen.isLoopbackAddress() || !d.enabled()) {
            return d;
        }
        // A DHT socket reaches one family only when bound to loopback (BEP 32: each family its own DHT).
        boolean ipv6 = listen instanceof Inet6Address;
        List<String> local = d.bootstrapNodes().stream().filter(node -> isLoopbackLiteral(node, ipv6)).toList();
        if (local.isEmpty()) {
            log.info("DHT off: peers are accepted on loopback only and no {} loopback bootstrap node is configured",
                    ipv6 ? "::1" : "127.0.0.1");
            return PeerDiscoverySettings.offline().dht();
        }
        return d.withBindAddress(ipv6 ? "::1" : "127.0.0.1", d.port()).withBootstrapNodes(local);
    }

    /**
     * A literal loopback IP of the family asked for (never a name: resolving one would be the very
     * lookup this rule avoids).
     */
    private static boolean isLoopbackLiteral(String hostPort, boolean ipv6) {
        String host = DhtSettings.parseHostPort(hostPort).getHostString();
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            InetAddress ip = InetAddress.getByName(host);
            return ip.isLoopbackAddress() && (ip instanceof Inet6Address) == ipv6;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Whether a torrent in {@code state} tells the DHT and the LAN that it has pieces: not while paused
     * or finished seeding, and never in ERROR, where its data may be gone and peers that come would
     * find nothing (trackers get STOPPED then too).
     */
    static boolean announcesItself(TorrentState state) {
        return state != TorrentState.PAUSED && state != TorrentState.COMPLETED && state != TorrentState.ERROR;
    }

    private static boolean isPrivate(Torrent t) {
        return t.info() != null && t.info().isPrivate();
    }

    void torrentAdded(Torrent t) {
        if (dht != null) {
            dht.track(t);
        }
        if (lsd != null && !isPrivate(t)) {
            swarms(t).forEach(lsd::add);
        }
    }

    /** A magnet's metadata arrived: a hybrid added by one hash now knows its other swarm, for the LAN too. */
    void metadataKnown(Torrent t) {
        if (lsd != null && !isPrivate(t)) {
            swarms(t).forEach(lsd::add);
        }
    }

    /**
     * The swarms a torrent is in: one, or two for a hybrid (BEP 52: its SHA-1 and its SHA-256 cut to 20
     * bytes), so a LAN peer that knows it by either finds us — one {@code Infohash} line each (BEP 14).
     */
    static List<InfoHash> swarms(Torrent t) {
        InfoHash other = t.otherSwarmHash();
        return other == null ? List.of(t.infoHash()) : List.of(t.infoHash(), other);
    }

    void torrentRemoved(Torrent t) {
        if (dht != null) {
            dht.untrack(t);
        }
        if (lsd != null) {
            swarms(t).forEach(lsd::remove);
        }
    }

    /** The torrent turned out private once its metadata arrived (BEP 27): no DHT, no LSD. */
    void torrentIsPrivate(Torrent t) {
        torrentRemoved(t);
    }

    /** The DHT's UDP port, or 0 without a DHT (for the BEP 5 handshake bit and PORT message). */
    int dhtPort() {
        return dht == null ? 0 : Math.max(0, dht.node().port());
    }

    /** Our DHT node, if running (for status and tests). */
    java.util.Optional<DhtNode> dhtNode() {
        return dht == null ? java.util.Optional.empty() : java.util.Optional.of(dht.node());
    }

    /** BEP 5 PORT message: the peer runs a DHT node on that UDP port. */
    void dhtNodeSeen(InetSocketAddress peer, int udpPort) {
        if (dht != null && udpPort > 0 && !peer.isUnresolved()) {
            dht.nodeSeen(new InetSocketAddress(peer.getAddress(), udpPort));
        }
    }

    @Override
    public void close() {
        if (dht != null) {
            dht.close();
        }
        if (lsd != null) {
            lsd.close();
        }
    }
}
