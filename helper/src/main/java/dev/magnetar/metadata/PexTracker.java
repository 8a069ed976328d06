package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.wire.ExtensionHandler;
import dev.magnetar.wire.ExtensionHandshake;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BEP 11 peer exchange ("ut_pex") for one torrent: tells each connected peer which peers we connected to
 * and dropped since our last message to it, and turns the peers' messages into candidate addresses.
 *
 * <p>The engine reports the swarm with {@link #peerConnected}/{@link #peerDisconnected} (the address
 * where each peer accepts connections: the one we dialled, or its IP with the {@code p} port from its
 * extension handshake) and calls {@link #tick} about once a second; messages go out at most once per
 * {@link Options#interval()} per peer (BEP 11: not more than once a minute), never empty, with at most
 * 50 added and 50 dropped peers — the rest follow in the next one.
 *
 * <p>Incoming: messages arriving sooner than {@link Options#minIncomingInterval()} after the previous
 * one from the same peer are ignored; of each message at most {@link Options#maxAcceptedPerMessage()}
 * added peers are considered, at most {@link Options#maxCandidatesPerPeer()} over a connection's life;
 * our own addresses, peers we are connected to and addresses already handed out are dropped.
 *
 * <p>Private torrents (BEP 27) do no PEX at all: not offered, nothing sent, nothing accepted.
 */
public final class PexTracker implements ExtensionHandler {

    private static final Logger log = LoggerFactory.getLogger(PexTracker.class);

    public static final String EXTENSION = "ut_pex";
    /** Addresses of ours that peers' {@code yourip} named, kept at most (a host has few; peers may lie). */
    private static final int MAX_OWN_IPS = 16;

    /** Receives the new candidate addresses learned from one message. */
    @FunctionalInterface
    public interface Listener {
        void candidates(ExtensionPeer source, List<PexPeer> peers);
    }

    /**
     * @param interval time between our messages to one peer (BEP 11: at least a minute)
     * @param minIncomingInterval a peer's messages closer together than this are ignored (a little
     *     under a minute: the conventions ask for tolerance with peers that send "just under a minute")
     * @param maxAcceptedPerMessage added peers considered per incoming message
     * @param maxCandidatesPerPeer added peers accepted from one connection in total
     * @param rememberedCandidates how many handed-out addresses are remembered to suppress duplicates
     */
    public record Options(Duration interval, Duration minIncomingInterval, int maxAcceptedPerMessage,
            int maxCandidatesPerPeer, int rememberedCandidates) {

        public Options {
            Objects.requireNonNull(interval);
            Objects.requireNonNull(minIncomingInterval);
            if (maxAcceptedPerMessage <= 0 || maxCandidatesPerPeer <= 0 || rememberedCandidates <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), Duration.ofSeconds(45), PexCodec.MAX_PEERS_PER_MESSAGE, 500, 4096);
        }
    }

    private volatile boolean privateTorrent;
    private final Clock clock;
    private final Options options;
    private final Listener listener;
    private final int ourListenPort;
    private final IntSupplier announcedPort;
    /** Our addresses as peers told them ({@code yourip}): with our listen or announced port, an entry names us. */
    private final Set<InetAddress> ownIps = new HashSet<>();
    /** Connectable address → its flags as known when a message lists it, in connection order. */
    private final Map<InetSocketAddress, IntSupplier> connected = new LinkedHashMap<>();
    /** BEP 11 flags of a peer that connected to us (listed by us from its handshake's {@code p}). */
    private final ToIntFunction<ExtensionPeer> incomingFlags;
    private final Map<ExtensionPeer, PeerState> peers = new HashMap<>();
    /** Recently handed-out candidates, oldest first, bounded. */
    private final LinkedHashSet<InetSocketAddress> handedOut = new LinkedHashSet<>();

    /**
     * @param ourListenPort our TCP listen port, to recognise our own address in a peer's {@code yourip}
     *     and in PEX lists (0 if unknown)
     */
    public PexTracker(boolean privateTorrent, int ourListenPort, Clock clock, Options options, Listener listener) {
        this(privateTorrent, ourListenPort, () -> ourListenPort, clock, options, listener);
    }

    /**
     * @param announcedPort the port we tell peers to dial (BEP 10 {@code p}): a router's mapped external
     *     port when there is one, which peers outside then pass on in their PEX lists
     */
    public PexTracker(boolean privateTorrent, int ourListenPort, IntSupplier announcedPort, Clock clock, Options options,
            Listener listener) {
        this(privateTorrent, ourListenPort, announcedPort, p -> 0, clock, options, listener);
    }

    /**
     * @param incomingFlags the {@link PexPeer} flag bits of a peer that connected to us, asked each time
     *     a message lists it (it may have become a seed since)
     */
    public PexTracker(boolean privateTorrent, int ourListenPort, IntSupplier announcedPort, ToIntFunction<ExtensionPeer> incomingFlags,
            Clock clock, Options options, Listener listener) {
        this.incomingFlags = Objects.requireNonNull(incomingFlags);
        this.privateTorrent = privateTorrent;
        this.ourListenPort = ourListenPort;
        this.announcedPort = Objects.requireNonNull(announcedPort);
        this.clock = Objects.requireNonNull(clock);
        this.options = Objects.requireNonNull(options);
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public String name() {
        return EXTENSION;
    }

    @Override
    public boolean enabled() {
        return !privateTorrent;
    }

    /**
     * Stops all PEX from now on: a magnet's metadata said the torrent is private (BEP 27). Peers that
     * already saw ut_pex in our handshake get no more messages, and theirs are ignored.
     */
    public void disable() {
        privateTorrent = true;
    }

    /** A peer joined the swarm as we see it; {@code flags} are {@link PexPeer}'s bits. */
    public void peerConnected(InetSocketAddress connectable, int flags) {
        peerConnected(connectable, () -> flags);
    }

    /**
     * A peer joined the swarm as we see it; {@code flags} gives {@link PexPeer}'s bits when a message
     * lists it (by then its bitfield and extension handshake tell whether it seeds and can punch).
     */
    public synchronized void peerConnected(InetSocketAddress connectable, IntSupplier flags) {
        connected.put(connectable, Objects.requireNonNull(flags));
    }

    public synchronized void peerDisconnected(InetSocketAddress connectable) {
        connected.remove(connectable);
    }

    @Override
    public synchronized void peerHandshake(ExtensionPeer peer, ExtensionHandshake theirs) {
        PeerState p = peers.computeIfAbsent(peer, PeerState::new);
        theirs.listenPort().ifPresent(port -> p.listenAddress = new InetSocketAddress(peer.address().getAddress(), port));
        // A peer that connected to us is unknown to the engine's connectable list; with the listen port
        // from its handshake ("p") it is connectable and worth sharing. Over TCP its remote port is
        // ephemeral; over uTP it is the listen port itself (one UDP socket), so equal addresses do not mean
        // we dialled it. Outgoing peers are listed under the address we dialled when admitted, before their
        // extension handshake can arrive.
        if (p.listenAddress != null && !connected.containsKey(peer.address()) && !connected.containsKey(p.listenAddress)) {
            connected.put(p.listenAddress, () -> incomingFlags.applyAsInt(peer));
            p.sharedAsIncoming = true;
        }
        if (theirs.yourIp().isPresent() && ownIps.size() < MAX_OWN_IPS) { // any peer may claim anything here
            ownIps.add(theirs.yourIp().get());
        }
        offerIpv6(peer, theirs);
    }

    /**
     * BEP 10: a peer that names its own IPv6 address ({@code ipv6}, with {@code p}) can be reached there
     * too; it becomes one candidate, like a PEX entry (never twice, never an address we know or dialled).
     */
    private void offerIpv6(ExtensionPeer peer, ExtensionHandshake theirs) {
        if (privateTorrent || theirs.ipv6().isEmpty() || theirs.listenPort().isEmpty()) {
            return;
        }
        InetSocketAddress v6 = new InetSocketAddress(theirs.ipv6().get(), theirs.listenPort().getAsInt());
        if (v6.equals(peer.address()) || isOurs(v6) || connected.containsKey(v6) || handedOut.contains(v6)) {
            return;
        }
        remember(v6);
        listener.candidates(peer, List.of(new PexPeer(v6, 0)));
    }

    @Override
    public void message(ExtensionPeer peer, byte[] payload) {
        if (privateTorrent) {
            return; // BEP 27: never offered, so a peer sending it is ignored
        }
        PexMessage message;
        try {
            message = PexCodec.decode(payload, options.maxAcceptedPerMessage(), PexCodec.MAX_PEERS_PER_MESSAGE);
        } catch (PexException e) {
            log.debug("bad ut_pex message from {}: {}", peer.address(), e.getMessage());
            peer.misbehaved(e.getMessage());
            return;
        }
        List<PexPeer> fresh = new ArrayList<>();
        synchronized (this) {
            PeerState p = peers.computeIfAbsent(peer, PeerState::new);
            Instant now = clock.instant();
            if (p.lastReceived != null && now.isBefore(p.lastReceived.plus(options.minIncomingInterval()))) {
                log.debug("{} sends PEX too often; ignoring a message", peer.address());
                return;
            }
            p.lastReceived = now;
            for (PexPeer candidate : message.added()) {
                InetSocketAddress a = candidate.address();
                if (p.accepted >= options.maxCandidatesPerPeer()) {
                    break;
                }
                if (isOurs(a) || connected.containsKey(a) || a.equals(peer.address())
                        || a.equals(p.listenAddress) || handedOut.contains(a)) {
                    continue;
                }
                remember(a);
                p.accepted++;
                fresh.add(candidate);
            }
        }
        if (!fresh.isEmpty()) {
            listener.candidates(peer, fresh);
        }
    }

    @Override
    public synchronized void peerGone(ExtensionPeer peer) {
        PeerState p = peers.remove(peer);
        if (p != null && p.sharedAsIncoming) {
            connected.remove(p.listenAddress);
        }
    }

    /** Sends each peer that enabled ut_pex its due message. */
    @Override
    public void tick() {
        if (privateTorrent) {
            return;
        }
        List<Runnable> sends = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (PeerState p : peers.values()) {
                if (p.peer.remoteId(EXTENSION).isEmpty()
                        || (p.lastSent != null && now.isBefore(p.lastSent.plus(options.interval())))) {
                    continue;
                }
                PexMessage m = nextMessage(p);
                if (m.isEmpty()) {
                    continue; // empty PEX messages upset some clients, and say nothing
                }
                p.lastSent = now;
                int id = p.peer.remoteId(EXTENSION).getAsInt();
                byte[] payload = PexCodec.encode(m);
                sends.add(() -> p.peer.sendExtended(id, payload));
            }
        }
        sends.forEach(Runnable::run);
    }

    /** The difference between what we told {@code p} and who we are connected to now; updates what it knows. */
    private PexMessage nextMessage(PeerState p) {
        List<PexPeer> added = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, IntSupplier> e : connected.entrySet()) {
            InetSocketAddress a = e.getKey();
            if (added.size() >= PexCodec.MAX_PEERS_PER_MESSAGE) {
                break;
            }
            if (!p.told.contains(a) && !a.equals(p.peer.address()) && !a.equals(p.listenAddress)) {
                added.add(new PexPeer(a, e.getValue().getAsInt() & 0xFF));
            }
        }
        List<InetSocketAddress> dropped = new ArrayList<>();
        for (Iterator<InetSocketAddress> it = p.told.iterator(); it.hasNext() && dropped.size() < PexCodec.MAX_PEERS_PER_MESSAGE; ) {
            InetSocketAddress a = it.next();
            if (!connected.containsKey(a)) {
                dropped.add(a);
            }
        }
        for (PexPeer a : added) {
            p.told.add(a.address());
        }
        dropped.forEach(p.told::remove);
        return new PexMessage(added, dropped);
    }

    /**
     * Whether {@code a} is us as peers see us: an address a peer's handshake told us is ours (BEP 10
     * {@code yourip}) at our listen port or the one we announce.
     */
    public synchronized boolean isOurs(InetSocketAddress a) {
        int port = a.getPort();
        return port > 0 && (port == ourListenPort || port == announcedPort.getAsInt()) && ownIps.contains(a.getAddress());
    }

    private void remember(InetSocketAddress a) {
        handedOut.add(a);
        if (handedOut.size() > options.rememberedCandidates()) {
            Iterator<InetSocketAddress> oldest = handedOut.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private static final class PeerState {
        final ExtensionPeer peer;
        InetSocketAddress listenAddress;
        /** We listed {@link #listenAddress} in {@code connected} ourselves (an incoming peer). */
        boolean sharedAsIncoming;
        Instant lastSent;
        Instant lastReceived;
        int accepted;
        /** The peers this peer has heard from us and not yet seen dropped. */
        final Set<InetSocketAddress> told = new LinkedHashSet<>();

        PeerState(ExtensionPeer peer) {
            this.peer = peer;
        }
    }
}
