package dev.magnetar.engine;

import dev.magnetar.wire.HolepunchExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BEP 55 hole punching for one torrent: the {@code ut_holepunch} extension every connection offers,
 * wired to the torrent's peers. As relay it introduces two of our peers to each other; as either end of
 * an introduction it dials the other over uTP at once, so both NATs see outgoing traffic first and let
 * the other's packets in; as initiator it asks the relays to introduce us to a peer we cannot reach.
 */
final class TorrentHolepunch {

    private static final Logger log = LoggerFactory.getLogger(TorrentHolepunch.class);

    private final HolepunchExtension extension;

    /**
     * @param listenPort our listen port, to recognise a rendezvous with ourselves (BEP 55 NoSelf)
     * @param loop       the torrent's loop, where {@code peers} may be touched
     */
    TorrentHolepunch(int listenPort, Executor loop, PeerList<PeerConnection> peers) {
        this.extension = new HolepunchExtension(() -> ownEndpoints(listenPort),
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

    /** Our listen port on every address of this host: a peer that names one of these names us. */
    private static List<InetSocketAddress> ownEndpoints(int port) {
        List<InetSocketAddress> own = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    own.add(new InetSocketAddress(a, port));
                }
            }
        } catch (SocketException e) {
            log.debug("holepunch: cannot list our addresses: {}", e.toString());
        }
        return own;
    }
}
