package dev.magnetar.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;

/** NAT-PMP (RFC 6886) to the gateway. */
final class NatPmpMethod implements MappingMethod {

    private final PmpExchange udp;

    NatPmpMethod(PmpExchange udp) {
        this.udp = udp;
    }

    @Override
    public String name() {
        return "nat-pmp";
    }

    @Override
    public Inet4Address externalAddress() throws IOException, PortMappingDecodeException, MappingRefusedException {
        return NatPmpCodec.decodeExternalAddress(udp.exchange(NatPmpCodec.externalAddressRequest()));
    }

    @Override
    public GrantedMapping map(TransportProtocol protocol, int internalPort, int suggestedExternalPort, Duration lifetime)
            throws IOException, PortMappingDecodeException, MappingRefusedException {
        int suggested = suggestedExternalPort == 0 ? internalPort : suggestedExternalPort;
        return NatPmpCodec.decodeMap(udp.exchange(NatPmpCodec.mapRequest(protocol, internalPort, suggested, lifetime)), protocol, internalPort);
    }

    /** RFC 6886 §3.4: lifetime 0 and external port 0 delete the mapping of this internal port. */
    @Override
    public void unmap(GrantedMapping m) throws IOException, PortMappingDecodeException, MappingRefusedException {
        NatPmpCodec.decodeMap(udp.exchange(NatPmpCodec.mapRequest(m.protocol(), m.internalPort(), 0, Duration.ZERO)),
                m.protocol(), m.internalPort());
    }
}
