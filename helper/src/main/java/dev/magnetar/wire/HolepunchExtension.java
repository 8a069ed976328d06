package dev.magnetar.wire;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BEP 55 {@code ut_holepunch} for one torrent, on the BEP 10 seam. As relay it answers a connected
 * peer's rendezvous ({@link HolepunchRelay}); as initiator it {@link #rendezvous asks} a relay; as
 * either end of an introduction it hands the endpoint of a connect to {@code dialUtp}, which must
 * dial it over uTP at once (BEP 55: both ends dial simultaneously, so each NAT sees outgoing traffic
 * to the other first).
 *
 * <p>A peer is known by the endpoint others would dial: its address with the listen port of its BEP
 * 10 handshake ({@code p}), else the connection's own port (we dialled it).
 */
public final class HolepunchExtension implements ExtensionHandler {

    private static final Logger log = LoggerFactory.getLogger(HolepunchExtension.class);

    private final Predicate<InetSocketAddress> self;
    private final Consumer<InetSocketAddress> dialUtp;
    private final Map<ExtensionPeer, InetSocketAddress> endpoints = new ConcurrentHashMap<>();

    /**
     * @param self    whether an endpoint is us as peers reach us (a rendezvous with us is NoSelf)
     * @param dialUtp dials an endpoint a relay introduced us to, over uTP
     */
    public HolepunchExtension(Predicate<InetSocketAddress> self, Consumer<InetSocketAddress> dialUtp) {
        this.self = self;
        this.dialUtp = dialUtp;
    }

    @Override
    public String name() {
        return HolepunchMessage.EXTENSION_NAME;
    }

    @Override
    public void peerHandshake(ExtensionPeer peer, ExtensionHandshake theirs) {
        InetSocketAddress a = peer.address();
        int port = theirs.listenPort().orElse(a.getPort());
        endpoints.put(peer, new InetSocketAddress(a.getAddress(), port));
    }

    @Override
    public void message(ExtensionPeer peer, byte[] payload) {
        HolepunchMessage m;
        try {
            m = HolepunchCodec.decode(payload);
        } catch (PeerProtocolException e) {
            peer.misbehaved(e.getMessage());
            return;
        }
        if (m instanceof HolepunchMessage.Rendezvous r) {
            relay(peer, r);
        } else if (m instanceof HolepunchMessage.Connect c) {
            if (dialable(c.endpoint())) {
                log.debug("holepunch: {} introduces us to {}; dialling it over uTP", peer.address(), c.endpoint());
                dialUtp.accept(c.endpoint());
            } else {
                peer.misbehaved("ut_holepunch connect to " + c.endpoint() + ", which no peer can be at");
            }
        } else if (m instanceof HolepunchMessage.Error e) {
            log.debug("holepunch: {} cannot introduce us to {}: {}", peer.address(), e.endpoint(), e.error());
        }
    }

    /** Asks {@code relay} to introduce us to {@code target}; false when the relay does not speak ut_holepunch. */
    public boolean rendezvous(ExtensionPeer relay, InetSocketAddress target) {
        OptionalInt id = relay.remoteId(name());
        if (id.isEmpty()) {
            return false;
        }
        relay.sendExtended(id.getAsInt(), HolepunchCodec.encode(new HolepunchMessage.Rendezvous(target)));
        return true;
    }

    private void relay(ExtensionPeer initiator, HolepunchMessage.Rendezvous r) {
        ExtensionPeer target = null;
        for (Map.Entry<ExtensionPeer, InetSocketAddress> e : endpoints.entrySet()) {
            if (e.getValue().equals(r.endpoint()) || e.getKey().address().equals(r.endpoint())) {
                target = e.getKey();
                break;
            }
        }
        HolepunchRelay.TargetState state = target == null ? HolepunchRelay.TargetState.NOT_CONNECTED
                : target.remoteId(name()).isPresent() ? HolepunchRelay.TargetState.CONNECTED_WITH_HOLEPUNCH
                : HolepunchRelay.TargetState.CONNECTED_WITHOUT_HOLEPUNCH;
        InetSocketAddress initiatorEndpoint = endpoints.getOrDefault(initiator, initiator.address());
        for (HolepunchRelay.Send s : HolepunchRelay.answer(initiatorEndpoint, r, self, state)) {
            ExtensionPeer to = s.to().equals(initiatorEndpoint) ? initiator : target;
            OptionalInt id = to == null ? OptionalInt.empty() : to.remoteId(name());
            if (id.isPresent()) {
                to.sendExtended(id.getAsInt(), HolepunchCodec.encode(s.message()));
            }
        }
    }

    /** Whether a connected peer is known by {@code endpoint} (its address with its BEP 10 listen port). */
    public boolean connectedTo(InetSocketAddress endpoint) {
        return endpoints.containsValue(endpoint);
    }

    /** A unicast endpoint with a port: never a broadcast, multicast or wildcard address a peer could aim us at. */
    private static boolean dialable(InetSocketAddress e) {
        return e.getPort() != 0 && !e.getAddress().isAnyLocalAddress() && !e.getAddress().isMulticastAddress();
    }

    @Override
    public void peerGone(ExtensionPeer peer) {
        endpoints.remove(peer);
    }
}
