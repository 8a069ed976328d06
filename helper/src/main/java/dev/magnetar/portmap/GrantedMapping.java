package dev.magnetar.portmap;

import java.net.Inet4Address;
import java.time.Duration;

/**
 * What a gateway granted: the external port (which may differ from the one we suggested), for how
 * long, and the external address when the protocol tells it with the mapping (PCP does; NAT-PMP and
 * UPnP ask for it separately).
 *
 * @param lifetime zero for a lease the gateway keeps until deleted (UPnP's permanent mapping)
 */
public record GrantedMapping(TransportProtocol protocol, int internalPort, int externalPort, Duration lifetime,
        Inet4Address externalAddress) {
}
