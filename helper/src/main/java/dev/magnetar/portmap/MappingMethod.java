package dev.magnetar.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;

/** One way of asking the gateway for a port mapping: PCP, NAT-PMP or UPnP IGD. */
interface MappingMethod {

    /** As the status API names it: "pcp", "nat-pmp", "upnp". */
    String name();

    /** The gateway's external address, or null when this method tells it only with a mapping. */
    Inet4Address externalAddress() throws IOException, PortMappingDecodeException, MappingRefusedException;

    /**
     * Maps (or renews) {@code internalPort}, suggesting {@code suggestedExternalPort} (0: the same port).
     */
    GrantedMapping map(TransportProtocol protocol, int internalPort, int suggestedExternalPort, Duration lifetime)
            throws IOException, PortMappingDecodeException, MappingRefusedException;

    /** Removes a mapping this method made. */
    void unmap(GrantedMapping mapping) throws IOException, PortMappingDecodeException, MappingRefusedException;
}
