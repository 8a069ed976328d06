package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Whatever the sources list, whoever connects and hangs up, and whatever the user does: the list
 * never holds more peers than its limit, never has more dials in flight than the half-open limit, and
 * never dials a banned address, one that broke the protocol, or our own.
 */
class PeerListPropertyTest {

    private static final int STEPS = 300;
    private static final int MAX_PEERS = 6;
    private static final int MAX_HALF_OPEN = 3;
    private static final InetSocketAddress OURS = new InetSocketAddress("127.0.0.1", 7000);

    private record Peer(InetSocketAddress address, String peerIdHex, boolean outgoing) { }

    private static final PeerList.View<Peer> VIEW = new PeerList.View<>() {
        @Override
        public InetSocketAddress address(Peer peer) {
            return peer.address();
        }

        @Override
        public PeerIdentity identity(Peer peer) {
            return new PeerIdentity(peer.address(), peer.peerIdHex());
        }

        @Override
        public boolean isOutgoing(Peer peer) {
            return peer.outgoing();
        }

        @Override
        public void close(Peer peer, String why) {
            throw new AssertionError("outgoing (id…) and incoming (in…) peer ids never cross here: " + why);
        }
    };

    @Property(tries = 200)
    void limitsHoldAndRefusedAddressesAreNeverDialled(@ForAll long seed) {
        Random random = new Random(seed);
        BanList bans = new BanList();
        Set<InetSocketAddress> refused = new HashSet<>();
        List<InetSocketAddress> inFlight = new ArrayList<>();
        List<InetSocketAddress> ended = new ArrayList<>();
        boolean[] paused = {false};
        PeerList<Peer> list = new PeerList<>(VIEW, (address, encrypted, l) -> {
            assertFalse(bans.isBanned(address), "dialled banned " + address);
            assertFalse(refused.contains(address), "dialled " + address + " after a protocol violation");
            assertFalse(address.equals(OURS), "dialled ourselves");
            assertFalse(paused[0], "dialled while paused");
            inFlight.add(address);
        }, bans, () -> OURS, new byte[20], () -> paused[0] ? "torrent is PAUSED" : null, MAX_PEERS, MAX_HALF_OPEN,
                "property");
        List<Peer> admitted = new ArrayList<>();

        for (int step = 0; step < STEPS; step++) {
            InetSocketAddress any = random.nextInt(20) == 0 ? OURS : new InetSocketAddress("127.0.0.2", 1 + random.nextInt(15));
            switch (random.nextInt(10)) {
                case 0, 1 -> {
                    list.learn(any);
                    list.connectMore();
                }
                case 2 -> {
                    if (!inFlight.isEmpty()) {
                        InetSocketAddress a = inFlight.remove(random.nextInt(inFlight.size()));
                        list.dialEnded(a);
                        if (random.nextBoolean()) {
                            ended.add(a); // connected; the handshake may follow
                        }
                        list.connectMore();
                    }
                }
                case 3 -> {
                    if (!ended.isEmpty()) {
                        InetSocketAddress a = ended.remove(random.nextInt(ended.size()));
                        if (random.nextBoolean()) {
                            Peer p = new Peer(a, "id" + a.getPort(), true);
                            if (list.admit(p, new byte[] {(byte) a.getPort()}) == null) {
                                admitted.add(p);
                            }
                        } else {
                            list.closedBeforeHandshake(a, random.nextBoolean());
                        }
                    }
                }
                case 4 -> {
                    Peer p = new Peer(any, "in" + random.nextInt(30), false);
                    if (list.admit(p, new byte[] {1}) == null) {
                        admitted.add(p);
                    }
                }
                case 5 -> {
                    if (!admitted.isEmpty()) {
                        Peer p = admitted.remove(random.nextInt(admitted.size()));
                        assertTrue(list.remove(p));
                        list.connectMore();
                    }
                }
                case 6 -> {
                    if (random.nextBoolean()) {
                        bans.ban(new PeerIdentity(any, "banned"));
                    } else {
                        refused.add(any);
                        list.doNotReconnect(any);
                    }
                }
                case 7 -> list.redialKnown();
                case 8 -> {
                    paused[0] = !paused[0];
                    if (paused[0]) {
                        list.clearQueue();
                    } else {
                        list.connectMore();
                    }
                }
                default -> list.connectMore();
            }
            assertTrue(list.count() <= MAX_PEERS, "peers " + list.count());
            assertTrue(list.count() == admitted.size(), "count " + list.count() + " of " + admitted.size());
            assertTrue(new HashSet<>(inFlight).size() <= MAX_HALF_OPEN, "dials in flight " + inFlight);
        }
    }
}
