package dev.magnetar.engine;

import dev.magnetar.portmap.PortMappingStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where peers outside reach us through the router that mapped our port (UPnP IGD, NAT-PMP, PCP): its
 * public address, when it told it, and the external TCP and UDP ports it granted (0: none). A tracker,
 * a DHT node or a PEX message lists us there, not at our local address: an entry naming this address
 * at one of these ports (or at our own port, which a router keeps when it can) is ourselves.
 *
 * @param address the router's public address, or null when it did not say
 */
record ExternalEndpoint(InetAddress address, int tcpPort, int udpPort) {

    static final ExternalEndpoint NONE = new ExternalEndpoint(null, 0, 0);

    ExternalEndpoint {
        if (tcpPort < 0 || tcpPort > 0xFFFF || udpPort < 0 || udpPort > 0xFFFF) {
            throw new IllegalArgumentException("not a port: " + tcpPort + " / " + udpPort);
        }
    }

    /** What a mapper's status says; {@link #NONE} unless it is mapped. */
    static ExternalEndpoint of(PortMappingStatus status) {
        if (status == null || !PortMappingStatus.MAPPED.equals(status.state())) {
            return NONE;
        }
        return new ExternalEndpoint(literal(status.externalAddress()), orZero(status.externalTcpPort()), orZero(status.externalUdpPort()));
    }

    ExternalEndpoint withTcpPort(int port) {
        return new ExternalEndpoint(address, port, udpPort);
    }

    /** Whether {@code a} is us as seen from outside; {@code listenPort} is our local one. */
    boolean names(InetSocketAddress a, int listenPort) {
        if (address == null || a.isUnresolved() || !address.equals(a.getAddress())) {
            return false;
        }
        int port = a.getPort();
        return port > 0 && (port == tcpPort || port == udpPort || port == listenPort);
    }

    private static int orZero(Integer port) {
        return port == null ? 0 : port;
    }

    /** The status carries an IP literal (never a name): parsing it looks nothing up. */
    private static InetAddress literal(String ip) {
        if (ip == null || ip.isEmpty() || !ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return null;
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
