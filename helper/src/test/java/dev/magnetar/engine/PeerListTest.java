package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerListTest {

    private static final byte[] OUR_ID = "-MG0100-ourselves000".getBytes();
    private static final InetSocketAddress OUR_ADDRESS = new InetSocketAddress("127.0.0.1", 6881);

    /** An admitted connection as the list sees it. */
    private record Peer(InetSocketAddress address, byte[] peerId, boolean outgoing) {
        PeerIdentity identity() {
            return PeerIdentity.of(address, peerId);
        }
    }

    private static final PeerList.View<Peer> VIEW = new PeerList.View<>() {
        @Override
        public InetSocketAddress address(Peer peer) {
            return peer.address();
        }

        @Override
        public PeerIdentity identity(Peer peer) {
            return peer.identity();
        }

        @Override
        public boolean isOutgoing(Peer peer) {
            return peer.outgoing();
        }

        @Override
        public void close(Peer peer, String why) {
            closedByList.add(peer);
        }
    };

    /** Connections the list closed because a crossed one replaced them. */
    private static final List<Peer> closedByList = new ArrayList<>();

    /** A dial that nothing answers until the test says so. */
    private record Dial(InetSocketAddress address, boolean encrypted) { }

    private final List<Dial> dials = new ArrayList<>();
    private final BanList bans = new BanList();
    private String refusal;

    private PeerList<Peer> list(int maxPeers, int maxHalfOpen) {
        return new PeerList<>(VIEW, (address, encrypted, l) -> dials.add(new Dial(address, encrypted)), bans,
                () -> OUR_ADDRESS, OUR_ID, () -> refusal, maxPeers, maxHalfOpen, "test torrent");
    }

    private static InetSocketAddress at(int port) {
        return new InetSocketAddress("127.0.0.2", port);
    }

    private static Peer outgoing(int port) {
        return new Peer(at(port), ("-XX0001-peer" + String.format("%08d", port)).getBytes(), true);
    }

    private static Peer incoming(int port) {
        return new Peer(at(port), ("-XX0001-peer" + String.format("%08d", port)).getBytes(), false);
    }

    private List<InetSocketAddress> dialled() {
        return dials.stream().map(Dial::address).toList();
    }

    @Test
    void reachSaysWhetherAnAddressIsConnectedBeingDialledOrLost() {
        PeerList<Peer> list = list(50, 1);
        list.learn(at(1));
        list.learn(at(2));
        list.connectMore();
        assertEquals(GivenPeers.Reach.DIALLING, list.reach(at(1)), "being dialled");
        assertEquals(GivenPeers.Reach.DIALLING, list.reach(at(2)), "queued behind the half-open limit");
        Peer one = outgoing(1);
        assertNull(list.admit(one, one.peerId()));
        list.dialEnded(at(1));
        assertEquals(GivenPeers.Reach.CONNECTED, list.reach(at(1)));
        assertTrue(list.remove(one));
        assertEquals(GivenPeers.Reach.LOST, list.reach(at(1)), "closed, and nothing dials it");
        assertEquals(GivenPeers.Reach.LOST, list.reach(at(3)), "never heard of");
    }

    @Test
    void dialsNoMoreThanTheHalfOpenLimitAtOnce() {
        PeerList<Peer> list = list(50, 2);
        for (int port = 1; port <= 5; port++) {
            assertTrue(list.learn(at(port)));
        }
        list.connectMore();
        assertEquals(List.of(at(1), at(2)), dialled());

        list.dialEnded(at(1));
        list.connectMore();
        assertEquals(List.of(at(1), at(2), at(3)), dialled());
    }

    @Test
    void dialsInFlightCountTowardsThePeerLimit() {
        PeerList<Peer> list = list(3, 10);
        assertNull(list.admit(incoming(100), incoming(100).peerId()));
        assertNull(list.admit(incoming(101), incoming(101).peerId()));
        for (int port = 1; port <= 5; port++) {
            list.learn(at(port));
        }
        list.connectMore();
        assertEquals(List.of(at(1)), dialled());
    }

    @Test
    void ignoresPortZeroUnresolvedBannedAndOwnAddresses() {
        PeerList<Peer> list = list(50, 10);
        bans.ban(new PeerIdentity(at(9), "00"));
        assertFalse(list.learn(at(0)));
        assertFalse(list.learn(InetSocketAddress.createUnresolved("peer.invalid", 6881)));
        assertFalse(list.learn(at(9)));
        assertFalse(list.learn(new InetSocketAddress("127.0.0.1", OUR_ADDRESS.getPort())));
        assertFalse(list.learn(new InetSocketAddress("0.0.0.0", OUR_ADDRESS.getPort())));
        list.connectMore();
        assertTrue(dials.isEmpty(), "dialled " + dials);
    }

    @Test
    void ourRoutersPublicAddressAtAPortItMappedForUsIsNeverDialledNorPunched() throws Exception {
        java.net.InetAddress routerAddress = java.net.InetAddress.getByName("203.0.113.7");
        ExternalEndpoint router = new ExternalEndpoint(routerAddress, 40_000, 40_001);
        PeerList<Peer> list = new PeerList<>(VIEW, (address, encrypted, l) -> dials.add(new Dial(address, encrypted)), bans,
                () -> new InetSocketAddress("0.0.0.0", OUR_ADDRESS.getPort()), a -> router.names(a, OUR_ADDRESS.getPort()), OUR_ID,
                () -> refusal, 50, 10, "test torrent");
        assertFalse(list.learn(new InetSocketAddress(routerAddress, 40_000)), "the mapped TCP port: a tracker lists us there");
        assertFalse(list.learn(new InetSocketAddress(routerAddress, 40_001)), "the mapped UDP port (uTP)");
        assertFalse(list.learn(new InetSocketAddress(routerAddress, OUR_ADDRESS.getPort())), "our own number, which routers keep when they can");
        assertFalse(list.punch(new InetSocketAddress(routerAddress, 40_000)), "BEP 55: never a rendezvous with ourselves");
        InetSocketAddress neighbour = new InetSocketAddress(routerAddress, 40_002); // another host behind the same router
        InetSocketAddress elsewhere = new InetSocketAddress("203.0.113.8", 40_000);
        assertTrue(list.learn(neighbour));
        assertTrue(list.learn(elsewhere));
        list.connectMore();
        assertEquals(List.of(neighbour, elsewhere), dialled());
    }

    @Test
    void aKnownPeerThatIsNotConnectedIsDialledAgainWhenListedAgain() {
        PeerList<Peer> list = list(50, 10);
        assertTrue(list.learn(at(1)));
        list.connectMore();
        list.dialEnded(at(1)); // refused: it was not listening yet
        assertFalse(list.learn(at(1)), "not new");
        list.connectMore();
        assertEquals(List.of(at(1), at(1)), dialled());
    }

    @Test
    void anAddressListedTwiceWhileQueuedIsDialledOnce() {
        PeerList<Peer> list = list(50, 10);
        list.learn(at(1));
        list.learn(at(1));
        list.connectMore();
        list.learn(at(1)); // being dialled
        list.connectMore();
        assertEquals(List.of(at(1)), dialled());
    }

    @Test
    void dialsNothingWhileTheTorrentTakesNoPeersThenGoesOn() {
        PeerList<Peer> list = list(50, 10);
        refusal = "torrent is PAUSED";
        list.learn(at(1));
        list.connectMore();
        assertTrue(dials.isEmpty());
        refusal = null;
        list.connectMore();
        assertEquals(List.of(at(1)), dialled());
    }

    @Test
    void admitsAConnectionAndCountsIt() {
        PeerList<Peer> list = list(50, 10);
        Peer p = incoming(1);
        assertNull(list.admit(p, p.peerId()));
        assertEquals(1, list.count());
        assertTrue(list.connected().contains(p));
        assertTrue(list.remove(p));
        assertFalse(list.remove(p), "removed once");
        assertEquals(0, list.count());
    }

    @Test
    void refusesWhileTheTorrentTakesNoPeers() {
        PeerList<Peer> list = list(50, 10);
        refusal = "torrent is ERROR";
        Peer p = incoming(1);
        assertEquals("torrent is ERROR", list.admit(p, p.peerId()));
        assertEquals(0, list.count());
    }

    @Test
    void refusesABannedPeer() {
        PeerList<Peer> list = list(50, 10);
        Peer p = incoming(1);
        bans.ban(p.identity());
        assertEquals("banned", list.admit(p, p.peerId()));
    }

    @Test
    void refusesAConnectionToOurselves() {
        PeerList<Peer> list = list(50, 10);
        Peer self = new Peer(at(1), OUR_ID, true);
        assertEquals("connected to ourselves", list.admit(self, OUR_ID));
    }

    @Test
    void refusesPastThePeerLimit() {
        PeerList<Peer> list = list(1, 10);
        assertNull(list.admit(incoming(1), incoming(1).peerId()));
        assertEquals("peer limit reached", list.admit(incoming(2), incoming(2).peerId()));
        assertEquals(1, list.count());
    }

    @Test
    void refusesASecondConnectionWithTheSamePeerIdInTheSameDirection() {
        PeerList<Peer> list = list(50, 10);
        Peer first = incoming(1);
        Peer again = new Peer(at(2), first.peerId(), false);
        assertNull(list.admit(first, first.peerId()));
        assertEquals("already connected to this peer id", list.admit(again, again.peerId()));
        assertEquals(List.of(first), List.copyOf(list.connected()));
    }

    /** OUR_ID "-MG…" sorts below the peers' "-XX…": our dial is the one both sides keep. */
    @Test
    void crossedDialsKeepTheOneTheLowerPeerIdDialledWhicheverCameFirst() {
        closedByList.clear();
        PeerList<Peer> list = list(50, 10);
        Peer theirs = incoming(1);
        Peer ours = new Peer(at(6881), theirs.peerId(), true);
        assertNull(list.admit(theirs, theirs.peerId()));
        assertNull(list.admit(ours, ours.peerId()), "our dial replaces theirs");
        assertEquals(List.of(theirs), closedByList);
        assertEquals(List.of(ours), List.copyOf(list.connected()));

        PeerList<Peer> other = list(50, 10);
        assertNull(other.admit(ours, ours.peerId()));
        assertEquals("already connected to this peer id", other.admit(theirs, theirs.peerId()),
                "their dial arriving second is refused");
        assertEquals(List.of(ours), List.copyOf(other.connected()));
    }

    @Test
    void crossedDialsFromAPeerWithALowerIdKeepItsDial() {
        closedByList.clear();
        byte[] lowerId = "-AA0001-lowerpeer000".getBytes();
        PeerList<Peer> list = list(50, 10);
        Peer ours = new Peer(at(7000), lowerId, true);
        Peer theirs = new Peer(at(40000), lowerId, false);
        assertNull(list.admit(ours, lowerId));
        assertNull(list.admit(theirs, lowerId), "their dial replaces ours");
        assertEquals(List.of(ours), closedByList);
        assertEquals(List.of(theirs), List.copyOf(list.connected()));
    }

    /**
     * Peer ids are no secret (trackers' non-compact replies, a peer's own handshake), so a host that
     * claims a connected peer's id must not be able to evict that connection: a crossed dial comes
     * from the host we dialled, and from any other address the claim is refused as before.
     */
    @Test
    void anotherHostClaimingAConnectedPeersIdCannotReplaceItsConnection() {
        closedByList.clear();
        byte[] lowerId = "-AA0001-lowerpeer000".getBytes();
        PeerList<Peer> list = list(50, 10);
        Peer ours = new Peer(at(7000), lowerId, true);
        Peer impostor = new Peer(new InetSocketAddress("127.0.0.3", 40000), lowerId, false);
        assertNull(list.admit(ours, lowerId));

        assertEquals("already connected to this peer id", list.admit(impostor, lowerId));

        assertEquals(List.of(), closedByList);
        assertEquals(List.of(ours), List.copyOf(list.connected()));
    }

    @Test
    void aCrossedDialReplacesEvenAtThePeerLimit() {
        closedByList.clear();
        PeerList<Peer> list = list(1, 10);
        Peer theirs = incoming(1);
        Peer ours = new Peer(at(6881), theirs.peerId(), true);
        assertNull(list.admit(theirs, theirs.peerId()));
        assertNull(list.admit(ours, ours.peerId()));
        assertEquals(1, list.count());
    }

    @Test
    void anAdmittedOutgoingPeerIsKnownAndAnIncomingOneIsNot() {
        PeerList<Peer> list = list(50, 10);
        Peer out = outgoing(1);
        Peer in = incoming(2);
        list.admit(out, out.peerId());
        list.admit(in, in.peerId());
        list.remove(out);
        list.remove(in);
        assertFalse(list.learn(at(1)), "dialled before, so known");
        assertTrue(list.learn(at(2)), "only its ephemeral port was seen");
    }

    @Test
    void aConnectedPeerIsNotDialledAgain() {
        PeerList<Peer> list = list(50, 10);
        list.learn(at(1));
        Peer in = incoming(1);
        list.admit(in, in.peerId());
        list.connectMore();
        assertTrue(dials.isEmpty(), "dialled " + dials);
    }

    @Test
    void aPeerThatHangsUpBeforeItsHandshakeIsDialledOnceMoreWithMse() {
        PeerList<Peer> list = list(50, 10);
        list.learn(at(1));
        list.connectMore();
        list.dialEnded(at(1));
        list.closedBeforeHandshake(at(1), false);
        assertEquals(List.of(new Dial(at(1), false), new Dial(at(1), true)), dials);

        list.dialEnded(at(1));
        list.closedBeforeHandshake(at(1), true); // encryption was not it either
        assertEquals(2, dials.size(), "no third dial by itself");
        list.learn(at(1));
        list.connectMore();
        assertEquals(new Dial(at(1), false), dials.get(2), "the next dial is plain again");
    }

    @Test
    void aPeerThatHangsUpOnAPlainUtpOnlyDialIsDialledOnceMoreOverUtpWithMse() {
        List<String> utpDials = new ArrayList<>();
        PeerList<Peer> list = new PeerList<>(VIEW, new PeerList.Dialer() {
            @Override
            public void dial(InetSocketAddress address, boolean encrypted, PeerList<?> l) {
                dials.add(new Dial(address, encrypted));
            }

            @Override
            public void dialUtp(InetSocketAddress address, boolean encrypted, PeerList<?> l) {
                utpDials.add(address.getPort() + (encrypted ? " MSE" : " plain"));
            }
        }, bans, () -> OUR_ADDRESS, OUR_ID, () -> refusal, 50, 10, "test torrent");
        assertTrue(list.punch(at(1)));
        list.dialEnded(at(1));
        list.closedBeforeUtpHandshake(at(1), false);
        assertEquals(List.of("1 plain", "1 MSE"), utpDials);
        assertTrue(dials.isEmpty(), "no TCP leg: " + dials);

        list.dialEnded(at(1));
        list.closedBeforeUtpHandshake(at(1), true); // encryption was not it either
        assertEquals(2, utpDials.size(), "no third dial by itself");
        assertTrue(list.punch(at(1)));
        assertEquals("1 plain", utpDials.get(2), "the next dial is plain again");
    }

    @Test
    void noMseRetryOnceClosed() {
        PeerList<Peer> list = list(50, 10);
        list.learn(at(1));
        list.connectMore();
        list.dialEnded(at(1));
        list.close();
        list.closedBeforeHandshake(at(1), false);
        assertEquals(1, dials.size());
    }

    @Test
    void anAddressThatBrokeTheProtocolIsNeverDialledAgain() {
        PeerList<Peer> list = list(50, 10);
        list.learn(at(1));
        list.learn(at(2));
        list.doNotReconnect(at(1));
        list.connectMore();
        assertEquals(List.of(at(2)), dialled());
        assertFalse(list.learn(at(1)));
        list.redialKnown();
        assertEquals(List.of(at(2)), dialled());
    }

    @Test
    void redialQueuesOnlyKnownPeersNotConnectedNorBeingDialled() {
        PeerList<Peer> list = list(50, 10);
        Peer connected = outgoing(1);
        list.admit(connected, connected.peerId());
        list.learn(at(2));
        list.learn(at(3));
        list.connectMore();
        list.dialEnded(at(3)); // at(2) still in flight
        list.redialKnown();
        assertEquals(List.of(at(2), at(3), at(3)), dialled());
    }

    @Test
    void afterAPauseEveryKnownPeerIsQueuedAgain() {
        PeerList<Peer> list = list(50, 10);
        refusal = "torrent is PAUSED";
        list.learn(at(1));
        list.learn(at(2));
        list.clearQueue();
        refusal = null;
        list.connectMore();
        assertTrue(dials.isEmpty(), "the queue was cleared");
        list.queueAllKnown();
        assertEquals(List.of(at(1), at(2)), dialled());
    }

    @Test
    void wantsMorePeersBelowHalfTheLimitWithNobodyLeftToDial() {
        PeerList<Peer> list = list(4, 10);
        assertTrue(list.wantsMorePeers());
        list.learn(at(1));
        assertFalse(list.wantsMorePeers(), "someone is still queued");
        list.connectMore();
        assertTrue(list.wantsMorePeers());
        list.admit(incoming(10), incoming(10).peerId());
        list.admit(incoming(11), incoming(11).peerId());
        assertFalse(list.wantsMorePeers());
    }

    @Test
    void connectedViewIsReadOnly() {
        PeerList<Peer> list = list(50, 10);
        assertThrows(UnsupportedOperationException.class, () -> list.connected().add(incoming(1)));
        assertEquals(0, list.count());
    }

    @Test
    void peerIdsAreComparedByValue() {
        PeerList<Peer> list = list(50, 10);
        byte[] copy = HexFormat.of().parseHex(HexFormat.of().formatHex(OUR_ID));
        assertEquals("connected to ourselves", list.admit(new Peer(at(1), copy, false), copy));
    }

    @Test
    void anAddressIsNeverDialledTwiceAtOnce() {
        PeerList<Peer> list = list(50, 10);
        list.learn(at(1));
        list.connectMore();
        list.dialEnded(at(1)); // connected; no handshake yet
        list.learn(at(1)); // a tracker lists it again meanwhile: queued
        list.closedBeforeHandshake(at(1), false); // it hangs up: queued again, for MSE, and dialled
        list.connectMore();
        assertEquals(List.of(new Dial(at(1), false), new Dial(at(1), true)), dials,
                "one MSE dial, not two at once (which the half-open count would see as one)");
    }
}
