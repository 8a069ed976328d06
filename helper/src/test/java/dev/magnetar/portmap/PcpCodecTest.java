package dev.magnetar.portmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PcpCodecTest {

    private static final byte[] NONCE = HexFormat.of().parseHex("73082a364d8a25d17509c57f");
    /** miniupnpd 2.3.1's reply to a UDP 40000 MAP with the nonce above: 120 s, external 11.213.41.1:40000. */
    private static final String MINIUPNPD_REPLY = "02810000000000780000a5c9000000000000000000000000"
            + "73082a364d8a25d17509c57f" + "11000000" + "9c409c40" + "00000000000000000000ffff0bd52901";

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void mapRequestIsSixtyBytesWithMappedAddresses() throws Exception {
        Inet4Address client = (Inet4Address) InetAddress.getByName("10.213.41.2");
        byte[] r = PcpCodec.mapRequest(NONCE, client, TransportProtocol.UDP, 40000, 40000, Duration.ofSeconds(120));
        assertEquals(60, r.length);
        assertArrayEquals(hex("0201000000000078" + "00000000000000000000ffff0ad52902"), Arrays.copyOf(r, 24));
        assertArrayEquals(NONCE, Arrays.copyOfRange(r, 24, 36));
        assertArrayEquals(hex("11000000" + "9c409c40" + "00000000000000000000ffff00000000"), Arrays.copyOfRange(r, 36, 60));
    }

    @Test
    void decodesMiniupnpdsReplyWithTheExternalAddress() throws Exception {
        GrantedMapping m = PcpCodec.decodeMap(hex(MINIUPNPD_REPLY), NONCE, TransportProtocol.UDP, 40000);
        assertEquals(40000, m.externalPort());
        assertEquals(Duration.ofSeconds(120), m.lifetime());
        assertEquals("11.213.41.1", m.externalAddress().getHostAddress());
    }

    @Test
    void aReplyWithAnotherNonceIsNotOurs() {
        byte[] otherNonce = NONCE.clone();
        otherNonce[0] ^= 1;
        assertThrows(PortMappingDecodeException.class, () -> PcpCodec.decodeMap(hex(MINIUPNPD_REPLY), otherNonce, TransportProtocol.UDP, 40000));
    }

    @Test
    void aNatPmpOnlyGatewaysAnswerMeansUnsupportedVersion() {
        NatPmpRefusedException e = assertThrows(NatPmpRefusedException.class,
                () -> PcpCodec.decodeMap(hex("00810001"), NONCE, TransportProtocol.UDP, 40000));
        assertEquals(PcpCodec.RESULT_UNSUPP_VERSION, e.resultCode());
    }

    @Test
    void errorResultCodesAreRefusals() {
        String refused = "02810002" + MINIUPNPD_REPLY.substring(8);
        assertEquals(2, assertThrows(NatPmpRefusedException.class,
                () -> PcpCodec.decodeMap(hex(refused), NONCE, TransportProtocol.UDP, 40000)).resultCode());
    }

    @Test
    void malformedRepliesAreDecodeErrors() {
        assertThrows(PortMappingDecodeException.class, () -> PcpCodec.decodeMap(hex("0281"), NONCE, TransportProtocol.UDP, 40000));
        assertThrows(PortMappingDecodeException.class,
                () -> PcpCodec.decodeMap(hex(MINIUPNPD_REPLY.substring(0, 100)), NONCE, TransportProtocol.UDP, 40000));
        assertThrows(PortMappingDecodeException.class, // version 3
                () -> PcpCodec.decodeMap(hex("03" + MINIUPNPD_REPLY.substring(2)), NONCE, TransportProtocol.UDP, 40000));
        assertThrows(PortMappingDecodeException.class, // a request, not a response (R bit clear)
                () -> PcpCodec.decodeMap(hex("0201" + MINIUPNPD_REPLY.substring(4)), NONCE, TransportProtocol.UDP, 40000));
        assertThrows(PortMappingDecodeException.class, // TCP granted for our UDP request
                () -> PcpCodec.decodeMap(hex(MINIUPNPD_REPLY), NONCE, TransportProtocol.TCP, 40000));
        assertThrows(PortMappingDecodeException.class, // an IPv6 external address for an IPv4 mapping
                () -> PcpCodec.decodeMap(hex(MINIUPNPD_REPLY.substring(0, 88) + "20010db8000000000000000000000001"), NONCE,
                        TransportProtocol.UDP, 40000));
    }

    @Test
    void aDeletesReplyMayCarryNoAddress() throws Exception {
        String deleted = "0281000000000000" + MINIUPNPD_REPLY.substring(16, 80) + "9c400000" + "00000000000000000000000000000000";
        GrantedMapping m = PcpCodec.decodeMap(hex(deleted), NONCE, TransportProtocol.UDP, 40000);
        assertEquals(Duration.ZERO, m.lifetime());
        assertNull(m.externalAddress());
    }
}
