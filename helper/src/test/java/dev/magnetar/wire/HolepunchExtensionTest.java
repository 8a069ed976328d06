package dev.magnetar.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The extension between connections, with peers recorded in memory (a fake only of the connection seam). */
class HolepunchExtensionTest {

    private static final InetSocketAddress SELF = new InetSocketAddress("192.0.2.1", 6881);

    /** One connection: what the peer offered and what we sent it. */
    private static final class Peer implements ExtensionPeer {
        final InetSocketAddress address;
        final int holepunchId;
        final List<HolepunchMessage> sent = new ArrayList<>();
        final List<String> misbehaved = new ArrayList<>();

        Peer(String ip, int port, int holepunchId) {
            this.address = new InetSocketAddress(ip, port);
            this.holepunchId = holepunchId;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public OptionalInt remoteId(String extension) {
            return holepunchId > 0 && extension.equals(HolepunchMessage.EXTENSION_NAME) ? OptionalInt.of(holepunchId) : OptionalInt.empty();
        }

        @Override
        public void sendExtended(int remoteExtendedId, byte[] payload) {
            assertEquals(holepunchId, remoteExtendedId, "sent under the id the peer asked for");
            sent.add(HolepunchCodec.decode(payload));
        }

        @Override
        public void misbehaved(String reason) {
            misbehaved.add(reason);
        }
    }

    private final List<InetSocketAddress> dialled = new ArrayList<>();
    private final HolepunchExtension ext = new HolepunchExtension(SELF::equals, dialled::add);

    private void connect(Peer p, Integer listenPort) {
        ExtensionHandshake.Builder b = ExtensionHandshake.builder();
        if (p.holepunchId > 0) {
            b.message(HolepunchMessage.EXTENSION_NAME, p.holepunchId);
        }
        if (listenPort != null) {
            b.listenPort(listenPort);
        }
        ext.peerHandshake(p, b.build());
    }

    private static byte[] rendezvous(InetSocketAddress target) {
        return HolepunchCodec.encode(new HolepunchMessage.Rendezvous(target));
    }

    @Test
    void asRelayItIntroducesTwoConnectedPeersToEachOtherByTheirListenEndpoints() {
        Peer a = new Peer("203.0.113.10", 50123, 7); // connected to us from an ephemeral port; listens on 40000
        Peer b = new Peer("198.51.100.20", 50000, 9);
        connect(a, 40000);
        connect(b, null);
        ext.message(a, rendezvous(b.address));
        assertEquals(List.of(new HolepunchMessage.Connect(b.address)), a.sent);
        assertEquals(List.of(new HolepunchMessage.Connect(new InetSocketAddress("203.0.113.10", 40000))), b.sent);
    }

    @Test
    void asRelayItAnswersErrorsToTheInitiatorOnly() {
        Peer a = new Peer("203.0.113.10", 40000, 7);
        Peer old = new Peer("198.51.100.30", 6881, 0); // no ut_holepunch
        connect(a, null);
        connect(old, null);
        ext.message(a, rendezvous(old.address));
        ext.message(a, rendezvous(new InetSocketAddress("198.51.100.99", 6881)));
        ext.message(a, rendezvous(SELF));
        assertEquals(List.of(HolepunchError.NO_SUPPORT, HolepunchError.NOT_CONNECTED, HolepunchError.NO_SELF),
                a.sent.stream().map(m -> ((HolepunchMessage.Error) m).error()).toList());
        assertTrue(old.sent.isEmpty());
    }

    @Test
    void aConnectFromARelayDialsTheEndpointOverUtp() {
        Peer relay = new Peer("203.0.113.1", 6881, 3);
        connect(relay, null);
        InetSocketAddress other = new InetSocketAddress("198.51.100.20", 50000);
        ext.message(relay, HolepunchCodec.encode(new HolepunchMessage.Connect(other)));
        assertEquals(List.of(other), dialled);
    }

    @Test
    void aConnectToAWildcardOrMulticastEndpointIsMisbehaviourAndDialsNothing() {
        Peer relay = new Peer("203.0.113.1", 6881, 3);
        connect(relay, null);
        ext.message(relay, HolepunchCodec.encode(new HolepunchMessage.Connect(new InetSocketAddress("0.0.0.0", 6881))));
        ext.message(relay, HolepunchCodec.encode(new HolepunchMessage.Connect(new InetSocketAddress("239.1.1.1", 6881))));
        assertTrue(dialled.isEmpty());
        assertEquals(2, relay.misbehaved.size());
    }

    @Test
    void aMalformedMessageIsMisbehaviourAndChangesNothing() {
        Peer a = new Peer("203.0.113.10", 40000, 7);
        connect(a, null);
        ext.message(a, new byte[] {0x00, 0x00, 1, 2});
        assertEquals(1, a.misbehaved.size());
        assertTrue(a.misbehaved.get(0).contains("BEP 55"), a.misbehaved.get(0));
        assertTrue(a.sent.isEmpty() && dialled.isEmpty());
    }

    @Test
    void asInitiatorItAsksOnlyARelayThatSpeaksTheExtension() {
        Peer relay = new Peer("203.0.113.1", 6881, 3);
        Peer old = new Peer("203.0.113.2", 6881, 0);
        InetSocketAddress target = new InetSocketAddress("198.51.100.20", 50000);
        assertTrue(ext.rendezvous(relay, target));
        assertEquals(List.of(new HolepunchMessage.Rendezvous(target)), relay.sent);
        assertEquals(false, ext.rendezvous(old, target));
    }

    @Test
    void aPeerThatLeftCanNoLongerBeIntroduced() {
        Peer a = new Peer("203.0.113.10", 40000, 7);
        Peer b = new Peer("198.51.100.20", 50000, 9);
        connect(a, null);
        connect(b, null);
        ext.peerGone(b);
        ext.message(a, rendezvous(b.address));
        assertEquals(Map.of(HolepunchError.NOT_CONNECTED, 1), Map.of(((HolepunchMessage.Error) a.sent.get(0)).error(), a.sent.size()));
    }
}
