package dev.magnetar.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.MutableClock;
import dev.magnetar.wire.ExtensionHandshake;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPv6 through PEX (BEP 11 {@code added6}/{@code added6.f}/{@code dropped6}) and the BEP 10 {@code ipv6} key. */
class PexIpv6Test {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final List<PexPeer> candidates = new ArrayList<>();
    private final PexTracker pex = new PexTracker(false, 6881, clock, PexTracker.Options.defaults(),
            (source, peers) -> candidates.addAll(peers));

    private static InetSocketAddress addr(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void aPeerNamingItsIpv6AddressBecomesOneCandidateOnce() throws Exception {
        FakeExtensionPeer v4 = new FakeExtensionPeer("10.0.0.1", 50000).offering("ut_pex", 5);
        ExtensionHandshake theirs = ExtensionHandshake.builder().message("ut_pex", 5).listenPort(6000)
                .ipv6((Inet6Address) InetAddress.getByName("2001:db8::1")).build();
        pex.peerHandshake(v4, theirs);
        pex.peerHandshake(new FakeExtensionPeer("10.0.0.1", 50001).offering("ut_pex", 5), theirs);
        assertEquals(List.of(new PexPeer(addr("2001:db8::1", 6000), 0)), candidates, "once, with its listen port");
    }

    @Test
    void ipv6PeersAreSentInAdded6AndDropped6AndReadBackWithTheirFlags() throws Exception {
        FakeExtensionPeer a = new FakeExtensionPeer("::1", 7000).offering("ut_pex", 5);
        pex.peerConnected(a.address(), 0);
        pex.peerConnected(addr("2001:db8::2", 6000), PexPeer.SEED);
        pex.peerConnected(addr("10.0.0.3", 6000), 0);
        pex.peerHandshake(a, ExtensionHandshake.builder().message("ut_pex", 5).build());
        pex.tick();
        PexMessage first = PexCodec.decode(a.takeSent().get(0).payload(), 1000, 1000);
        assertTrue(first.added().contains(new PexPeer(addr("2001:db8::2", 6000), PexPeer.SEED)), first.toString());
        assertTrue(first.added().contains(new PexPeer(addr("10.0.0.3", 6000), 0)), first.toString());

        pex.peerDisconnected(addr("2001:db8::2", 6000));
        clock.advance(Duration.ofSeconds(61));
        pex.tick();
        PexMessage second = PexCodec.decode(a.takeSent().get(0).payload(), 1000, 1000);
        assertEquals(List.of(addr("2001:db8::2", 6000)), second.dropped());

        // The other way: an IPv6 entry a peer sends us is a candidate like an IPv4 one.
        FakeExtensionPeer b = new FakeExtensionPeer("::1", 7001).offering("ut_pex", 5);
        pex.peerHandshake(b, ExtensionHandshake.builder().message("ut_pex", 5).build());
        pex.message(b, PexCodec.encode(new PexMessage(List.of(new PexPeer(addr("2001:db8::9", 6001), PexPeer.SUPPORTS_UTP)),
                List.of())));
        assertEquals(List.of(new PexPeer(addr("2001:db8::9", 6001), PexPeer.SUPPORTS_UTP)), candidates);
    }

    @Test
    void tooManyIpv6EntriesAreBoundedAsIpv4Ones() throws Exception {
        List<PexPeer> many = new ArrayList<>();
        for (int i = 0; i < PexCodec.MAX_PEERS_PER_MESSAGE + 40; i++) {
            many.add(new PexPeer(addr("2001:db8::" + Integer.toHexString(i + 1), 6000), 0));
        }
        PexMessage read = PexCodec.decode(PexCodec.encode(new PexMessage(many, List.of())), 60, 60);
        assertEquals(60, read.added().size(), "the same maximum as for IPv4 entries");
    }
}
