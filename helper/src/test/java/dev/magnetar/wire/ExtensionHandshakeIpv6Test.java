package dev.magnetar.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BencodeEncoder;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BEP 10's {@code ipv6} key: our address out, theirs in, anything else ignored. */
class ExtensionHandshakeIpv6Test {

    @Test
    void ourIpv6AddressTravelsAsSixteenBytesAndIsReadBack() throws Exception {
        Inet6Address ours = (Inet6Address) InetAddress.getByName("2001:db8::42");
        ExtensionHandshake sent = ExtensionHandshake.builder().listenPort(6881).ipv6(ours).build();
        BDictionary wire = (BDictionary) dev.magnetar.bencode.BencodeDecoder.decode(sent.encode(),
                dev.magnetar.bencode.BencodeLimits.NETWORK);
        assertEquals(16, ((BString) wire.get("ipv6")).length());
        assertEquals(Optional.of(ours), ExtensionHandshake.decode(sent.encode()).ipv6());
    }

    @Test
    void anIpv6KeyThatIsNotSixteenBytesOfIpv6IsIgnored() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1; // ::ffff:10.0.0.1 — an IPv4 address in IPv6 clothing
        for (dev.magnetar.bencode.BValue bad : new dev.magnetar.bencode.BValue[] {
                BString.of(new byte[15]), BString.of(new byte[17]), BString.of(new byte[4]), new BInteger(6), BString.of(mapped)}) {
            byte[] payload = BencodeEncoder.encode(BDictionary.builder().put("m", BDictionary.builder().build())
                    .put("p", 6881).put("ipv6", bad).build());
            assertEquals(Optional.empty(), ExtensionHandshake.decode(payload).ipv6(), "ipv6 = " + bad);
        }
    }
}
