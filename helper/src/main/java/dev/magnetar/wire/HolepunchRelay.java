package dev.magnetar.wire;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Predicate;

/**
 * The relay's side of BEP 55: a peer we are connected to asks us (rendezvous) to introduce it to
 * another of our peers. We either send each of them a connect naming the other — both then dial at
 * once over uTP, which opens both NATs' mappings toward each other — or answer the initiator with the
 * error BEP 55 names. Pure: the caller looks the target up among its connections and sends what this
 * returns.
 */
public final class HolepunchRelay {

    /** What the relay knows of the target among its own connections. */
    public enum TargetState { CONNECTED_WITH_HOLEPUNCH, CONNECTED_WITHOUT_HOLEPUNCH, NOT_CONNECTED }

    /** A message to send and the peer to send it to. */
    public record Send(InetSocketAddress to, HolepunchMessage message) {
    }

    private HolepunchRelay() {}

    /**
     * @param initiator the address of the peer that sent the rendezvous, as we are connected to it
     * @param self      whether an endpoint is us as peers reach us (BEP 55 NoSelf: "the endpoint belongs to
     *                  the relaying peer"; libtorrent answers NoSelf to a rendezvous naming the initiator
     *                  itself instead, which BEP 55 leaves to NoSuchPeer, "the endpoint is invalid")
     * @param target    what we know of the rendezvous' endpoint
     */
    public static List<Send> answer(InetSocketAddress initiator, HolepunchMessage.Rendezvous rendezvous, Predicate<InetSocketAddress> self,
            TargetState target) {
        InetSocketAddress t = rendezvous.endpoint();
        HolepunchError error = null;
        if (t.getPort() == 0 || t.getAddress().isAnyLocalAddress() || t.getAddress().isMulticastAddress() || t.equals(initiator)) {
            error = HolepunchError.NO_SUCH_PEER; // no peer can be dialled there (and introducing a peer to itself is pointless)
        } else if (self.test(t)) {
            error = HolepunchError.NO_SELF;
        } else if (target == TargetState.NOT_CONNECTED) {
            error = HolepunchError.NOT_CONNECTED;
        } else if (target == TargetState.CONNECTED_WITHOUT_HOLEPUNCH) {
            error = HolepunchError.NO_SUPPORT;
        }
        if (error != null) {
            return List.of(new Send(initiator, new HolepunchMessage.Error(t, error)));
        }
        return List.of(new Send(initiator, new HolepunchMessage.Connect(t)), new Send(t, new HolepunchMessage.Connect(initiator)));
    }
}
