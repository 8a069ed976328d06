package dev.magnetar.portmap;

import java.net.Inet4Address;

/**
 * The router a mapping is asked of: the gateway of the default route, the interface that route leaves
 * by, and our address on it (the internal client of every mapping). The mapper talks to this address
 * and no other: a mapping request elsewhere would be a request to a stranger.
 */
public record Gateway(Inet4Address address, String interfaceName, Inet4Address localAddress) {

    @Override
    public String toString() {
        return address.getHostAddress() + " via " + interfaceName + " (we are " + localAddress.getHostAddress() + ")";
    }
}
