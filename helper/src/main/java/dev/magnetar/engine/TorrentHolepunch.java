package dev.magnetar.engine;

import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.wire.HolepunchExtension;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BEP 55 hole punching for one torrent: the {@code ut_holepunch} extension every connection offers,
 * wired to the torrent's peers. As relay it introduces two of our peers to each other; as either end of
 * an introduction it dials the other over uTP at once, so both NATs see outgoing traffic first and let
 * the other's packets in; as initiator it asks the relays to introduce us to a peer we cannot reach —
 * by hand ({@link #rendezvous}) or when a dial to a peer PEX told us of fails ({@link #dialFailed}).
 */
final class TorrentHolepunch {

    private static final Logger log = LoggerFactory.getLogger(TorrentHolepunch.class);

    private final HolepunchExtension extension;
    private final HolepunchTrigger trigger;
    private volatile int rendezvousAfterFailedDials; // written on the torrent loop

    /**
     * @param self       whether an endpoint is us ({@link OwnEndpoints}), to refuse a rendezvous with ourselves (BEP 55 NoSelf)
     * @param loop       the torrent's loop, where {@code peers} may be touched
     */
    TorrentHolepunch(Predicate<InetSocketAddress> self, Executor loop, PeerList<PeerConnection> peers, Clock clock) {
        this.trigger = new HolepunchTrigger(clock);
        this.extension = new HolepunchExtension(self,
                endpoint -> loop.execute(() -> {
                    if (!peers.punch(endpoint)) {
                        log.debug("holepunch: not dialling {}: connected, dialling or refused already", endpoint);
                    }
                }));
    }

    HolepunchExtension extension() {
        return extension;
    }

    /**
     * Asks every connected peer that speaks ut_holepunch to introduce us to {@code target}; those not
     * connected to it answer with an error, the one that is sends a connect to both of us.
     *
     * @return how many relays were asked (0: no connected peer speaks ut_holepunch)
     */
    int rendezvous(InetSocketAddress target, Collection<PeerConnection> connected) {
        int asked = 0;
        for (PeerConnection relay : connected) {
            if (!relay.address().equals(target) && extension.rendezvous(relay, target)) {
                asked++;
            }
        }
        return asked;
    }

    /** PEX (BEP 11): {@code source} told us of {@code targets}, so it can introduce us to them. Torrent loop. */
    void introduced(ExtensionPeer source, List<InetSocketAddress> targets) {
        trigger.introduced(source, targets);
    }

    /**
     * Our dial to {@code target} went unanswered over every transport: asks the peer that told us of it
     * for a rendezvous, unless {@link HolepunchTrigger} says none is due. Torrent loop.
     *
     * @return whether a rendezvous was sent
     */
    boolean dialFailed(InetSocketAddress target, Collection<PeerConnection> connected) {
        Optional<ExtensionPeer> relay = trigger.dialFailed(target, p -> p instanceof PeerConnection c && connected.contains(c),
                t -> extension.connectedTo(t) || connected.stream().anyMatch(c -> c.address().equals(t)));
        if (relay.isEmpty() || !extension.rendezvous(relay.get(), target)) {
            return false;
        }
        log.debug("holepunch: {} did not answer our dial; asking {}, which told us of it, to introduce us", target,
                relay.get().address());
        rendezvousAfterFailedDials++;
        return true;
    }

    /** How many rendezvous a failed dial has sent so far; any thread. */
    int rendezvousAfterFailedDials() {
        return rendezvousAfterFailedDials;
    }

    /** A connection closed: it can no longer introduce us to anyone. Torrent loop. */
    void peerGone(PeerConnection peer) {
        trigger.peerGone(peer);
    }
}
