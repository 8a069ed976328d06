package dev.magnetar.wire.utp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two {@link UtpSocket}s joined by a simulated link with a fake clock: delay, loss and reordering are
 * chosen by a seeded random, so every run sends the same packets.
 */
class UtpSocketTest {

    /** A link between two sockets: each packet arrives after {@code oneWayMicros}, or never with {@code lossRate}. */
    private static final class Link {
        /** By arrival time, then in the order sent: packets sent together arrive in order unless jitter says otherwise. */
        final PriorityQueue<long[]> arrivals = new PriorityQueue<>(
                (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        final List<Object[]> inTransit = new ArrayList<>();
        final Random random = new Random(42);
        long now = 1_000_000;
        long oneWayMicros = 20_000;
        double lossRate;
        long jitterMicros;
        int sentPackets;
        boolean bSilent;
        /** Drops the packets it accepts (a scripted loss), before the random loss draw. */
        java.util.function.Predicate<UtpPacket> drop = p -> false;
        /** Datagrams longer than this are dropped the first time (the router's ICMP answer) and fragmented after, as Linux does. */
        int pathMtu = Integer.MAX_VALUE;
        boolean senderKnowsPathMtu;
        int fragmented;
        int largestDelivered;

        Side a;
        Side b;

        void send(Side to, UtpPacket p) {
            sentPackets++;
            if (drop.test(p) || random.nextDouble() < lossRate || (to == a && bSilent)) {
                return;
            }
            int datagram = UtpPacketCodec.HEADER_BYTES + p.payload().length;
            if (datagram > pathMtu) {
                if (!senderKnowsPathMtu) {
                    senderKnowsPathMtu = true;
                    return;
                }
                fragmented++;
            } else {
                largestDelivered = Math.max(largestDelivered, datagram);
            }
            long at = now + oneWayMicros + (jitterMicros > 0 ? random.nextLong(jitterMicros) : 0);
            inTransit.add(new Object[] {to, p});
            arrivals.add(new long[] {at, inTransit.size() - 1});
        }

        /** Runs until {@code done} or the clock passes {@code untilMicros}; ticks every 50 ms as the multiplexer does. */
        void run(java.util.function.BooleanSupplier done, long forMicros) {
            long end = now + forMicros;
            long nextTick = now + 50_000;
            while (!done.getAsBoolean() && now < end) {
                long[] next = arrivals.peek();
                if (next != null && next[0] <= nextTick) {
                    arrivals.poll();
                    now = Math.max(now, next[0]);
                    Object[] t = inTransit.get((int) next[1]);
                    Side to = (Side) t[0];
                    if (to.socket != null) {
                        to.socket.receive((UtpPacket) t[1]);
                        to.socket.sendAckIfDue();
                    } else {
                        to.onSyn((UtpPacket) t[1]);
                    }
                } else {
                    now = nextTick;
                    nextTick += 50_000;
                    if (a.socket != null) a.socket.tick();
                    if (b.socket != null) b.socket.tick();
                }
            }
        }
    }

    private static final class Side implements UtpSocket.Events {
        final Link link;
        Side peer;
        UtpSocket socket;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean connected;
        String closed;
        int unread;
        MtuProber mtuForAccept;

        Side(Link link) {
            this.link = link;
        }

        void onSyn(UtpPacket syn) {
            if (syn.type() == UtpType.SYN) {
                socket = mtuForAccept != null
                        ? UtpSocket.accept(syn, this, () -> link.now, () -> unread, mtuForAccept, 30_000)
                        : UtpSocket.accept(syn, this, () -> link.now, () -> unread, 1000, 30_000);
            }
        }

        @Override public void send(UtpPacket packet) { link.send(peer, packet); }
        @Override public void connected() { connected = true; }
        @Override public void received(byte[] data) { received.writeBytes(data); }
        @Override public void writable() { }
        @Override public void closed(String why) { closed = why; }
    }

    private static Link pair() {
        Link link = new Link();
        link.a = new Side(link);
        link.b = new Side(link);
        link.a.peer = link.b;
        link.b.peer = link.a;
        return link;
    }

    private static byte[] data(int n) {
        byte[] d = new byte[n];
        new Random(7).nextBytes(d);
        return d;
    }

    /** Feeds {@code all} into {@code s} as its send room allows, running the link in between. */
    private static void transfer(Link link, Side from, Side to, byte[] all, long forMicros) {
        ByteBuf src = Unpooled.wrappedBuffer(all);
        link.run(() -> {
            int room = from.socket.sendRoom();
            if (src.isReadable() && room > 0) {
                from.socket.write(src, Math.min(room, src.readableBytes()));
            }
            return to.received.size() == all.length;
        }, forMicros);
    }

    @Test
    void connectsAndCarriesBytesBothWays() {
        Link link = pair();
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, 1000, 5000, 65530); // seq wraps during the test
        link.run(() -> link.a.connected, 1_000_000);
        assertTrue(link.a.connected);
        assertNotNull(link.b.socket);
        byte[] up = data(3_000_000);
        transfer(link, link.a, link.b, up, 60_000_000);
        assertArrayEquals(up, link.b.received.toByteArray());
        byte[] down = data(200_000);
        transfer(link, link.b, link.a, down, 60_000_000);
        assertArrayEquals(down, link.a.received.toByteArray());
    }

    @Test
    void probesThePathMtuWithoutTakingALostProbeForCongestion() {
        Link link = pair();
        link.pathMtu = 1392; // WireGuard's default tunnel over IPv4
        link.b.mtuForAccept = MtuProber.forPath(false);
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, MtuProber.forPath(false), 21, 40);
        link.run(() -> link.a.connected, 1_000_000);
        byte[] up = data(2_000_000);
        transfer(link, link.a, link.b, up, 60_000_000);
        assertArrayEquals(up, link.b.received.toByteArray());
        int found = link.a.socket.datagramBytes();
        assertTrue(found > MtuProber.MIN_DATAGRAM_BYTES && found <= 1392, "between the floor and the path: " + found);
        assertEquals(found, link.largestDelivered, "full packets use what the probes found");
        assertTrue(link.senderKnowsPathMtu, "a probe was too long for the path");
        assertEquals(1, link.fragmented, "only the lost probe's resend went fragmented");
        assertTrue(link.a.socket.congestionWindowInSlowStart(), "no congestion response on a lossless link: " + link.a.socket);
    }

    @Test
    void aWidePathEndsNearTheEthernetSize() {
        Link link = pair();
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, MtuProber.forPath(false), 22, 41);
        link.run(() -> link.a.connected, 1_000_000);
        byte[] up = data(1_000_000);
        transfer(link, link.a, link.b, up, 60_000_000);
        assertArrayEquals(up, link.b.received.toByteArray());
        assertTrue(link.a.socket.datagramBytes() > 1472 - MtuProber.DONE_WITHIN_BYTES, link.a.socket.toString());
        assertEquals(0, link.fragmented);
    }

    @Test
    void survivesLossAndReorderingWithEveryByteInOrder() {
        Link link = pair();
        link.lossRate = 0.05;
        link.jitterMicros = 15_000; // packets overtake each other
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, 1000, 77, 1);
        link.run(() -> link.a.connected, 20_000_000);
        assertTrue(link.a.connected, "connects despite loss (the SYN is retransmitted)");
        byte[] up = data(500_000);
        transfer(link, link.a, link.b, up, 600_000_000);
        assertArrayEquals(up, link.b.received.toByteArray());
    }

    @Test
    void aPeerThatNeverAcknowledgesIsDroppedAfterItsTimeouts() {
        Link link = pair();
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, 1000, 9, 100);
        link.run(() -> link.a.connected, 1_000_000);
        link.bSilent = true;
        link.a.socket.write(Unpooled.wrappedBuffer(data(50_000)), 50_000);
        link.run(() -> link.a.closed != null, 600_000_000);
        assertEquals("the peer stopped acknowledging", link.a.closed);
        assertEquals(UtpSocket.State.CLOSED, link.a.socket.state());
    }

    @Test
    void aSynNobodyAnswersFailsTheConnect() {
        Link link = pair();
        link.lossRate = 1.0; // every packet is lost
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, 1000, 3, 3);
        long start = link.now;
        link.run(() -> link.a.closed != null, 60_000_000);
        assertEquals("no answer to the uTP SYN", link.a.closed);
        assertEquals(3, link.sentPackets, "the SYN and two retransmissions");
        assertTrue(link.now - start < 10_000_000, "gives up within 10 s: " + (link.now - start));
    }

    @Test
    void finClosesBothSidesAfterTheData() {
        Link link = pair();
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, 1000, 11, 500);
        link.run(() -> link.a.connected, 1_000_000);
        byte[] up = data(10_000);
        link.a.socket.write(Unpooled.wrappedBuffer(up), up.length);
        link.a.socket.close();
        link.run(() -> link.a.closed != null && link.b.closed != null, 10_000_000);
        assertArrayEquals(up, link.b.received.toByteArray());
        assertEquals("the peer closed the connection", link.b.closed);
        assertEquals("closed", link.a.closed);
    }

    @Test
    void theReceiveWindowClosesWhileTheApplicationDoesNotRead() {
        Link link = pair();
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, 1000, 13, 600);
        link.run(() -> link.a.connected, 1_000_000);
        link.b.unread = UtpSocket.RECEIVE_BUFFER_BYTES; // b's application reads nothing
        byte[] up = data(3 * UtpSocket.RECEIVE_BUFFER_BYTES);
        ByteBuf src = Unpooled.wrappedBuffer(up);
        link.run(() -> {
            int room = link.a.socket.sendRoom();
            if (src.isReadable() && room > 0) {
                link.a.socket.write(src, Math.min(room, src.readableBytes()));
            }
            return false;
        }, 5_000_000);
        // One probe packet at a time may pass a closed window; nothing like the whole stream.
        assertTrue(link.b.received.size() < 64 * 1000, "received " + link.b.received.size() + " bytes into a closed window");
        assertEquals(null, link.a.closed, "a closed window is not a dead peer");
    }

    @Test
    void ledbatShrinksTheWindowWhenTheQueuingDelayExceedsTheTarget() {
        LedbatWindow w = new LedbatWindow(1000);
        for (int i = 0; i < 50; i++) {
            w.acked(1000, 0, w.bytes());
        }
        int open = w.bytes();
        assertTrue(open > 10_000, "slow start opens the window: " + open);
        for (int i = 0; i < 2000; i++) {
            w.acked(1000, 300_000, w.bytes()); // three times the target
        }
        assertEquals(1000, w.bytes(), "far above the target the window falls to one packet");
    }

    /** A socket that answered a SYN with seq_nr 1000, and the packets it sends. */
    private static UtpSocket acceptedWithSynSeq1000(List<UtpPacket> sent) {
        UtpSocket.Events events = new UtpSocket.Events() {
            @Override public void send(UtpPacket packet) { sent.add(packet); }
            @Override public void connected() { }
            @Override public void received(byte[] data) { }
            @Override public void writable() { }
            @Override public void closed(String why) { }
        };
        UtpPacket syn = new UtpPacket(UtpType.SYN, 500, 0, 0, 1 << 20, 1000, 0, null, UtpPacket.NO_PAYLOAD);
        UtpSocket s = UtpSocket.accept(syn, events, () -> 1_000_000, () -> 0, 1000, 7); // our seq_nr starts at 7: the peer acks 6
        sent.clear(); // the SYN's answer
        return s;
    }

    /** Feeds data packets with these offsets from the SYN's seq_nr as one read batch; answers each ack's offset. */
    private static List<Integer> oneBatch(UtpSocket s, List<UtpPacket> sent, int... offsets) {
        List<Integer> ackedUpTo = new ArrayList<>();
        for (int i : offsets) {
            s.receive(new UtpPacket(UtpType.DATA, 500, 0, 0, 1 << 20, 1000 + i, 6, null, new byte[1000]));
            for (UtpPacket p : sent) {
                ackedUpTo.add(p.ackNr() - 1000);
            }
            sent.clear();
        }
        return ackedUpTo;
    }

    @Test
    void onALossyPathAWindowReadInOneBatchIsAcknowledgedEveryFewPacketsNotOnce() {
        List<UtpPacket> sent = new ArrayList<>();
        UtpSocket s = acceptedWithSynSeq1000(sent);
        // One sender window, all in one read batch; its first packet overtook the one before it (a hole).
        int[] window = {2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        // Losing one ack must not leave the whole window unacknowledged: acks went out within the batch.
        assertEquals(List.of(4, 8, 12), oneBatch(s, sent, window));
        s.sendAckIfDue(); // the end of the batch acknowledges the rest
        assertEquals(1, sent.size());
        assertEquals(14, sent.get(0).ackNr() - 1000);
        assertEquals(UtpType.STATE, sent.get(0).type());
    }

    @Test
    void onACleanPathAWindowReadInOneBatchIsAcknowledgedOnce() {
        List<UtpPacket> sent = new ArrayList<>();
        UtpSocket s = acceptedWithSynSeq1000(sent);
        assertEquals(List.of(), oneBatch(s, sent, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14));
        s.sendAckIfDue();
        assertEquals(1, sent.size());
        assertEquals(14, sent.get(0).ackNr() - 1000);
    }

    /** Offsets {@code from} to {@code to}, both included. */
    private static int[] offsets(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).toArray();
    }

    @Test
    void afterALossTheExtraAcksEndOnceARunOfPacketsCameInOrderWithNoHoleLeft() {
        List<UtpPacket> sent = new ArrayList<>();
        UtpSocket s = acceptedWithSynSeq1000(sent);
        assertEquals(List.of(4, 8, 12), oneBatch(s, sent, 2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14));
        s.sendAckIfDue();
        sent.clear();
        // Packet 1 filled the hole: it and 3-14 are 13 in order. One short of the clean run, the acks inside a
        // batch go on.
        int lastOfRun = 14 + UtpSocket.CLEAN_RUN_PACKETS - 13;
        List<Integer> acks = oneBatch(s, sent, offsets(15, lastOfRun - 1));
        assertEquals(18, acks.get(0));
        assertEquals((lastOfRun - 15) / 4, acks.size());
        assertEquals(List.of(), oneBatch(s, sent, lastOfRun));
        s.sendAckIfDue();
        sent.clear();
        // A clean run later: a window read in one batch is acknowledged once, at its end, as before any loss.
        assertEquals(List.of(), oneBatch(s, sent, offsets(lastOfRun + 1, lastOfRun + 14)));
        s.sendAckIfDue();
        assertEquals(1, sent.size());
        assertEquals(lastOfRun + 14, sent.get(0).ackNr() - 1000);
        assertEquals(3 + (lastOfRun - 15) / 4, s.counters().acksInsideBatches, s.toString());
    }

    @Test
    void whileAHoleStaysOpenTheExtraAcksGoOnPastTheCleanRun() {
        List<UtpPacket> sent = new ArrayList<>();
        UtpSocket s = acceptedWithSynSeq1000(sent);
        // Packet 1 never comes: everything after it waits in the reorder buffer, and every ack is a duplicate
        // (ack_nr 0, the SYN's) that tells the sender what is missing.
        int last = UtpSocket.CLEAN_RUN_PACKETS / 2 + 1;
        assertEquals(0, oneBatch(s, sent, offsets(2, last)).stream().filter(a -> a != 0).count());
        oneBatch(s, sent, 1); // the hole is filled: everything is delivered
        s.sendAckIfDue();
        sent.clear();
        List<Integer> acks = oneBatch(s, sent, offsets(last + 1, last + UtpSocket.CLEAN_RUN_PACKETS - 2));
        assertEquals((UtpSocket.CLEAN_RUN_PACKETS - 2) / 4, acks.size(), "the run counts from the filled hole, not from the loss");
    }

    @Test
    void aLostLonePacketGoesAgainAfterTwoRoundTripsNotAfterTheTimeout() {
        Link link = pair(); // 40 ms round trip
        link.a.socket = UtpSocket.connect(link.a, () -> link.now, () -> 0, 1000, 15, 700);
        link.run(() -> link.a.connected, 1_000_000);
        byte[] warmUp = data(20_000); // round-trip samples for the timer
        transfer(link, link.a, link.b, warmUp, 10_000_000);
        int windowBefore = link.a.socket.congestionWindowBytes();
        // A request-sized packet, alone in flight, is lost once: no later packet can be acked to reveal it.
        boolean[] dropped = {false};
        link.drop = p -> p.type() == UtpType.DATA && p.payload().length == 200 && !dropped[0] && (dropped[0] = true);
        link.b.received.reset();
        long sent = link.now;
        link.a.socket.write(Unpooled.wrappedBuffer(data(200)), 200);
        link.run(() -> link.b.received.size() == 200, 10_000_000);
        assertTrue(dropped[0]);
        assertEquals(200, link.b.received.size());
        assertEquals(1, link.a.socket.counters().tailProbes, link.a.socket.toString());
        assertEquals(0, link.a.socket.counters().timeouts, "repaired before the retransmission timer: " + link.a.socket);
        assertTrue(link.now - sent < RoundTripTimer.MIN_TIMEOUT_MICROS, "on the simulated clock: " + (link.now - sent));
        assertTrue(link.a.socket.congestionWindowBytes() >= windowBefore,
                "one probe packet is no congestion signal: " + windowBefore + " before, " + link.a.socket);
    }
}
