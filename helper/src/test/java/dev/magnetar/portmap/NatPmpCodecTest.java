package dev.magnetar.portmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NatPmpCodecTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void mapRequestIsTwelveBigEndianBytesWithTheProtocolsOpcode() {
        assertArrayEquals(hex("00 02 0000 9c40 9c41 00000e10"),
                NatPmpCodec.mapRequest(TransportProtocol.TCP, 40000, 40001, Duration.ofHours(1)));
        assertArrayEquals(hex("00 01 0000 9c40 0000 00000000"),
                NatPmpCodec.mapRequest(TransportProtocol.UDP, 40000, 0, Duration.ZERO));
        assertArrayEquals(hex("0000"), NatPmpCodec.externalAddressRequest());
    }

    @Test
    void decodesAMapReplyAsMiniupnpdSendsIt() throws Exception {
        // Seen from miniupnpd 2.3.1: TCP 40000 mapped to 40000 for 120 s.
        GrantedMapping m = NatPmpCodec.decodeMap(hex("0082 0000 0000a5c8 9c40 9c40 00000078"), TransportProtocol.TCP, 40000);
        assertEquals(40000, m.externalPort());
        assertEquals(Duration.ofSeconds(120), m.lifetime());
    }

    @Test
    void decodesTheExternalAddress() throws Exception {
        assertEquals("11.213.41.1", NatPmpCodec.decodeExternalAddress(hex("0080 0000 0000a5c8 0bd52901")).getHostAddress());
    }

    @Test
    void aNonZeroResultCodeIsARefusalThatSaysWhy() {
        NatPmpRefusedException e = assertThrows(NatPmpRefusedException.class,
                () -> NatPmpCodec.decodeMap(hex("0082 0002"), TransportProtocol.TCP, 40000));
        assertEquals(2, e.resultCode());
        assertTrue(e.getMessage().contains("not authorized"), e.getMessage());
    }

    @Test
    void truncatedRepliesAreDecodeErrors() {
        assertThrows(PortMappingDecodeException.class, () -> NatPmpCodec.decodeMap(new byte[0], TransportProtocol.TCP, 1));
        assertThrows(PortMappingDecodeException.class, () -> NatPmpCodec.decodeMap(hex("0082 0000 0000a5c8 9c40"), TransportProtocol.TCP, 40000));
        assertThrows(PortMappingDecodeException.class, () -> NatPmpCodec.decodeExternalAddress(hex("0080 0000 0000a5c8 0bd5")));
    }

    @Test
    void aReplyToAnotherRequestIsRefused() {
        // opcode 129 answers a UDP request, not our TCP one
        assertThrows(PortMappingDecodeException.class,
                () -> NatPmpCodec.decodeMap(hex("0081 0000 0000a5c8 9c40 9c40 00000078"), TransportProtocol.TCP, 40000));
        // our internal port not echoed
        assertThrows(PortMappingDecodeException.class,
                () -> NatPmpCodec.decodeMap(hex("0082 0000 0000a5c8 9c41 9c40 00000078"), TransportProtocol.TCP, 40000));
        // another version
        assertThrows(PortMappingDecodeException.class,
                () -> NatPmpCodec.decodeMap(hex("0182 0000 0000a5c8 9c40 9c40 00000078"), TransportProtocol.TCP, 40000));
    }

    @Test
    void aLifetimeWithoutAnExternalPortIsNonsense() {
        assertThrows(PortMappingDecodeException.class,
                () -> NatPmpCodec.decodeMap(hex("0082 0000 0000a5c8 9c40 0000 00000078"), TransportProtocol.TCP, 40000));
    }

    @Test
    void lifetimesBeyondThirtyTwoBitsAreClamped() {
        byte[] r = NatPmpCodec.mapRequest(TransportProtocol.TCP, 1, 1, Duration.ofDays(100_000));
        assertEquals(0xFFFF_FFFFL, Integer.toUnsignedLong(ByteBuffer.wrap(r, 8, 4).getInt()));
    }
}
