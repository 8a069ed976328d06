package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BEP 55 NoSelf: the endpoints a peer may name us by. */
class OwnEndpointsTest {

    private static final int LISTEN = 6881;
    private static final int MAPPED = 40000;
    private static final InetAddress LAN = address("10.1.0.2");
    private static final InetAddress ROUTER = address("198.51.100.2");
    private static final InetAddress TOLD = address("203.0.113.7");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private final ExternalEndpoint router = new ExternalEndpoint(ROUTER, MAPPED, MAPPED);
    private final Set<InetAddress> toldByPeers = Set.of(TOLD);
    private final OwnEndpoints own = new OwnEndpoints(() -> LISTEN, () -> MAPPED, a -> router.names(a, LISTEN),
            a -> toldByPeers.contains(a.getAddress()), () -> List.of(LAN, InetAddress.getLoopbackAddress()));

    @Test
    void thisHostsAddressesAtOurListenPortAreUs() {
        assertTrue(own.test(new InetSocketAddress(LAN, LISTEN)));
        assertTrue(own.test(new InetSocketAddress(InetAddress.getLoopbackAddress(), LISTEN)));
        assertFalse(own.test(new InetSocketAddress(LAN, 6882)), "another program on this host");
    }

    @Test
    void theRoutersPublicAddressAtTheMappedPortIsUsAsPeersOutsideSeeUs() {
        assertTrue(own.test(new InetSocketAddress(ROUTER, MAPPED)));
        assertTrue(own.test(new InetSocketAddress(ROUTER, LISTEN)), "a router keeps our port when it can");
        assertFalse(own.test(new InetSocketAddress(ROUTER, 50000)), "another host behind the same router");
    }

    @Test
    void anAddressPeersToldUsIsOursAtOurPortsOnly() {
        // Behind a NAT that mapped nothing, BEP 10 yourip is the only word on how peers outside see us.
        assertTrue(own.test(new InetSocketAddress(TOLD, LISTEN)));
        assertTrue(own.test(new InetSocketAddress(TOLD, MAPPED)));
        assertFalse(own.test(new InetSocketAddress(TOLD, 50000)));
    }

    @Test
    void anyOtherPeerIsNotUs() {
        assertFalse(own.test(new InetSocketAddress("198.51.100.20", LISTEN)));
        assertFalse(own.test(InetSocketAddress.createUnresolved("example.invalid", LISTEN)));
    }
}
