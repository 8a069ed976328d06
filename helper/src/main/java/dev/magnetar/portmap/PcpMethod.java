package dev.magnetar.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * PCP (RFC 6887) MAP to the gateway. One nonce per protocol for the life of the mapper: renewals and
 * the delete must carry the nonce that created the mapping (§11.2).
 */
final class PcpMethod implements MappingMethod {

    private final PmpExchange udp;
    private final Inet4Address client;
    private final Map<TransportProtocol, byte[]> nonces = new EnumMap<>(TransportProtocol.class);

    PcpMethod(PmpExchange udp, Inet4Address client, SecureRandom random) {
        this.udp = udp;
        this.client = client;
        for (TransportProtocol p : TransportProtocol.values()) {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            nonces.put(p, nonce);
        }
    }

    @Override
    public String name() {
        return "pcp";
    }

    /** PCP tells the external address with each mapping. */
    @Override
    public Inet4Address externalAddress() {
        return null;
    }

    @Override
    public GrantedMapping map(TransportProtocol protocol, int internalPort, int suggestedExternalPort, Duration lifetime)
            throws IOException, PortMappingDecodeException, MappingRefusedException {
        int suggested = suggestedExternalPort == 0 ? internalPort : suggestedExternalPort;
        byte[] nonce = nonces.get(protocol);
        return PcpCodec.decodeMap(udp.exchange(PcpCodec.mapRequest(nonce, client, protocol, internalPort, suggested, lifetime)),
                nonce, protocol, internalPort);
    }

    /** §15: the same MAP with lifetime 0 deletes it. */
    @Override
    public void unmap(GrantedMapping m) throws IOException, PortMappingDecodeException, MappingRefusedException {
        byte[] nonce = nonces.get(m.protocol());
        PcpCodec.decodeMap(udp.exchange(PcpCodec.mapRequest(nonce, client, m.protocol(), m.internalPort(), 0, Duration.ZERO)),
                nonce, m.protocol(), m.internalPort());
    }
}
