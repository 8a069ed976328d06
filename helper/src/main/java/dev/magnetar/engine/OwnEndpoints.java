package dev.magnetar.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an endpoint a peer names is this engine, as BEP 55's NoSelf asks ("the endpoint belongs to
 * the relaying peer"). A peer names us as it reaches us: behind a NAT that is not a local address but
 * the router's public one, at the port the router mapped for us or at our own (masquerade keeps it when
 * it can). So an endpoint is ours when its port is our listen port or the one we announce, and its
 * address is one of this host's, the router's public address from the port mapper, or one a peer told
 * us is ours (BEP 10 {@code yourip}, the only word on it when nothing mapped a port).
 */
final class OwnEndpoints implements Predicate<InetSocketAddress> {

    private static final Logger log = LoggerFactory.getLogger(OwnEndpoints.class);

    private final IntSupplier listenPort;
    private final IntSupplier announcedPort;
    private final Predicate<InetSocketAddress> routerMapped;
    private final Predicate<InetSocketAddress> toldByPeers;
    private final Supplier<List<InetAddress>> hostAddresses;

    /**
     * @param routerMapped  whether the port mapper's public address names the endpoint (it checks the port itself)
     * @param toldByPeers   whether peers' {@code yourip} names the endpoint's address at one of our ports
     * @param hostAddresses the addresses of this host's interfaces
     */
    OwnEndpoints(IntSupplier listenPort, IntSupplier announcedPort, Predicate<InetSocketAddress> routerMapped,
            Predicate<InetSocketAddress> toldByPeers, Supplier<List<InetAddress>> hostAddresses) {
        this.listenPort = listenPort;
        this.announcedPort = announcedPort;
        this.routerMapped = routerMapped;
        this.toldByPeers = toldByPeers;
        this.hostAddresses = hostAddresses;
    }

    @Override
    public boolean test(InetSocketAddress endpoint) {
        if (endpoint.isUnresolved()) {
            return false;
        }
        if (routerMapped.test(endpoint)) {
            return true;
        }
        int port = endpoint.getPort();
        if (port == 0 || (port != listenPort.getAsInt() && port != announcedPort.getAsInt())) {
            return false;
        }
        return toldByPeers.test(endpoint) || hostAddresses.get().contains(endpoint.getAddress());
    }

    /** Every address of every interface of this host (asked each time: addresses come and go). */
    static List<InetAddress> ofThisHost() {
        List<InetAddress> own = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                own.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (SocketException e) {
            log.debug("cannot list our addresses: {}", e.toString());
        }
        return own;
    }
}
