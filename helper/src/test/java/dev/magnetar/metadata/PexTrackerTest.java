package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.MutableClock;
import dev.magnetar.wire.ExtensionHandshake;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PexTrackerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final List<PexPeer> candidates = new ArrayList<>();
    private final PexTracker.Listener listener = (source, peers) -> candidates.addAll(peers);

    private PexTracker tracker(boolean privateTorrent) {
        return new PexTracker(privateTorrent, 6881, clock, PexTracker.Options.defaults(), listener);
    }

    private static InetSocketAddress addr(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static FakeExtensionPeer pexPeer(String ip, int port) {
        return new FakeExtensionPeer(ip, port).offering("ut_pex", 5);
    }

    /** A ut_pex peer we dialled at {@code ip:port}, which says in its handshake that it listens there. */
    private static FakeExtensionPeer dialledPexPeer(PexTracker pex, String ip, int port) {
        FakeExtensionPeer peer = pexPeer(ip, port);
        pex.peerConnected(peer.address(), 0);
        handshakeListeningOn(pex, peer, port);
        return peer;
    }

    private static void handshakeListeningOn(PexTracker pex, FakeExtensionPeer peer, int listenPort) {
        pex.peerHandshake(peer, ExtensionHandshake.builder().message("ut_pex", 5).listenPort(listenPort).build());
    }

    /** What the next PEX message to {@code stayer} drops, a minute after {@code leaver} left. */
    private List<InetSocketAddress> droppedAfterLeaving(PexTracker pex, FakeExtensionPeer leaver, FakeExtensionPeer stayer)
            throws Exception {
        pex.peerGone(leaver);
        clock.advance(Duration.ofSeconds(60));
        pex.tick();
        return sentPex(stayer).dropped();
    }

    private static PexMessage sentPex(FakeExtensionPeer peer) throws Exception {
        List<FakeExtensionPeer.Sent> sent = peer.takeSent();
        assertEquals(1, sent.size(), "exactly one message");
        assertEquals(5, sent.get(0).remoteId());
        return PexCodec.decode(sent.get(0).payload(), 1000, 1000);
    }

    @Test
    void sendsTheSwarmThenOnlyDifferencesAtMostOncePerMinute() throws Exception {
        PexTracker pex = tracker(false);
        FakeExtensionPeer a = pexPeer("10.0.0.1", 6000);
        pex.peerConnected(a.address(), 0);
        pex.peerConnected(addr("10.0.0.2", 6000), PexPeer.SEED);
        pex.peerConnected(addr("10.0.0.3", 6000), 0);
        pex.peerHandshake(a, ExtensionHandshake.builder().message("ut_pex", 5).build());

        pex.tick();
        PexMessage first = sentPex(a);
        assertEquals(List.of(new PexPeer(addr("10.0.0.2", 6000), PexPeer.SEED), new PexPeer(addr("10.0.0.3", 6000), 0)),
                first.added(), "everyone but the peer itself");
        assertTrue(first.dropped().isEmpty());

        pex.peerDisconnected(addr("10.0.0.2", 6000));
        pex.peerConnected(addr("10.0.0.4", 6000), 0);
        clock.advance(Duration.ofSeconds(59));
        pex.tick();
        assertTrue(a.takeSent().isEmpty(), "not within a minute");
        clock.advance(Duration.ofSeconds(1));
        pex.tick();
        PexMessage second = sentPex(a);
        assertEquals(List.of(new PexPeer(addr("10.0.0.4", 6000), 0)), second.added());
        assertEquals(List.of(addr("10.0.0.2", 6000)), second.dropped());

        clock.advance(Duration.ofSeconds(60));
        pex.tick();
        assertTrue(a.takeSent().isEmpty(), "nothing changed: no empty message");
    }

    @Test
    void eachPeersFlagsAreReadWhenAMessageListsItSoASeedNamedLaterIsSentAsOne() throws Exception {
        FakeExtensionPeer incoming = pexPeer("10.0.0.9", 53211);
        int[] incomingFlags = {PexPeer.SUPPORTS_UTP};
        PexTracker pex = new PexTracker(false, 6881, () -> 6881, p -> p == incoming ? incomingFlags[0] : 0, clock,
                PexTracker.Options.defaults(), listener);
        FakeExtensionPeer reader = pexPeer("10.0.0.1", 6000);
        int[] dialledFlags = {PexPeer.REACHABLE};
        pex.peerConnected(addr("10.0.0.2", 6000), () -> dialledFlags[0]);
        pex.peerHandshake(incoming, ExtensionHandshake.builder().message("ut_pex", 5).listenPort(7000).build());
        pex.peerHandshake(reader, ExtensionHandshake.builder().message("ut_pex", 5).build());
        // Both became seeds and showed ut_holepunch after connecting, before our first message.
        dialledFlags[0] |= PexPeer.SEED | PexPeer.SUPPORTS_HOLEPUNCH;
        incomingFlags[0] |= PexPeer.SEED | PexPeer.PREFERS_ENCRYPTION;

        pex.tick();
        assertEquals(List.of(new PexPeer(addr("10.0.0.2", 6000), PexPeer.REACHABLE | PexPeer.SEED | PexPeer.SUPPORTS_HOLEPUNCH),
                new PexPeer(addr("10.0.0.9", 7000), PexPeer.SUPPORTS_UTP | PexPeer.SEED | PexPeer.PREFERS_ENCRYPTION)),
                sentPex(reader).added());
    }

    @Test
    void incomingPeersAreSharedUnderTheListenPortFromTheirHandshakeUntilTheyLeave() throws Exception {
        PexTracker pex = tracker(false);
        FakeExtensionPeer outgoing = dialledPexPeer(pex, "10.0.0.1", 6000);
        // Connected to us from an ephemeral port; "p" says where it accepts connections.
        FakeExtensionPeer incoming = pexPeer("10.0.0.9", 53211);
        handshakeListeningOn(pex, incoming, 7000);

        pex.tick();
        assertEquals(List.of(new PexPeer(addr("10.0.0.9", 7000), 0)), sentPex(outgoing).added());
        assertEquals(List.of(new PexPeer(addr("10.0.0.1", 6000), 0)), sentPex(incoming).added(),
                "the outgoing peer is listed once, under the address we dialled");

        assertEquals(List.of(addr("10.0.0.9", 7000)), droppedAfterLeaving(pex, incoming, outgoing));
    }

    @Test
    void aPeerThatConnectedToUsOverUtpIsSharedThoughItsRemotePortIsItsListenPort() throws Exception {
        PexTracker pex = tracker(false);
        FakeExtensionPeer outgoing = dialledPexPeer(pex, "10.0.0.1", 6000);
        // uTP runs on the listen socket's UDP port, so an incoming uTP peer's remote end is where it listens:
        // it is as connectable as a peer we dialled (a NAT'd one only through a BEP 55 rendezvous, which PEX
        // naming it is what starts).
        FakeExtensionPeer incomingOverUtp = pexPeer("10.0.0.9", 7000);
        handshakeListeningOn(pex, incomingOverUtp, 7000);

        pex.tick();
        assertEquals(List.of(new PexPeer(addr("10.0.0.9", 7000), 0)), sentPex(outgoing).added());
        assertEquals(List.of(new PexPeer(addr("10.0.0.1", 6000), 0)), sentPex(incomingOverUtp).added());

        assertEquals(List.of(addr("10.0.0.9", 7000)), droppedAfterLeaving(pex, incomingOverUtp, outgoing), "dropped when it leaves");
    }

    @Test
    void disablingStopsPexLikeAPrivateTorrent() {
        PexTracker pex = tracker(false);
        FakeExtensionPeer a = pexPeer("10.0.0.1", 6000);
        pex.peerConnected(addr("10.0.0.2", 6000), 0);
        pex.peerHandshake(a, ExtensionHandshake.builder().message("ut_pex", 5).build());
        pex.disable();
        pex.tick();
        assertTrue(a.takeSent().isEmpty());
        assertFalse(pex.enabled());
    }

    @Test
    void sendsAtMostFiftyAddedAndTheRestNextTime() throws Exception {
        PexTracker pex = tracker(false);
        FakeExtensionPeer a = pexPeer("10.0.0.1", 6000);
        pex.peerHandshake(a, ExtensionHandshake.builder().message("ut_pex", 5).build());
        for (int i = 1; i <= 70; i++) {
            pex.peerConnected(addr("10.1.0." + i, 7000), 0);
        }
        pex.tick();
        assertEquals(50, sentPex(a).added().size());
        clock.advance(Duration.ofSeconds(60));
        pex.tick();
        assertEquals(20, sentPex(a).added().size());
    }

    @Test
    void peersThatDidNotEnablePexGetNothing() {
        PexTracker pex = tracker(false);
        FakeExtensionPeer plain = new FakeExtensionPeer("10.0.0.1", 6000);
        pex.peerHandshake(plain, ExtensionHandshake.builder().build());
        pex.peerConnected(addr("10.0.0.2", 6000), 0);
        pex.tick();
        assertTrue(plain.takeSent().isEmpty());
    }

    @Test
    void acceptsNewCandidatesOnlyAndDropsOurOwnAddress() {
        PexTracker pex = tracker(false);
        FakeExtensionPeer a = pexPeer("10.0.0.1", 6000);
        pex.peerConnected(addr("10.0.0.9", 6000), 0);
        pex.peerHandshake(a, ExtensionHandshake.builder().message("ut_pex", 5).listenPort(6001)
                .yourIp(addr("192.0.2.7", 1).getAddress()).build());
        PexMessage m = new PexMessage(List.of(
                new PexPeer(addr("10.0.0.5", 6000), PexPeer.SEED),
                new PexPeer(addr("10.0.0.5", 6000), PexPeer.SEED),   // duplicate
                new PexPeer(addr("192.0.2.7", 6881), 0),             // us, as the peer sees us
                new PexPeer(addr("10.0.0.9", 6000), 0),              // already connected
                new PexPeer(addr("10.0.0.1", 6001), 0),              // the sender itself
                new PexPeer(addr("10.0.0.6", 6000), 0)), List.of());
        pex.message(a, PexCodec.encode(m));
        assertEquals(List.of(new PexPeer(addr("10.0.0.5", 6000), PexPeer.SEED), new PexPeer(addr("10.0.0.6", 6000), 0)), candidates);

        FakeExtensionPeer b = pexPeer("10.0.0.2", 6000);
        clock.advance(Duration.ofSeconds(60));
        pex.message(b, PexCodec.encode(new PexMessage(List.of(new PexPeer(addr("10.0.0.5", 6000), 0)), List.of())));
        assertEquals(2, candidates.size(), "an address handed out before is not handed out again");
    }

    @Test
    void ourAddressAtTheRoutersMappedPortIsOursToo() {
        int[] announced = {6881};
        PexTracker pex = new PexTracker(false, 6881, () -> announced[0], clock, PexTracker.Options.defaults(), listener);
        FakeExtensionPeer a = pexPeer("10.0.0.1", 6000);
        pex.peerHandshake(a, ExtensionHandshake.builder().message("ut_pex", 5).yourIp(addr("192.0.2.7", 1).getAddress()).build());
        announced[0] = 40_000; // a port mapping came up after the handshake
        pex.message(a, PexCodec.encode(new PexMessage(List.of(new PexPeer(addr("192.0.2.7", 40_000), 0),
                new PexPeer(addr("192.0.2.7", 6881), 0), new PexPeer(addr("10.0.0.6", 6000), 0)), List.of())));
        assertEquals(List.of(new PexPeer(addr("10.0.0.6", 6000), 0)), candidates,
                "peers outside know us by the mapped port: that address is us, not a peer to dial");
    }

    @Test
    void ignoresMessagesSentTooOftenAndMalformedOnes() {
        PexTracker pex = tracker(false);
        FakeExtensionPeer a = pexPeer("10.0.0.1", 6000);
        pex.message(a, PexCodec.encode(new PexMessage(List.of(new PexPeer(addr("10.0.0.5", 6000), 0)), List.of())));
        clock.advance(Duration.ofSeconds(10));
        pex.message(a, PexCodec.encode(new PexMessage(List.of(new PexPeer(addr("10.0.0.6", 6000), 0)), List.of())));
        assertEquals(1, candidates.size(), "the second came 10 s after the first");
        pex.message(a, "d5:added5:12345e".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, a.misbehaviour.size());
    }

    @Test
    void limitsWhatOnePeerCanFeedUs() {
        PexTracker pex = new PexTracker(false, 6881, clock, new PexTracker.Options(Duration.ofSeconds(60),
                Duration.ofSeconds(45), 50, 60, 4096), listener);
        FakeExtensionPeer a = pexPeer("10.0.0.1", 6000);
        for (int round = 0; round < 3; round++) {
            List<PexPeer> batch = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                batch.add(new PexPeer(addr("10." + (round + 10) + ".0." + i, 7000), 0));
            }
            pex.message(a, PexCodec.encode(new PexMessage(batch, List.of())));
            clock.advance(Duration.ofSeconds(60));
        }
        assertEquals(60, candidates.size(), "capped per connection");
    }

    @Test
    void privateTorrentsDoNoPex() {
        PexTracker pex = tracker(true);
        assertFalse(pex.enabled());
        FakeExtensionPeer a = pexPeer("10.0.0.1", 6000);
        pex.peerHandshake(a, ExtensionHandshake.builder().message("ut_pex", 5).build());
        pex.peerConnected(addr("10.0.0.2", 6000), 0);
        pex.tick();
        assertTrue(a.takeSent().isEmpty());
        pex.message(a, PexCodec.encode(new PexMessage(List.of(new PexPeer(addr("10.0.0.5", 6000), 0)), List.of())));
        assertTrue(candidates.isEmpty());
    }
}
