package dev.magnetar.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.bencode.BString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PexCodecTest {

    private static InetSocketAddress addr(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void encodesCompactIpv4AndIpv6WithFlags() throws Exception {
        PexMessage m = new PexMessage(
                List.of(new PexPeer(addr("10.0.0.1", 6881), PexPeer.SEED | PexPeer.REACHABLE),
                        new PexPeer(addr("2001:db8::1", 51413), PexPeer.SUPPORTS_UTP)),
                List.of(addr("192.168.1.2", 0x1A2B)));
        BDictionary d = (BDictionary) BencodeDecoder.decode(PexCodec.encode(m));
        assertArrayEquals(new byte[] {10, 0, 0, 1, 0x1A, (byte) 0xE1}, ((BString) d.get("added")).bytes());
        assertArrayEquals(new byte[] {0x12}, ((BString) d.get("added.f")).bytes());
        assertEquals(18, ((BString) d.get("added6")).length());
        assertArrayEquals(new byte[] {0x04}, ((BString) d.get("added6.f")).bytes());
        assertArrayEquals(new byte[] {(byte) 192, (byte) 168, 1, 2, 0x1A, 0x2B}, ((BString) d.get("dropped")).bytes());
        assertEquals(m, PexCodec.decode(PexCodec.encode(m)));
    }

    @Test
    void readsEachPeersFlagsByteInOrderAndAShortFlagsStringLeavesTheRestAtZero() throws Exception {
        byte[] payload = BencodeEncoder.encode(BDictionary.builder()
                .put("added", new byte[] {1, 1, 1, 1, 0, 1, 2, 2, 2, 2, 0, 2, 3, 3, 3, 3, 0, 3})
                .put("added.f", new byte[] {0x1F, 0x0A}) // libtorrent sends one byte per peer; this sender fell short
                .build());
        assertEquals(List.of(new PexPeer(addr("1.1.1.1", 1), PexPeer.PREFERS_ENCRYPTION | PexPeer.SEED | PexPeer.SUPPORTS_UTP
                        | PexPeer.SUPPORTS_HOLEPUNCH | PexPeer.REACHABLE),
                new PexPeer(addr("2.2.2.2", 2), PexPeer.SEED | PexPeer.SUPPORTS_HOLEPUNCH),
                new PexPeer(addr("3.3.3.3", 3), 0)), PexCodec.decode(payload).added());
    }

    @Test
    void missingFlagsMeanZeroAndPortZeroIsSkipped() throws Exception {
        byte[] payload = BencodeEncoder.encode(BDictionary.builder()
                .put("added", new byte[] {1, 2, 3, 4, 0, 80, 5, 6, 7, 8, 0, 0}).build());
        assertEquals(new PexMessage(List.of(new PexPeer(addr("1.2.3.4", 80), 0)), List.of()), PexCodec.decode(payload));
    }

    @Test
    void readsAtMostTheLimitAndIgnoresTheRest() throws Exception {
        List<PexPeer> many = new ArrayList<>();
        List<InetSocketAddress> gone = new ArrayList<>();
        for (int i = 1; i <= 80; i++) {
            many.add(new PexPeer(addr("10.0.1." + i, 1000 + i), 0));
            gone.add(addr("10.0.2." + i, 2000 + i));
        }
        PexMessage decoded = PexCodec.decode(PexCodec.encode(new PexMessage(many, gone)));
        assertEquals(many.subList(0, 50), decoded.added());
        assertEquals(gone.subList(0, 50), decoded.dropped());
    }

    @Test
    void malformedMessagesAreTypedErrors() {
        for (String bad : List.of("le", "d5:addedi1ee", "d5:added5:12345e", "d7:dropped7:1234567e", "garbage", "d5:added")) {
            assertThrows(PexException.class, () -> PexCodec.decode(bad.getBytes(StandardCharsets.ISO_8859_1)), bad);
        }
    }

    @Property(tries = 2000)
    void randomBytesNeverThrowUnchecked(@ForAll @Size(max = 200) byte[] payload) {
        try {
            PexMessage m = PexCodec.decode(payload);
            assertEquals(true, m.added().size() <= 50 && m.dropped().size() <= 50);
        } catch (PexException expected) {
            // typed
        }
    }

    @Property(tries = 500)
    void mutatedMessagesNeverThrowUnchecked(@ForAll("messages") PexMessage m, @ForAll int position, @ForAll byte replacement) {
        byte[] bytes = PexCodec.encode(m);
        bytes[Math.floorMod(position, bytes.length)] = replacement;
        try {
            PexCodec.decode(bytes);
        } catch (PexException expected) {
            // typed
        }
    }

    @Property(tries = 300)
    void validMessagesRoundTrip(@ForAll("messages") PexMessage m) throws Exception {
        assertEquals(m, PexCodec.decode(PexCodec.encode(m)));
    }

    @Provide
    Arbitrary<PexMessage> messages() {
        Arbitrary<InetSocketAddress> v4 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.integers().between(1, 65535)).as(PexCodecTest::socket);
        Arbitrary<InetSocketAddress> v6 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(16),
                Arbitraries.integers().between(1, 65535)).as(PexCodecTest::socket)
                .filter(a -> a.getAddress() instanceof java.net.Inet6Address); // ::ffff:a.b.c.d decodes as IPv4
        Arbitrary<PexPeer> peer = Combinators.combine(Arbitraries.oneOf(v4, v6), Arbitraries.integers().between(0, 255)).as(PexPeer::new);
        // Sorted v4 before v6, as the codec returns them.
        return Combinators.combine(peer.list().ofMaxSize(20), v4.list().ofMaxSize(20))
                .as((added, dropped) -> new PexMessage(v4First(added), dropped));
    }

    private static List<PexPeer> v4First(List<PexPeer> peers) {
        List<PexPeer> out = new ArrayList<>();
        peers.stream().filter(p -> p.address().getAddress() instanceof java.net.Inet4Address).forEach(out::add);
        peers.stream().filter(p -> !(p.address().getAddress() instanceof java.net.Inet4Address)).forEach(out::add);
        return out;
    }

    private static InetSocketAddress socket(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
