package dev.magnetar.engine;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent's peers: the addresses it knows of (from trackers, DHT, PEX, the user), the queue of those
 * to dial, the dials in flight (at most {@code maxHalfOpen}), the connections it admitted (at most
 * {@code maxPeers}), and whom not to dial again. A peer that hangs up on a plain connection before its
 * handshake is dialled once more with MSE.
 *
 * <p>Not thread-safe: used on the torrent's event loop, except {@link #count()}.
 *
 * @param <P> the torrent's connection type; {@link View} reads it
 */
final class PeerList<P> {

    private static final Logger log = LoggerFactory.getLogger(PeerList.class);

    /** What the list reads from an admitted connection. */
    interface View<P> {

        InetSocketAddress address(P peer);

        PeerIdentity identity(P peer);

        /** We dialled it (so it is known to accept connections at {@link #address}). */
        boolean isOutgoing(P peer);

        /** Closes an admitted connection that a crossed one replaces; its close comes back as {@link #remove}. */
        void close(P peer, String why);

        View<PeerConnection> CONNECTIONS = new View<>() {
            @Override
            public InetSocketAddress address(PeerConnection peer) {
                return peer.address();
            }

            @Override
            public PeerIdentity identity(PeerConnection peer) {
                return peer.identity();
            }

            @Override
            public boolean isOutgoing(PeerConnection peer) {
                return peer.isOutgoing();
            }

            @Override
            public void close(PeerConnection peer, String why) {
                peer.close(why);
            }
        };
    }

    /** Opens outgoing connections. */
    interface Dialer {

        /**
         * Dials {@code address}, plain or with MSE. When the attempt ends, either way, calls
         * {@link PeerList#dialEnded}, then {@link PeerList#connectMore}; if the connection is later closed
         * before the peer's handshake arrived, {@link PeerList#closedBeforeHandshake}. All on the loop.
         */
        void dial(InetSocketAddress address, boolean encrypted, PeerList<?> list);

        /**
         * Dials {@code address} over uTP only, plain or with MSE, with the same callbacks as {@link #dial}
         * except that a connection closed before the peer's handshake is reported to
         * {@link PeerList#closedBeforeUtpHandshake}: BEP 55's simultaneous open.
         */
        default void dialUtp(InetSocketAddress address, boolean encrypted, PeerList<?> list) {
            dial(address, encrypted, list);
        }
    }

    private final View<P> view;
    private final Dialer dialer;
    private final BanList bans;
    private final Supplier<InetSocketAddress> ourAddress;
    private final java.util.function.Predicate<InetSocketAddress> ourExternalAddress;
    private final byte[] ourPeerId;
    private final Supplier<String> refusal;
    private final int maxPeers;
    private final int maxHalfOpen;
    private final Object owner;

    private final Set<P> peers = new LinkedHashSet<>();
    private final Set<InetSocketAddress> knownPeers = new LinkedHashSet<>();
    /** BEP 11 flags a PEX message gave with a known address: the peer's word, a hint for choices, never a check. */
    private final java.util.Map<InetSocketAddress, Integer> pexFlags = new java.util.HashMap<>();
    private final ArrayDeque<InetSocketAddress> connectQueue = new ArrayDeque<>();
    private final Set<InetSocketAddress> connecting = new HashSet<>();
    private final Set<InetSocketAddress> doNotReconnect = new HashSet<>();
    /** Peers that closed a plain connection before their handshake: we dial them with MSE until that fails too. */
    private final Set<InetSocketAddress> dialEncrypted = new HashSet<>();
    /** Addresses found only under a hybrid's other swarm hash (BEP 52): their handshakes name that hash. */
    private final Set<InetSocketAddress> otherSwarmOnly = new HashSet<>();
    private volatile int peerCount;
    private boolean closed;

    /**
     * @param ourAddress where we listen (null until known): an address of ours is never dialled
     * @param ourPeerId the peer id we send: a handshake with it is a connection to ourselves
     * @param refusal why the torrent takes no peers now (paused, error, stopped), or null while it does
     * @param owner what log lines name
     */
    PeerList(View<P> view, Dialer dialer, BanList bans, Supplier<InetSocketAddress> ourAddress, byte[] ourPeerId,
            Supplier<String> refusal, int maxPeers, int maxHalfOpen, Object owner) {
        this(view, dialer, bans, ourAddress, a -> false, ourPeerId, refusal, maxPeers, maxHalfOpen, owner);
    }

    /**
     * @param ourExternalAddress whether an address is ours as peers outside see it (a router's mapped
     *     address and port): trackers, the DHT and PEX list us there, and a dial to it would reach ourselves
     */
    PeerList(View<P> view, Dialer dialer, BanList bans, Supplier<InetSocketAddress> ourAddress,
            java.util.function.Predicate<InetSocketAddress> ourExternalAddress, byte[] ourPeerId,
            Supplier<String> refusal, int maxPeers, int maxHalfOpen, Object owner) {
        this.ourExternalAddress = Objects.requireNonNull(ourExternalAddress, "ourExternalAddress");
        this.view = Objects.requireNonNull(view, "view");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.bans = Objects.requireNonNull(bans, "bans");
        this.ourAddress = Objects.requireNonNull(ourAddress, "ourAddress");
        this.ourPeerId = ourPeerId.clone();
        this.refusal = Objects.requireNonNull(refusal, "refusal");
        this.maxPeers = maxPeers;
        this.maxHalfOpen = maxHalfOpen;
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** The admitted connections, live and read-only, in the order they were admitted. */
    Set<P> connected() {
        return Collections.unmodifiableSet(peers);
    }

    /** Admitted connections; any thread. */
    int count() {
        return peerCount;
    }

    /**
     * An address from anywhere joins the known set and the connect queue (call {@link #connectMore}
     * after). Ports of 0, unresolved names, banned or refused addresses and our own are ignored.
     *
     * @return whether the address is new to this torrent
     */
    boolean learn(InetSocketAddress address) {
        return learn(address, false);
    }

    /**
     * @param inOtherSwarm found under a hybrid's other info-hash (BEP 52), not the torrent's own: dialled
     *     with that hash unless it is (or was) found under the torrent's own too
     */
    boolean learn(InetSocketAddress address, boolean inOtherSwarm) {
        if (address.getPort() == 0 || address.isUnresolved() || bans.isBanned(address)
                || doNotReconnect.contains(address) || isSelf(address)) {
            return false;
        }
        if (!inOtherSwarm) {
            otherSwarmOnly.remove(address);
        } else if (!knownPeers.contains(address)) {
            otherSwarmOnly.add(address);
        }
        if (knownPeers.add(address)) {
            connectQueue.add(address);
            return true;
        } else if (!connecting.contains(address) && !connectQueue.contains(address) && !isConnectedTo(address)) {
            // Known but not connected (an earlier attempt failed, e.g. it was not listening yet): a tracker
            // listing it again, or the user adding it, is reason enough to try once more.
            connectQueue.add(address);
        }
        return false;
    }

    /** Every address this torrent knows and may dial, a copy. */
    Set<InetSocketAddress> known() {
        return Set.copyOf(knownPeers);
    }

    /** Keeps the BEP 11 flags a PEX message gave with {@code address}, if it is known here (the latest win). */
    void pexFlags(InetSocketAddress address, int flags) {
        if (knownPeers.contains(address)) {
            pexFlags.put(address, flags);
        }
    }

    /**
     * The BEP 11 flags PEX gave with {@code address}, empty if no PEX message named it: e.g.
     * {@code PexPeer.SUPPORTS_HOLEPUNCH} says whether it can take part in a BEP 55 rendezvous.
     */
    java.util.OptionalInt pexFlags(InetSocketAddress address) {
        Integer flags = pexFlags.get(address);
        return flags == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(flags);
    }

    /** Whether {@code address} was found only in the hybrid's other swarm, so is dialled with that hash. */
    boolean inOtherSwarmOnly(InetSocketAddress address) {
        return otherSwarmOnly.contains(address);
    }

    private boolean isSelf(InetSocketAddress address) {
        if (ourExternalAddress.test(address)) {
            return true;
        }
        InetSocketAddress ours = ourAddress.get();
        return ours != null && address.getPort() == ours.getPort()
                && (address.getAddress().isLoopbackAddress() || address.getAddress().isAnyLocalAddress()
                        || address.getAddress().equals(ours.getAddress()));
    }

    /** Dials queued addresses while the half-open and peer limits leave room and the torrent takes peers. */
    void connectMore() {
        if (refusal.get() != null) {
            return;
        }
        while (!connectQueue.isEmpty() && connecting.size() < maxHalfOpen && peers.size() + connecting.size() < maxPeers) {
            InetSocketAddress address = connectQueue.poll();
            // Already being dialled: a second dial at once would count as one half-open and end the
            // first one's count when either finished (the queue can hold an address twice).
            if (bans.isBanned(address) || doNotReconnect.contains(address) || connecting.contains(address)
                    || isConnectedTo(address)) {
                continue;
            }
            connecting.add(address);
            dialer.dial(address, dialEncrypted.contains(address), this);
        }
    }

    /**
     * A relay introduced us to {@code address} (BEP 55 connect): dial it over uTP now, ahead of the
     * queue and past the half-open limit, since the peer dials us at this moment and the punch works
     * only while both dial. Not when it is connected, being dialled, banned, refused or ourselves.
     *
     * @return whether a dial started
     */
    boolean punch(InetSocketAddress address) {
        if (refusal.get() != null || address.getPort() == 0 || address.isUnresolved() || bans.isBanned(address)
                || doNotReconnect.contains(address) || isSelf(address) || connecting.contains(address)
                || isConnectedTo(address) || peers.size() >= maxPeers) {
            return false;
        }
        knownPeers.add(address);
        connecting.add(address);
        dialer.dialUtp(address, dialEncrypted.contains(address), this);
        return true;
    }

    /** Whether {@code address} is connected, being dialled or waiting to be, or none of these (lost). */
    GivenPeers.Reach reach(InetSocketAddress address) {
        if (isConnectedTo(address)) {
            return GivenPeers.Reach.CONNECTED;
        }
        return connecting.contains(address) || connectQueue.contains(address) ? GivenPeers.Reach.DIALLING
                : GivenPeers.Reach.LOST;
    }

    private boolean isConnectedTo(InetSocketAddress address) {
        for (P p : peers) {
            if (address.equals(view.address(p))) {
                return true;
            }
        }
        return false;
    }

    /** A dial ended, connected or not: it no longer counts as half-open. */
    void dialEnded(InetSocketAddress address) {
        connecting.remove(address);
    }

    /**
     * A peer that takes our connection and closes it before its handshake may accept encrypted ones
     * only (qBittorrent's and Transmission's "require encryption"): dial it once more with MSE. If the
     * encrypted one fails the same way, the next dial (if any) is plain again: it was not that.
     */
    void closedBeforeHandshake(InetSocketAddress address, boolean encrypted) {
        if (closed) {
            return;
        }
        if (encrypted) {
            dialEncrypted.remove(address);
            return;
        }
        if (!dialEncrypted.add(address)) {
            return;
        }
        log.debug("{}: {} closed a plain connection before its handshake; dialling it with MSE", owner, address);
        connectQueue.add(address);
        connectMore();
    }

    /**
     * Like {@link #closedBeforeHandshake}, for a uTP-only dial: the MSE retry goes over uTP again, at once,
     * since a peer we reach by uTP alone (through the hole a BEP 55 connect punched, or a caller's
     * {@link Torrent#dialOverUtpOnly}) may take no TCP from us, and a client that requires encryption
     * (Transmission's setting) hangs up on a plain handshake over uTP as over TCP.
     */
    void closedBeforeUtpHandshake(InetSocketAddress address, boolean encrypted) {
        if (encrypted) {
            dialEncrypted.remove(address); // as over TCP: it was not that, the next dial is plain again
            return;
        }
        if (closed || connecting.contains(address) || isConnectedTo(address)) {
            return;
        }
        log.debug("{}: {} closed a plain uTP connection before its handshake; dialling it over uTP with MSE", owner, address);
        dialEncrypted.add(address);
        connecting.add(address);
        dialer.dialUtp(address, true, this);
    }

    /**
     * A connection finished its handshake. Returns why it is refused, or null to admit it: the torrent
     * must be running, below its peer limit, the peer not banned, not ourselves, not connected twice.
     * When the peer and we dialled each other at once (the same peer id from the same host, one
     * connection each way), the connection {@link CrossedConnections} keeps is admitted and the other
     * closed, whichever finished its handshake first.
     */
    String admit(P peer, byte[] peerId) {
        PeerIdentity id = view.identity(peer);
        String refused = refusal.get();
        if (refused != null) {
            return refused;
        }
        if (bans.isBanned(id)) {
            return "banned";
        }
        if (Arrays.equals(peerId, ourPeerId)) {
            return "connected to ourselves";
        }
        P crossed = null;
        for (P p : peers) {
            if (view.identity(p).peerIdHex().equals(id.peerIdHex())) {
                // A crossed dial comes from the host we dialled; anyone else claiming the id (peer ids are
                // no secret) is refused rather than allowed to evict the real peer's connection.
                if (view.isOutgoing(p) == view.isOutgoing(peer)
                        || !view.address(p).getAddress().equals(view.address(peer).getAddress())
                        || !CrossedConnections.keepNew(view.isOutgoing(peer), ourPeerId, peerId)) {
                    return "already connected to this peer id";
                }
                crossed = p;
                break;
            }
        }
        if (crossed != null) {
            // Both of us dialled at once; the peer settles it the same way and closes the same one.
            view.close(crossed, "replaced by the connection " + (view.isOutgoing(peer) ? "we" : "the peer")
                    + " dialled (the lower peer id's dial survives)");
            peers.remove(crossed);
        } else if (peers.size() >= maxPeers) {
            return "peer limit reached";
        }
        peers.add(peer);
        if (view.isOutgoing(peer)) {
            knownPeers.add(view.address(peer));
        }
        peerCount = peers.size();
        return null;
    }

    /** @return whether {@code peer} was admitted (and now is not any more) */
    boolean remove(P peer) {
        if (!peers.remove(peer)) {
            return false;
        }
        peerCount = peers.size();
        return true;
    }

    /** A peer broke the protocol: its address is not dialled again. */
    void doNotReconnect(InetSocketAddress address) {
        doNotReconnect.add(address);
    }

    /** Queues the known peers we are neither connected nor connecting to, and dials. */
    void redialKnown() {
        for (InetSocketAddress a : knownPeers) {
            if (!connecting.contains(a) && !connectQueue.contains(a) && !isConnectedTo(a)) {
                connectQueue.add(a);
            }
        }
        connectMore();
    }

    /** Queues every known peer again (after a pause, which closed them all), and dials. */
    void queueAllKnown() {
        connectQueue.addAll(knownPeers);
        connectMore();
    }

    /** Forgets the addresses waiting to be dialled (a pause, an error, a stop); known ones stay known. */
    void clearQueue() {
        connectQueue.clear();
    }

    /** Below half the peer limit with nobody left to dial: worth asking the trackers for more. */
    boolean wantsMorePeers() {
        return peers.size() < maxPeers / 2 && connectQueue.isEmpty();
    }

    /** The torrent is closing: no more MSE retries. */
    void close() {
        closed = true;
    }
}
