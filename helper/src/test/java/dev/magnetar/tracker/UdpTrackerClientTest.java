package dev.magnetar.tracker;

import static dev.magnetar.tracker.HttpTrackerClientTest.HASH;
import static dev.magnetar.tracker.HttpTrackerClientTest.await;
import static dev.magnetar.tracker.HttpTrackerClientTest.failure;
import static dev.magnetar.tracker.HttpTrackerClientTest.local;
import static dev.magnetar.tracker.HttpTrackerClientTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.testing.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UdpTrackerClientTest {

    private static final long CONNECTION_ID = 0x1122334455667788L;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private UdpTrackerClient client;
    private EmbeddedUdpTracker tracker;
    private ScriptedUdpServer hostile;

    @BeforeEach
    void setUp() throws Exception {
        // Far longer than any answer takes on a loaded machine: a test that counts packets must not count a
        // retransmission (at 100 ms, load 30 gave two Connects where one was expected). The tests of the
        // retransmission itself use clientRetransmittingAfter.
        client = clientRetransmittingAfter(Duration.ofSeconds(10));
        tracker = EmbeddedUdpTracker.startLoopback(clock);
        hostile = new ScriptedUdpServer();
    }

    private UdpTrackerClient clientRetransmittingAfter(Duration baseTimeout) throws Exception {
        UdpTrackerClient c = new UdpTrackerClient(new UdpTrackerClient.Settings(baseTimeout, 3, Duration.ofMinutes(1),
                new InetSocketAddress("127.0.0.1", 0)), clock);
        if (client != null) {
            client.close();
        }
        return c;
    }

    @AfterEach
    void tearDown() {
        client.close();
        tracker.close();
        hostile.close();
    }

    private static List<InetSocketAddress> somePeers() throws Exception {
        return List.of(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 4000),
                new InetSocketAddress(InetAddress.getByName("10.1.2.4"), 4001));
    }

    /** A well-behaved tracker script: connect, then announce with {@link #somePeers()}. */
    private static void answerCorrectly(UdpTrackerRequest r, InetSocketAddress from, ScriptedUdpServer s) throws Exception {
        if (r instanceof UdpTrackerRequest.Connect c) {
            s.send(UdpTrackerCodec.encode(new UdpTrackerResponse.Connected(c.transactionId(), CONNECTION_ID)), from);
        } else if (r instanceof UdpTrackerRequest.Announce a) {
            assertEquals(CONNECTION_ID, a.connectionId());
            s.send(UdpTrackerCodec.encode(new UdpTrackerResponse.Announced(a.transactionId(), 1200, 5, 6, somePeers())), from);
        }
    }

    @Test
    void twoAnnouncersSeeEachOtherThroughTheEmbeddedUdpTracker() throws Exception {
        AnnounceResponse first = await(client.announce(tracker.announceUri(), request(6881, AnnounceEvent.STARTED)));
        assertEquals(List.of(), first.peers());
        assertEquals(1800, first.intervalSeconds());
        AnnounceResponse second = await(client.announce(tracker.announceUri(), request(6882, AnnounceEvent.STARTED)));
        assertEquals(List.of(local(6881)), second.peers());
        assertEquals(2, second.leechers());

        await(client.announce(tracker.announceUri(), request(6882, AnnounceEvent.STOPPED)));
        assertEquals(List.of(local(6881)),
                tracker.registry().peers(HASH).stream().map(SwarmRegistry.Peer::address).toList());
    }

    @Test
    void scrapesTheEmbeddedUdpTracker() throws Exception {
        await(client.announce(tracker.announceUri(), request(6881, AnnounceEvent.STARTED)));
        InfoHash unknown = InfoHash.fromHex("ff".repeat(20));
        ScrapeResponse scrape = await(client.scrape(tracker.announceUri(), List.of(HASH, unknown)));
        assertEquals(Map.of(HASH, new SwarmCounts(0, 0, 1), unknown, new SwarmCounts(0, 0, 0)), scrape.swarms());
    }

    @Test
    void ignoresWrongTransactionIdsAndOtherSenders() throws Exception {
        hostile.script((r, from, s) -> {
            if (r instanceof UdpTrackerRequest.Connect c) {
                s.send(UdpTrackerCodec.encode(new UdpTrackerResponse.Connected(c.transactionId() + 1, 1)), from);
                s.sendFromImpostor(UdpTrackerCodec.encode(new UdpTrackerResponse.Connected(c.transactionId(), 2)), from);
            } else if (r instanceof UdpTrackerRequest.Announce a) {
                s.send(UdpTrackerCodec.encode(new UdpTrackerResponse.Announced(a.transactionId() + 1, 1, 1, 1, List.of())), from);
                s.sendFromImpostor(UdpTrackerCodec.encode(new UdpTrackerResponse.Announced(a.transactionId(), 1, 1, 1, List.of())), from);
            }
            answerCorrectly(r, from, s);
        });
        AnnounceResponse r = await(client.announce(hostile.uri(), request(6881, AnnounceEvent.STARTED)));
        assertEquals(somePeers(), r.peers());
        assertEquals(1200, r.intervalSeconds());
        assertEquals(6, r.seeders());
        assertEquals(5, r.leechers());
        assertNull(r.minIntervalSeconds());
    }

    @Test
    void ignoresTruncatedPackets() throws Exception {
        hostile.script((r, from, s) -> {
            byte[] full = r instanceof UdpTrackerRequest.Connect c
                    ? UdpTrackerCodec.encode(new UdpTrackerResponse.Connected(c.transactionId(), CONNECTION_ID))
                    : UdpTrackerCodec.encode(new UdpTrackerResponse.Announced(r.transactionId(), 1200, 5, 6, somePeers()));
            s.send(java.util.Arrays.copyOf(full, 12), from);
            s.send(java.util.Arrays.copyOf(full, 6), from);
            answerCorrectly(r, from, s);
        });
        assertEquals(somePeers(), await(client.announce(hostile.uri(), request(6881, AnnounceEvent.STARTED))).peers());
    }

    @Test
    void errorActionBecomesRefusal() throws Exception {
        hostile.script((r, from, s) -> {
            if (r instanceof UdpTrackerRequest.Announce a) {
                s.send(UdpTrackerCodec.encode(new UdpTrackerResponse.Error(a.transactionId(), "torrent not registered")), from);
            } else {
                answerCorrectly(r, from, s);
            }
        });
        TrackerException e = failure(client.announce(hostile.uri(), request(6881, AnnounceEvent.STARTED)));
        assertEquals("torrent not registered", assertInstanceOf(TrackerRefusedException.class, e).trackerMessage());
    }

    @Test
    void silenceMeansRetransmissionThenTimeout() throws Exception {
        client = clientRetransmittingAfter(Duration.ofMillis(100));
        TrackerException e = failure(client.announce(hostile.uri(), request(6881, AnnounceEvent.STARTED)));
        assertInstanceOf(TrackerTimeoutException.class, e);
        assertEquals(3, hostile.count(UdpTrackerRequest.Connect.class));
    }

    @Test
    void aLostReplyIsRetransmitted() throws Exception {
        hostile.script((r, from, s) -> {
            if (hostile.count(UdpTrackerRequest.Connect.class) > 1) {
                answerCorrectly(r, from, s);
            }
        });
        client = clientRetransmittingAfter(Duration.ofMillis(100));
        assertEquals(somePeers(), await(client.announce(hostile.uri(), request(6881, AnnounceEvent.STARTED))).peers());
        // At least the lost one and its retransmission; a loaded machine may add another before the answer lands.
        assertTrue(hostile.count(UdpTrackerRequest.Connect.class) >= 2, "the lost Connect was sent again");
    }

    @Test
    void connectionIdIsReusedForOneMinute() throws Exception {
        hostile.script(UdpTrackerClientTest::answerCorrectly);
        await(client.announce(hostile.uri(), request(6881, AnnounceEvent.STARTED)));
        clock.advance(Duration.ofSeconds(59));
        await(client.announce(hostile.uri(), request(6881, AnnounceEvent.NONE)));
        assertEquals(1, hostile.count(UdpTrackerRequest.Connect.class));
        clock.advance(Duration.ofSeconds(2));
        await(client.announce(hostile.uri(), request(6881, AnnounceEvent.NONE)));
        assertEquals(2, hostile.count(UdpTrackerRequest.Connect.class));
        assertEquals(3, hostile.count(UdpTrackerRequest.Announce.class));
    }

    @Test
    void sendsTheAnnounceFieldsOfBep15() throws Exception {
        hostile.script(UdpTrackerClientTest::answerCorrectly);
        AnnounceRequest r = new AnnounceRequest(HASH, request(1, AnnounceEvent.NONE).peerId(), 51413, 7, 8, 9,
                AnnounceEvent.COMPLETED, -1, null);
        await(client.announce(hostile.uri(), r));
        UdpTrackerRequest.Announce sent = (UdpTrackerRequest.Announce) hostile.received.get(1);
        assertEquals(HASH, sent.infoHash());
        assertEquals(51413, sent.port());
        assertEquals(7, sent.uploaded());
        assertEquals(8, sent.downloaded());
        assertEquals(9, sent.left());
        assertEquals(AnnounceEvent.COMPLETED, sent.event());
        assertEquals(-1, sent.numWant());
        assertEquals(0, sent.ip());
    }

    @Test
    void rejectsNonUdpUrls() {
        for (String url : List.of("http://127.0.0.1:1/announce", "udp://127.0.0.1/announce")) {
            assertInstanceOf(UnsupportedTrackerUrlException.class,
                    failure(client.announce(URI.create(url), request(6881, AnnounceEvent.NONE))), url);
        }
    }

    @Test
    void connectRequestMatchesTheBep15Layout() {
        byte[] packet = UdpTrackerCodec.encode(new UdpTrackerRequest.Connect(0x01020304));
        // protocol_id 0x41727101980, action 0, transaction id
        assertEquals("0000041727101980" + "00000000" + "01020304", java.util.HexFormat.of().formatHex(packet));
        ByteBuffer reply = ByteBuffer.allocate(16).putInt(0).putInt(7).putLong(42);
        assertEquals(new UdpTrackerResponse.Connected(7, 42), decode(reply.array()));
    }

    @Test
    void announceRepliesOverIpv6CarryEighteenByteEntries() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 6881);
        byte[] packet = UdpTrackerCodec.encode(new UdpTrackerResponse.Announced(9, 60, 1, 2, List.of(v6)));
        assertEquals(20 + 18, packet.length);
        UdpTrackerResponse.Announced a = (UdpTrackerResponse.Announced) UdpTrackerCodec.decodeResponse(packet, 18);
        assertEquals(List.of(v6), a.peers());
    }

    private static UdpTrackerResponse decode(byte[] b) {
        try {
            return UdpTrackerCodec.decodeResponse(b, 6);
        } catch (UdpPacketException e) {
            throw new AssertionError(e);
        }
    }
}
