package dev.magnetar.api;

import dev.magnetar.portmap.PortMappingStatus;

/**
 * How peers reach us: the port we accept them on (TCP, and UDP for uTP and the DHT) and what the
 * router's port mapping made of it.
 *
 * @param peerPort 0 when no engine runs
 */
public record NetworkStatus(int peerPort, PortMappingStatus portMapping) {

    /** For an API without a real engine (tests of other routes). */
    public static NetworkStatus none() {
        return new NetworkStatus(0, PortMappingStatus.off("no BitTorrent engine runs"));
    }
}
