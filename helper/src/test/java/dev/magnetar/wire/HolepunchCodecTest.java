package dev.magnetar.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HolepunchCodecTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void ipv4MessagesAreTwelveBytesWithAZeroErrorCode() {
        HolepunchMessage m = new HolepunchMessage.Rendezvous(new InetSocketAddress("10.0.0.2", 6881));
        assertArrayEquals(hex("00 00 0a000002 1ae1 00000000"), HolepunchCodec.encode(m));
        assertEquals(m, HolepunchCodec.decode(HolepunchCodec.encode(m)));
    }

    @Test
    void ipv6ConnectAndErrorsRoundTrip() {
        HolepunchMessage connect = new HolepunchMessage.Connect(new InetSocketAddress("2001:db8::7", 51413));
        assertEquals(24, HolepunchCodec.encode(connect).length);
        assertEquals(connect, HolepunchCodec.decode(HolepunchCodec.encode(connect)));
        HolepunchMessage error = new HolepunchMessage.Error(new InetSocketAddress("10.0.0.2", 6881), HolepunchError.NOT_CONNECTED);
        assertArrayEquals(hex("02 00 0a000002 1ae1 00000002"), HolepunchCodec.encode(error));
        assertEquals(error, HolepunchCodec.decode(HolepunchCodec.encode(error)));
    }

    @Test
    void everyBep55ErrorCodeDecodes() {
        for (HolepunchError e : HolepunchError.values()) {
            byte[] m = HolepunchCodec.encode(new HolepunchMessage.Error(new InetSocketAddress("10.0.0.2", 1), e));
            assertEquals(e, ((HolepunchMessage.Error) HolepunchCodec.decode(m)).error());
        }
    }

    @Test
    void malformedMessagesBreakTheProtocol() {
        String[] bad = {
            "",                                  // nothing
            "00",                                // no address type
            "00 00 0a000002 1ae1",               // no error code
            "00 00 0a000002 1ae1 00000000 00",   // a byte too many
            "00 01 0a000002 1ae1 00000000",      // says IPv6, carries IPv4
            "00 02 0a000002 1ae1 00000000",      // unknown address type
            "03 00 0a000002 1ae1 00000000",      // unknown message type
            "00 00 0a000002 1ae1 00000001",      // a rendezvous with an error code
            "02 00 0a000002 1ae1 00000000",      // an error without one
            "02 00 0a000002 1ae1 00000005",      // an error code BEP 55 does not define
            "02 00 0a000002 1ae1 ffffffff",
        };
        for (String b : bad) {
            PeerProtocolException e = assertThrows(PeerProtocolException.class, () -> HolepunchCodec.decode(hex(b)), b);
            assertEquals(PeerProtocolException.Violation.MALFORMED_MESSAGE, e.violation(), b);
            assertTrue(e.getMessage().contains("BEP 55"), e.getMessage());
        }
    }

    @Test
    void anUnresolvedEndpointIsRefusedBeforeItIsSent() {
        assertThrows(IllegalArgumentException.class,
                () -> new HolepunchMessage.Connect(InetSocketAddress.createUnresolved("peer.example", 6881)));
    }
}
