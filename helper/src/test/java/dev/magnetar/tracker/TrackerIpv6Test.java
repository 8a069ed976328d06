package dev.magnetar.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.testing.MutableClock;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEP 7 and BEP 15 over IPv6: trackers on ::1, {@code peers6}, 18-byte UDP entries, our {@code ipv6=}. */
class TrackerIpv6Test {

    private static final InetAddress V6_LOOPBACK = loopback6();

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByName("::1");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anHttpTrackerOnIpv6LoopbackHandsOutPeers6() throws Exception {
        try (EmbeddedTracker tracker = EmbeddedTracker.start(
                        new EmbeddedTracker.Settings("::1", 0, Duration.ofMinutes(30), Duration.ofSeconds(30), 50, 200),
                        java.time.Clock.systemUTC());
                HttpTrackerClient client = new HttpTrackerClient(new HttpTrackerClient.Settings(
                        Duration.ofSeconds(5), Duration.ofSeconds(5), 64 * 1024, 2, "test"))) {
            assertTrue(tracker.announceUri().toString().startsWith("http://[::1]:"), tracker.announceUri().toString());
            HttpTrackerClientTest.await(client.announce(tracker.announceUri(),
                    HttpTrackerClientTest.request(6881, AnnounceEvent.STARTED)));
            AnnounceResponse second = HttpTrackerClientTest.await(client.announce(tracker.announceUri(),
                    HttpTrackerClientTest.request(6882, AnnounceEvent.STARTED)));
            assertEquals(List.of(new InetSocketAddress(V6_LOOPBACK, 6881)), second.peers());
        }
    }

    @Test
    void theHttpAnnounceOffersOurIpv6Address() throws Exception {
        AnnounceRequest plain = HttpTrackerClientTest.request(6881, AnnounceEvent.NONE);
        AnnounceRequest withV6 = new AnnounceRequest(plain.infoHash(), plain.peerId(), 6881, 0, 0, 1000,
                AnnounceEvent.NONE, 50, "k", (Inet6Address) InetAddress.getByName("2001:db8:0:0:0:0:0:5"));
        String query = HttpTrackerUrls.announce(java.net.URI.create("http://127.0.0.1:1/announce"), withV6).getRawQuery();
        assertTrue(query.contains("&ipv6=2001%3Adb8%3A%3A5"), query);
        String none = HttpTrackerUrls.announce(java.net.URI.create("http://127.0.0.1:1/announce"), plain).getRawQuery();
        assertTrue(!none.contains("ipv6="), none);
    }

    @Test
    void aUdpTrackerOnIpv6LoopbackAnswersIn18ByteEntries() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        Duration interval = Duration.ofMinutes(30);
        // The client binds the wildcard as in production: one dual-stack socket reaches trackers of both families.
        try (EmbeddedUdpTracker tracker = EmbeddedUdpTracker.start(new InetSocketAddress("::1", 0),
                        new SwarmRegistry(clock, interval.multipliedBy(2)), clock, interval);
                UdpTrackerClient client = new UdpTrackerClient(new UdpTrackerClient.Settings(Duration.ofSeconds(2), 3,
                        Duration.ofMinutes(1), new InetSocketAddress(0)), clock)) {
            HttpTrackerClientTest.await(client.announce(tracker.announceUri(),
                    HttpTrackerClientTest.request(6881, AnnounceEvent.STARTED)));
            AnnounceResponse second = HttpTrackerClientTest.await(client.announce(tracker.announceUri(),
                    HttpTrackerClientTest.request(6882, AnnounceEvent.STARTED)));
            assertEquals(List.of(new InetSocketAddress(V6_LOOPBACK, 6881)), second.peers());
        }
    }

    @Test
    void aUdpAnnounceReplyWithAPartialIpv6EntryIsRefusedClearly() {
        byte[] reply = ByteBuffer.allocate(20 + 18 + 6).putInt(UdpTrackerCodec.ACTION_ANNOUNCE).putInt(7)
                .putInt(60).putInt(1).putInt(1).array();
        UdpPacketException e = assertThrows(UdpPacketException.class,
                () -> UdpTrackerCodec.decodeResponse(reply, CompactPeers.IPV6_ENTRY));
        assertTrue(e.getMessage().contains("24 bytes") && e.getMessage().contains("18"), e.getMessage());
    }

    @Test
    void peers6OfABadLengthIsAClearError() {
        byte[] body = BencodeEncoder.encode(BDictionary.builder().put("interval", 60).put("peers", new byte[0])
                .put("peers6", new byte[17]).build());
        MalformedTrackerResponseException e = assertThrows(MalformedTrackerResponseException.class,
                () -> HttpTrackerResponses.parseAnnounce(java.net.URI.create("http://t/announce"), body));
        assertTrue(e.getMessage().contains("peers6 is 17 bytes, not a multiple of 18"), e.getMessage());
    }
}
