package dev.magnetar.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.InfoHash;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KrpcCodecTest {

    static final NodeId A = NodeId.fromHex("0123456789abcdef0123456789abcdef01234567");
    static final NodeId B = NodeId.fromHex("fedcba9876543210fedcba9876543210fedcba98");
    static final InfoHash IH = InfoHash.fromHex("000102030405060708090a0b0c0d0e0f10111213");
    static final TransactionId T = TransactionId.of("aa".getBytes(StandardCharsets.US_ASCII));

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyMessageWeSendNamesUsInVWithOurClientCodeAndVersion() throws Exception {
        byte[] ping = KrpcCodec.encode(new KrpcMessage.Ping(T, A));
        String text = new String(ping, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("1:v4:MZ\u0000\u0001"), text);
    }

    @Test
    void decodesTheBep5PingExample() throws Exception {
        // BEP 5's example ping query, byte for byte.
        KrpcMessage m = KrpcCodec.decode(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"));
        KrpcMessage.Ping ping = assertInstanceOf(KrpcMessage.Ping.class, m);
        assertEquals(T, ping.transactionId());
        assertArrayEquals(ascii("abcdefghij0123456789"), ping.sender().bytes());
    }

    @Test
    void decodesTheBep5AnnouncePeerExample() throws Exception {
        KrpcMessage m = KrpcCodec.decode(ascii("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe"));
        KrpcMessage.AnnouncePeer a = assertInstanceOf(KrpcMessage.AnnouncePeer.class, m);
        assertTrue(a.impliedPort());
        assertEquals(6881, a.port());
        assertArrayEquals(ascii("aoeusnth"), a.token().bytes());
        assertArrayEquals(ascii("mnopqrstuvwxyz123456"), a.infoHash().bytes());
    }

    @Test
    void decodesTheBep5ErrorExample() throws Exception {
        KrpcMessage.Error e = assertInstanceOf(KrpcMessage.Error.class,
                KrpcCodec.decode(ascii("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")));
        assertEquals(201, e.code());
        assertEquals("A Generic Error Ocurred", e.message());
    }

    @Test
    void everyQueryRoundTrips() throws Exception {
        List<KrpcMessage> messages = List.of(
                new KrpcMessage.Ping(T, A),
                new KrpcMessage.FindNode(T, A, B),
                new KrpcMessage.GetPeers(T, A, IH),
                new KrpcMessage.AnnouncePeer(T, A, IH, 51413, false, Token.of(new byte[] {1, 2, 3, 4})),
                new KrpcMessage.AnnouncePeer(T, A, IH, 0, true, Token.of(new byte[] {9})),
                new KrpcMessage.Error(T, 203, "bad token"));
        for (KrpcMessage m : messages) {
            assertEquals(m, KrpcCodec.decode(KrpcCodec.encode(m)), m.toString());
        }
    }

    @Test
    void responsesCarryCompactNodesPeersAndToken() throws Exception {
        NodeInfo n4 = new NodeInfo(B, new InetSocketAddress("127.0.0.1", 6881));
        NodeInfo n6 = new NodeInfo(A, new InetSocketAddress("::1", 6882));
        InetSocketAddress peer = new InetSocketAddress("10.1.2.3", 51413);
        KrpcMessage.Response r = new KrpcMessage.Response(T, A, List.of(n4), List.of(n6), List.of(peer), Token.of(new byte[] {7, 7}));
        byte[] wire = KrpcCodec.encode(r);
        KrpcMessage.Response back = assertInstanceOf(KrpcMessage.Response.class, KrpcCodec.decode(wire));
        assertEquals(r, back);
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("5:nodes26:"), "IPv4 nodes are 26-byte compact node info");
        assertTrue(text.contains("6:nodes638:"), "IPv6 nodes are 38 bytes");
        assertTrue(text.contains("6:valuesl6:"), "IPv4 peers are 6 bytes");
    }

    @Test
    void compactPeerIsIpThenBigEndianPort() {
        byte[] b = CompactAddresses.peer(new InetSocketAddress("1.2.3.4", 0x1AE1));
        assertEquals("010203041ae1", HexFormat.of().formatHex(b));
    }

    @Test
    void truncatedNodesAreAProtocolErrorWithTheTransactionId() {
        byte[] wire = ascii("d1:rd2:id20:abcdefghij01234567895:nodes5:abcdee1:t2:xy1:y1:re");
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire));
        assertEquals(203, e.errorCode());
        assertEquals(TransactionId.of(ascii("xy")), e.transactionId().orElseThrow());
        assertFalse(e.wasQuery());
    }

    @Test
    void shortNodeIdInAQueryIsAnsweredWith203() {
        byte[] wire = ascii("d1:ad2:id3:abce1:q4:ping1:t2:zz1:y1:qe");
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire));
        assertTrue(e.wasQuery());
        assertEquals(203, e.errorCode());
    }

    @Test
    void unknownMethodIs204() {
        byte[] wire = ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t2:zz1:y1:qe");
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire));
        assertEquals(204, e.errorCode());
    }

    @Test
    void announceWithoutImpliedPortNeedsARealPort() {
        byte[] wire = ascii("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe");
        assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire));
    }

    @Test
    void oversizeDatagramIsRejectedBeforeParsing() {
        byte[] big = new byte[KrpcCodec.MAX_DATAGRAM_BYTES + 1];
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(big));
        assertTrue(e.transactionId().isEmpty());
    }

    @Test
    void nonDictionaryAndMissingTransactionIdHaveNoTransactionId() {
        assertTrue(assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(ascii("li1ee"))).transactionId().isEmpty());
        assertTrue(assertThrows(KrpcDecodeException.class,
                () -> KrpcCodec.decode(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:y1:qe"))).transactionId().isEmpty());
    }

    @Test
    void uncontactableNodesAndPeersAreSkippedNotFatal() throws Exception {
        byte[] zeroPort = new byte[26];
        zeroPort[20] = 1; // 1.0.0.0:0
        KrpcMessage.Response r = new KrpcMessage.Response(T, A, List.of(), List.of(), List.of(), null);
        byte[] wire = KrpcCodec.encode(r);
        String s = new String(wire, StandardCharsets.ISO_8859_1).replace("d2:id20:", "d5:nodes26:" + new String(zeroPort, StandardCharsets.ISO_8859_1) + "2:id20:");
        KrpcMessage.Response back = assertInstanceOf(KrpcMessage.Response.class, KrpcCodec.decode(ascii(s)));
        assertTrue(back.nodes().isEmpty());
    }

    @Test
    void wantRoundTripsInFindNodeAndGetPeersAsN4AndN6() throws Exception {
        KrpcMessage.FindNode both = new KrpcMessage.FindNode(T, A, B, Set.of(IpFamily.V6, IpFamily.V4));
        KrpcMessage.GetPeers v6 = new KrpcMessage.GetPeers(T, A, IH, Set.of(IpFamily.V6));
        assertEquals(both, KrpcCodec.decode(KrpcCodec.encode(both)));
        assertEquals(v6, KrpcCodec.decode(KrpcCodec.encode(v6)));
        assertTrue(new String(KrpcCodec.encode(both), StandardCharsets.ISO_8859_1).contains("4:wantl2:n42:n6e"));
        assertTrue(new String(KrpcCodec.encode(v6), StandardCharsets.ISO_8859_1).contains("4:wantl2:n6e"));
    }

    @Test
    void aQueryWithoutWantSaysNothingAboutIt() throws Exception {
        byte[] wire = KrpcCodec.encode(new KrpcMessage.FindNode(T, A, B));
        assertFalse(new String(wire, StandardCharsets.ISO_8859_1).contains("want"));
        assertEquals(Set.of(), assertInstanceOf(KrpcMessage.FindNode.class, KrpcCodec.decode(wire)).want());
    }

    @Test
    void unknownWantEntriesAreIgnoredAsBep32Asks() throws Exception {
        byte[] wire = query("find_node", BDictionary.builder().put("id", A.bytes()).put("target", B.bytes())
                .put("want", new BList(List.of(BString.of("n5"), BString.of("n6"), BString.of("")))));
        assertEquals(Set.of(IpFamily.V6), assertInstanceOf(KrpcMessage.FindNode.class, KrpcCodec.decode(wire)).want());
    }

    @Test
    void wantThatIsNotAListOfStringsIsA203ForTheQuerier() {
        byte[] notAList = query("get_peers", BDictionary.builder().put("id", A.bytes()).put("info_hash", IH.bytes())
                .put("want", BString.of("n6")));
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(notAList));
        assertTrue(e.wasQuery());
        assertEquals(203, e.errorCode());
        assertTrue(e.getMessage().contains("\"want\""), e.getMessage());

        byte[] notStrings = query("find_node", BDictionary.builder().put("id", A.bytes()).put("target", B.bytes())
                .put("want", new BList(List.of(new BList(List.of())))));
        e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(notStrings));
        assertEquals(203, e.errorCode());
        assertTrue(e.getMessage().contains("\"want\" entry"), e.getMessage());
    }

    @Test
    void nodes6ThatIsNotAWholeNumberOf38ByteEntriesIsAClearError() {
        for (int length : new int[] {1, 26, 37, 39, 75, 77}) {
            byte[] wire = response(BDictionary.builder().put("id", A.bytes()).put("nodes6", new byte[length]));
            KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire), "length " + length);
            assertEquals(203, e.errorCode());
            assertEquals(TransactionId.of(ascii("xy")), e.transactionId().orElseThrow());
            assertFalse(e.wasQuery());
            assertTrue(e.getMessage().contains("\"nodes6\" of " + length + " bytes is not a multiple of 38"), e.getMessage());
        }
    }

    @Test
    void nodes6ThatIsNotAStringIsAClearError() {
        byte[] wire = response(BDictionary.builder().put("id", A.bytes()).put("nodes6", new BList(List.of())));
        KrpcDecodeException e = assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire));
        assertTrue(e.getMessage().contains("\"nodes6\" is a "), e.getMessage());
    }

    @Test
    void nodes6WithIpv4SizedEntriesIsNotReadAsIpv4() {
        // Two 26-byte IPv4 entries (52 bytes) under "nodes6": not a multiple of 38, so refused, never misread.
        byte[] wire = response(BDictionary.builder().put("id", A.bytes())
                .put("nodes6", CompactAddresses.nodes(List.of(new NodeInfo(B, new InetSocketAddress("127.0.0.1", 1)),
                        new NodeInfo(A, new InetSocketAddress("127.0.0.2", 2))), false)));
        assertThrows(KrpcDecodeException.class, () -> KrpcCodec.decode(wire));
    }

    @Test
    void ipv6ValuesAre18BytePeers() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress("::1", 51413);
        InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", 6881);
        byte[] wire = KrpcCodec.encode(new KrpcMessage.Response(T, A, List.of(), List.of(), List.of(v6, v4), Token.of(new byte[] {1})));
        assertTrue(new String(wire, StandardCharsets.ISO_8859_1).contains("6:valuesl18:"), "an IPv6 peer is 18 bytes");
        KrpcMessage.Response back = assertInstanceOf(KrpcMessage.Response.class, KrpcCodec.decode(wire));
        assertEquals(List.of(v6, v4), back.values());
        assertInstanceOf(Inet6Address.class, back.values().get(0).getAddress());
    }

    @Test
    void valuesOfAnotherLengthAreSkippedAndTheRestKept() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress("::1", 51413);
        byte[] wire = response(BDictionary.builder().put("id", A.bytes())
                .put("values", new BList(List.of(BString.of(new byte[17]), BString.of(CompactAddresses.peer(v6)), BString.of(new byte[19])))));
        assertEquals(List.of(v6), assertInstanceOf(KrpcMessage.Response.class, KrpcCodec.decode(wire)).values());
    }

    private static byte[] query(String method, BDictionary.Builder arguments) {
        return BencodeEncoder.encode(BDictionary.builder().put("t", ascii("xy")).put("y", "q").put("q", method)
                .put("a", arguments.build()).build());
    }

    private static byte[] response(BDictionary.Builder body) {
        return BencodeEncoder.encode(BDictionary.builder().put("t", ascii("xy")).put("y", "r").put("r", body.build()).build());
    }
}
