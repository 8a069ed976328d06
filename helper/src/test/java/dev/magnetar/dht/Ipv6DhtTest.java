package dev.magnetar.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BEP 32 among our own nodes on loopback: an IPv6-only DHT on ::1, an IPv4 node on 127.0.0.1, and a
 * dual-stack node on "::" that belongs to both and is queried by hand over each family.
 */
class Ipv6DhtTest {

    private static final int IPV6_NODES = 4;
    private static final List<DhtNode> ipv6 = new ArrayList<>();
    private static DhtNode ipv4;
    private static DhtNode dualStack;

    @BeforeAll
    static void startNetworks() throws Exception {
        DhtNode first = new DhtNode(LoopbackDht.ipv6(List.of()));
        first.start();
        ipv6.add(first);
        for (int i = 1; i < IPV6_NODES; i++) {
            DhtNode n = new DhtNode(LoopbackDht.ipv6(List.of(LoopbackDht.address6(first))));
            n.start();
            n.bootstrap().get(20, TimeUnit.SECONDS);
            ipv6.add(n);
        }
        for (DhtNode n : ipv6) {
            n.bootstrap().get(20, TimeUnit.SECONDS);
        }
        ipv4 = new DhtNode(LoopbackDht.settings(List.of(), null));
        ipv4.start();
        dualStack = new DhtNode(LoopbackDht.dualStack(List.of(LoopbackDht.address6(first), LoopbackDht.address(ipv4))));
        dualStack.start();
        dualStack.bootstrapped().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopNetworks() {
        ipv6.forEach(DhtNode::close);
        if (ipv4 != null) {
            ipv4.close();
        }
        if (dualStack != null) {
            dualStack.close();
        }
    }

    @Test
    void aNodeOnIpv6OnlyKeepsItsContactsInTheIpv6Table() {
        DhtNode n = ipv6.get(2);
        assertEquals(Set.of(IpFamily.V6), n.families());
        assertTrue(n.routingTable(IpFamily.V6).size() >= 2, "learned its IPv6 neighbours: " + n.routingTableNodes());
        assertEquals(0, n.routingTable(IpFamily.V4).size());
    }

    @Test
    void aDualStackNodeJoinsBothDhtsWithOneId() {
        assertEquals(Set.of(IpFamily.V4, IpFamily.V6), dualStack.families());
        assertTrue(dualStack.routingTable(IpFamily.V4).nodes().stream().anyMatch(c -> c.id().equals(ipv4.id())),
                "the IPv4 bootstrap node is in the IPv4 table: " + dualStack.routingTableNodes());
        assertTrue(dualStack.routingTable(IpFamily.V6).nodes().stream()
                        .allMatch(c -> c.address().getAddress() instanceof Inet6Address),
                "only IPv6 contacts in the IPv6 table: " + dualStack.routingTable(IpFamily.V6).nodes());
        assertTrue(dualStack.routingTable(IpFamily.V6).size() >= 2, "learned the IPv6 DHT: " + dualStack.routingTableNodes());
        // The IPv6 nodes know the dual-stack node by the same id it has in the IPv4 DHT.
        assertTrue(ipv4.routingTableNodes().stream().anyMatch(c -> c.id().equals(dualStack.id())));
        assertTrue(ipv6.stream().anyMatch(n -> n.routingTableNodes().stream().anyMatch(c -> c.id().equals(dualStack.id()))));
    }

    @Test
    void aPeerAnnouncedOverIpv6IsFoundOverIpv6AsAnIpv6Address() throws Exception {
        InfoHash ih = InfoHash.fromHex("a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6");
        int accepted = ipv6.get(1).announce(ih, 42426).get(20, TimeUnit.SECONDS);
        assertTrue(accepted >= 1, "at least one IPv6 node accepted the announce, got " + accepted);

        List<InetSocketAddress> peers = ipv6.get(3).getPeers(ih).get(20, TimeUnit.SECONDS);
        assertEquals(List.of(new InetSocketAddress("::1", 42426)), peers);
        assertInstanceOf(Inet6Address.class, peers.get(0).getAddress());
    }

    @Test
    void aDualStackNodeAnnouncesInBothFamiliesAndFindsBoth() throws Exception {
        InfoHash ih = InfoHash.fromHex("d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0");
        int accepted = dualStack.announce(ih, 42427).get(20, TimeUnit.SECONDS);
        assertTrue(accepted >= 2, "accepted in both DHTs, got " + accepted);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 42427)), ipv4.storedPeers(ih));
        assertTrue(ipv6.stream().anyMatch(n -> n.storedPeers(ih).equals(List.of(new InetSocketAddress("::1", 42427)))),
                "an IPv6 node stored our IPv6 address");

        assertEquals(Set.of(new InetSocketAddress("127.0.0.1", 42427), new InetSocketAddress("::1", 42427)),
                Set.copyOf(dualStack.getPeers(ih).get(20, TimeUnit.SECONDS)));
    }

    @Test
    void findNodeAnswersWithTheFamiliesWantNamesAndByDefaultTheQueriersOwn() throws Exception {
        try (Querier v6 = new Querier("::1"); Querier v4 = new Querier("127.0.0.1")) {
            KrpcMessage.Response plain6 = v6.ask(tid -> new KrpcMessage.FindNode(tid, v6.id, NodeId.random()));
            assertFalse(plain6.nodes6().isEmpty(), "over IPv6, nodes6 by default");
            assertTrue(plain6.nodes().isEmpty(), "over IPv6, no IPv4 nodes unless wanted");

            KrpcMessage.Response plain4 = v4.ask(tid -> new KrpcMessage.FindNode(tid, v4.id, NodeId.random()));
            assertFalse(plain4.nodes().isEmpty(), "over IPv4, nodes by default");
            assertTrue(plain4.nodes6().isEmpty(), "over IPv4, no IPv6 nodes unless wanted");

            KrpcMessage.Response only4 = v6.ask(tid -> new KrpcMessage.FindNode(tid, v6.id, NodeId.random(), Set.of(IpFamily.V4)));
            assertFalse(only4.nodes().isEmpty());
            assertTrue(only4.nodes6().isEmpty());

            KrpcMessage.Response both = v4.ask(tid -> new KrpcMessage.GetPeers(tid, v4.id, InfoHash.of(new byte[20]),
                    Set.of(IpFamily.V4, IpFamily.V6)));
            assertFalse(both.nodes().isEmpty());
            assertFalse(both.nodes6().isEmpty());
            assertTrue(both.nodes().stream().allMatch(n -> n.address().getAddress() instanceof Inet4Address));
            assertTrue(both.nodes6().stream().allMatch(n -> n.address().getAddress() instanceof Inet6Address));
        }
    }

    @Test
    void anAnnounceTokenIsBoundToTheQueriersIpv6AddressAndItsPeerIsServedOverIpv6Only() throws Exception {
        InfoHash ih = InfoHash.fromHex("70707070707070707070707070707070707070b6");
        try (Querier v6 = new Querier("::1"); Querier v4 = new Querier("127.0.0.1")) {
            Token token = v6.ask(tid -> new KrpcMessage.GetPeers(tid, v6.id, ih)).token();

            KrpcMessage fromV4 = v4.send(tid -> new KrpcMessage.AnnouncePeer(tid, v4.id, ih, 42428, false, token));
            KrpcMessage.Error refused = assertInstanceOf(KrpcMessage.Error.class, fromV4, "a token given to ::1 is no good from 127.0.0.1");
            assertEquals(KrpcMessage.Error.PROTOCOL, refused.code());
            assertTrue(dualStack.storedPeers(ih).isEmpty());

            assertInstanceOf(KrpcMessage.Response.class,
                    v6.send(tid -> new KrpcMessage.AnnouncePeer(tid, v6.id, ih, 42428, false, token)));
            assertEquals(List.of(new InetSocketAddress("::1", 42428)), dualStack.storedPeers(ih));

            KrpcMessage.Response over6 = v6.ask(tid -> new KrpcMessage.GetPeers(tid, v6.id, ih));
            assertEquals(List.of(new InetSocketAddress("::1", 42428)), over6.values());
            KrpcMessage.Response over4 = v4.ask(tid -> new KrpcMessage.GetPeers(tid, v4.id, ih));
            assertEquals(List.of(), over4.values(), "an IPv4 querier gets IPv4 peers only");
        }
    }

    /** A bare KRPC client on one loopback address, talking to the dual-stack node. */
    private static final class Querier implements AutoCloseable {
        final NodeId id = NodeId.random();
        final DatagramSocket socket;
        final InetSocketAddress target;
        private int next;

        Querier(String loopback) throws Exception {
            InetAddress ip = InetAddress.getByName(loopback);
            socket = new DatagramSocket(0, ip);
            socket.setSoTimeout(20_000); // guards against a hang only; a reply is expected
            target = new InetSocketAddress(ip, dualStack.port());
        }

        KrpcMessage send(java.util.function.Function<TransactionId, KrpcMessage.Query> make) throws Exception {
            TransactionId tid = TransactionId.of(("q" + next++).getBytes(StandardCharsets.US_ASCII));
            byte[] wire = KrpcCodec.encode(make.apply(tid));
            socket.send(new DatagramPacket(wire, wire.length, target));
            byte[] buf = new byte[KrpcCodec.MAX_DATAGRAM_BYTES];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                KrpcMessage m = KrpcCodec.decode(Arrays.copyOf(buf, p.getLength()));
                if (m.transactionId().equals(tid)) {
                    return m;
                }
            }
        }

        KrpcMessage.Response ask(java.util.function.Function<TransactionId, KrpcMessage.Query> make) throws Exception {
            return assertInstanceOf(KrpcMessage.Response.class, send(make));
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
