package dev.magnetar.wire.utp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * One uTP connection's state machine (BEP 29), without sockets or threads: packets and the clock go
 * in, packets and stream events come out through {@link Events}. {@link UtpChannel} puts a Netty
 * channel on top of it and {@link UtpMultiplexer} feeds it datagrams; keeping the protocol here means
 * it can be tested packet by packet with a fake clock.
 *
 * <p>What it does: the SYN/STATE exchange with BEP 29's connection ids; a byte stream cut into packets
 * no larger than the path allows, found by probing ({@link MtuProber}); retransmission on timeout (RFC 6298 timer,
 * {@link RoundTripTimer}) and fast retransmit after three duplicate acks or three later packets
 * selectively acked; LEDBAT congestion control ({@link LedbatWindow}) driven by the peer's
 * timestamp_difference; a receive window that shrinks while the application does not read; FIN and
 * RESET. Every buffer is bounded: {@link #SEND_BUFFER_BYTES} unsent, the congestion window in flight,
 * {@link #RECEIVE_BUFFER_BYTES} out of order.
 *
 * <p>Not thread-safe: every call happens on the owning event loop.
 */
final class UtpSocket {

    /** What the socket tells its owner. Called on the owner's thread, from inside the socket's methods. */
    interface Events {
        /** A packet to put on the wire to the peer. */
        void send(UtpPacket packet);

        /** Our SYN was answered: the stream is open. */
        void connected();

        /** In-order stream bytes from the peer. */
        void received(byte[] data);

        /** There is room in the send buffer again. */
        void writable();

        /** The connection is over (called once); nothing more comes from this socket. */
        void closed(String why);
    }

    enum State { SYN_SENT, CONNECTED, FIN_SENT, CLOSED }

    /** Unsent bytes the socket takes from its writer before it says "full". */
    static final int SEND_BUFFER_BYTES = 1 << 20;
    /** The receive window we advertise when the application reads everything at once. */
    static final int RECEIVE_BUFFER_BYTES = 1 << 20;
    /** A packet further ahead than this is outside any window we advertise and is dropped. */
    static final int MAX_REORDER_DISTANCE = 2048;
    /** SYN retransmissions before giving up: the SYN goes at 0, 1 and 3 s, so a silent address fails after about 7 s. */
    static final int MAX_SYN_TIMEOUTS = 2;
    /** Timeouts in a row before a connection is declared dead (0.5 s doubling: about 30 s with no ack at all). */
    static final int MAX_TIMEOUTS = 5;
    /** An accepted connection that brings no data within this is dropped (half-open, e.g. a spoofed SYN). */
    static final long HALF_OPEN_TIMEOUT_MICROS = 10_000_000;
    /** BEP 29 selective ack: we report at most 256 packets past the ack. */
    static final int MAX_SELECTIVE_ACK_BYTES = 32;
    private static final int DUPLICATE_ACKS_FOR_RETRANSMIT = 3;
    /**
     * Data packets after which we acknowledge without waiting for the end of the read batch, once the path
     * has lost a packet. A sender's whole window often arrives in one batch (a burst that a path's delay
     * keeps together), and one ack for all of it means one lost ack stalls the sender until its
     * retransmission timer: bench/swarm --utp over 40 ms RTT and 1 % loss saw libtorrent's seeder time out
     * up to four times per 16 MiB with one ack per 12.6 data packets from us. Every fourth packet leaves
     * several acks per window even right after a loss halved it, as TCP's every-second-segment rule (RFC
     * 5681 4.2) does more dearly. Not before a loss: on a clean path (loopback, a LAN) acks are not lost
     * either, and there the batch's one ack per 36-49 data packets became one per 3.7 — ten times the
     * acks for both ends to handle. And not for ever after one loss: see {@link #CLEAN_RUN_PACKETS}.
     */
    static final int ACK_EVERY_PACKETS = 4;
    /**
     * Data packets in order, with no hole left to fill, after which a path that lost a packet counts as
     * clean again and {@link #ACK_EVERY_PACKETS} stops: one loss on a LAN or loopback (a full socket buffer
     * in a burst) no longer makes the rest of a long download send four times the acks. On a lossy path
     * the extra acks stay: at 1 % loss, 1,024 packets in a row arrive whole about once in 23,000 runs.
     */
    static final int CLEAN_RUN_PACKETS = 1024;
    /** How often one packet probes a peer window that is closed (libutp waits longer; tests and slow readers like it short). */
    static final long ZERO_WINDOW_PROBE_MICROS = 2_000_000;

    private final Events events;
    private final LongSupplier micros;
    private final IntSupplier unreadBytes;
    private final MtuProber mtu;
    private final int receiveId;
    private final int sendId;
    private final boolean acceptor;
    private final long createdMicros;

    private State state;
    private int seqNr;
    private int ackNr;
    private int replyMicros;
    private long peerWindow = 1 << 20;
    private int lastAckSeen = -1;
    private int duplicateAcks;
    private int timeouts;
    private boolean ackDue;
    /** Data packets taken since an ack last went out ({@link #ACK_EVERY_PACKETS}). */
    private int packetsSinceAck;
    /** A packet came out of order within the last {@link #CLEAN_RUN_PACKETS}: this path loses (or reorders) packets. */
    private boolean pathLoses;
    /** Data packets delivered in order since a packet last came out of order or the last hole was filled. */
    private int inOrderSinceLoss;
    private boolean gotData;
    private boolean finQueued;
    private int eofSeq = -1;
    private final ArrayDeque<Outgoing> inFlight = new ArrayDeque<>();
    private int bytesInFlight;
    private final ByteBuf unsent = Unpooled.buffer(0);
    private final Map<Integer, UtpPacket> outOfOrder = new HashMap<>();
    private int outOfOrderBytes;
    private final LedbatWindow window;
    private final RoundTripTimer timer = new RoundTripTimer();
    private final DelayHistory delays = new DelayHistory();
    private long lastQueuingDelayMicros;
    private long nextZeroWindowProbeMicros;
    private long deliveredBytes;
    private long writtenBytes;
    /** What the connection saw, for its close log: how a lossy link treated it in each direction. */
    private final Counters counters = new Counters();

    /** Per-connection counts, read in {@link #toString} when the channel logs its close. */
    static final class Counters {
        long dataIn;
        long duplicatesIn;
        long outOfOrderIn;
        long beyondWindowIn;
        long acksOut;
        long selectiveAcksOut;
        /** Acks sent inside a read batch ({@link #ACK_EVERY_PACKETS}), not at its end. */
        long acksInsideBatches;
        int maxOutOfOrderBytes;
        long dataOut;
        long fastRetransmits;
        long tailProbes;
        long timeouts;

        @Override
        public String toString() {
            return "in: " + dataIn + " data, " + duplicatesIn + " duplicate, " + outOfOrderIn + " out of order (max "
                    + maxOutOfOrderBytes + " B held), " + beyondWindowIn + " beyond our window; acks out " + acksOut
                    + " (" + selectiveAcksOut + " selective, " + acksInsideBatches + " inside a batch); data out " + dataOut
                    + ", fast retransmits " + fastRetransmits + ", tail probes " + tailProbes + ", timeouts " + timeouts;
        }
    }

    Counters counters() {
        return counters;
    }

    private static final class Outgoing {
        final UtpType type;
        final int seq;
        final byte[] payload;
        long sentMicros;
        int transmissions;
        boolean selectivelyAcked;
        boolean fastRetransmitted;
        /** Sent larger than the path is known to carry, to find out whether it does (its first transmission only). */
        boolean probe;
        /** Lost by a timeout: not counted in flight until it is sent again. */
        boolean needResend;

        Outgoing(UtpType type, int seq, byte[] payload) {
            this.type = type;
            this.seq = seq;
            this.payload = payload;
        }
    }

    private UtpSocket(Events events, LongSupplier micros, IntSupplier unreadBytes, MtuProber mtu,
                      int receiveId, int sendId, boolean acceptor, State state) {
        this.events = events;
        this.micros = micros;
        this.unreadBytes = unreadBytes;
        this.mtu = mtu;
        this.receiveId = receiveId & SequenceNumbers.MASK;
        this.sendId = sendId & SequenceNumbers.MASK;
        this.acceptor = acceptor;
        this.state = state;
        this.window = new LedbatWindow(mtu.payloadBytes());
        this.createdMicros = micros.getAsLong();
    }

    /**
     * Opens a connection: sends the SYN. BEP 29: the initiator picks its receive id at random and sends
     * with that id + 1; the SYN itself carries the receive id.
     *
     * @param unreadBytes what the application has received but not yet read (shrinks our window)
     */
    static UtpSocket connect(Events events, LongSupplier micros, IntSupplier unreadBytes, int packetBytes,
                             int receiveId, int initialSeq) {
        return connect(events, micros, unreadBytes, fixedPayload(packetBytes), receiveId, initialSeq);
    }

    /** Like {@link #connect(Events, LongSupplier, IntSupplier, int, int, int)}, with packet sizes from {@code mtu}. */
    static UtpSocket connect(Events events, LongSupplier micros, IntSupplier unreadBytes, MtuProber mtu,
                             int receiveId, int initialSeq) {
        UtpSocket s = new UtpSocket(events, micros, unreadBytes, mtu, receiveId, receiveId + 1, false, State.SYN_SENT);
        s.seqNr = initialSeq & SequenceNumbers.MASK;
        Outgoing syn = new Outgoing(UtpType.SYN, s.seqNr, UtpPacket.NO_PAYLOAD);
        s.seqNr = SequenceNumbers.next(s.seqNr);
        s.inFlight.add(syn);
        s.transmit(syn);
        return s;
    }

    /** Our SYN's sequence number while it is unanswered, else -1. */
    int synSeq() {
        Outgoing first = inFlight.peekFirst();
        return state == State.SYN_SENT && first != null && first.type == UtpType.SYN ? first.seq : -1;
    }

    /**
     * Sends our unanswered SYN again now: the peer's own SYN just came through, so the NATs on the path
     * now pass ours too (BEP 55), and waiting for the retransmission timer would cost a second.
     */
    void resendSyn() {
        Outgoing first = inFlight.peekFirst();
        if (state == State.SYN_SENT && first != null && first.type == UtpType.SYN) {
            transmit(first);
        }
    }

    /** Answers a SYN: BEP 29, we receive on its id + 1 and send on its id; our sequence starts anywhere. */
    static UtpSocket accept(UtpPacket syn, Events events, LongSupplier micros, IntSupplier unreadBytes,
                            int packetBytes, int initialSeq) {
        return accept(syn, events, micros, unreadBytes, fixedPayload(packetBytes), initialSeq);
    }

    /** Like {@link #accept(UtpPacket, Events, LongSupplier, IntSupplier, int, int)}, with packet sizes from {@code mtu}. */
    static UtpSocket accept(UtpPacket syn, Events events, LongSupplier micros, IntSupplier unreadBytes,
                            MtuProber mtu, int initialSeq) {
        UtpSocket s = new UtpSocket(events, micros, unreadBytes, mtu, syn.connectionId() + 1,
                syn.connectionId(), true, State.CONNECTED);
        s.seqNr = initialSeq & SequenceNumbers.MASK;
        s.ackNr = syn.seqNr();
        s.replyMicros = (int) s.micros.getAsLong() - syn.timestampMicros();
        s.peerWindow = Integer.toUnsignedLong(syn.windowSize());
        s.sendAck();
        return s;
    }

    private static MtuProber fixedPayload(int payloadBytes) {
        return MtuProber.fixed(payloadBytes + UtpPacketCodec.HEADER_BYTES);
    }

    /** The id packets from the peer carry: with the peer's address, how the multiplexer finds this socket. */
    int receiveId() {
        return receiveId;
    }

    State state() {
        return state;
    }

    boolean isAcceptedAndHalfOpen() {
        return acceptor && !gotData && state != State.CLOSED;
    }

    /** Room for more bytes to send, 0 when full. */
    int sendRoom() {
        return state == State.CONNECTED && !finQueued ? Math.max(0, SEND_BUFFER_BYTES - unsent.readableBytes()) : 0;
    }

    int congestionWindowBytes() {
        return window.bytes();
    }

    boolean congestionWindowInSlowStart() {
        return window.inSlowStart();
    }

    /** The datagram size data packets use now (grows as probes get through). */
    int datagramBytes() {
        return mtu.datagramBytes();
    }

    long queuingDelayMicros() {
        return lastQueuingDelayMicros;
    }

    /** Takes {@code length} bytes from {@code from} into the send buffer (at most {@link #sendRoom}) and sends what the windows allow. */
    void write(ByteBuf from, int length) {
        if (length > sendRoom()) {
            throw new IllegalStateException("writing " + length + " bytes with room for " + sendRoom());
        }
        writtenBytes += length;
        unsent.writeBytes(from, length);
        sendData();
    }

    /** The application is done: a FIN follows the data still unsent (BEP 29). */
    void close() {
        switch (state) {
            case SYN_SENT -> {
                events.send(packet(UtpType.RESET, seqNr, UtpPacket.NO_PAYLOAD, null));
                terminate("closed before the peer answered");
            }
            case CONNECTED -> {
                finQueued = true;
                sendData();
            }
            default -> { }
        }
    }

    /** Drops the connection at once and tells the peer with a RESET. */
    void reset(String why) {
        if (state != State.CLOSED) {
            events.send(packet(UtpType.RESET, seqNr, UtpPacket.NO_PAYLOAD, null));
            terminate(why);
        }
    }

    /** The application read bytes: when our window had closed, tell the peer it opened again. */
    void readBytes() {
        if (state != State.CLOSED && advertisedWindow() >= mtu.payloadBytes() && lastAdvertisedWindow < mtu.payloadBytes()) {
            ackDue = true;
        }
    }

    private int lastAdvertisedWindow = RECEIVE_BUFFER_BYTES;

    /** One packet from the peer, already matched to this socket by address and connection id. */
    void receive(UtpPacket p) {
        if (state == State.CLOSED) {
            return;
        }
        long now = micros.getAsLong();
        if (p.type() == UtpType.RESET) {
            terminate("the peer reset the connection");
            return;
        }
        if (p.type() == UtpType.SYN) {
            ackDue = true; // our STATE was lost and the SYN repeated
            return;
        }
        int lastSent = (seqNr - 1) & SequenceNumbers.MASK;
        if (SequenceNumbers.before(lastSent, p.ackNr())) {
            return; // acknowledges what we never sent: forged or stale, ignore it whole
        }
        replyMicros = (int) now - p.timestampMicros();
        peerWindow = Integer.toUnsignedLong(p.windowSize());
        if (state == State.SYN_SENT) {
            if (p.type() != UtpType.STATE) {
                return;
            }
            ackNr = (p.seqNr() - 1) & SequenceNumbers.MASK; // BEP 29: the answer's seq_nr is the first we will receive
            state = State.CONNECTED;
            acknowledge(p, now);
            events.connected();
            sendData();
            return;
        }
        acknowledge(p, now);
        if (p.type() == UtpType.DATA || p.type() == UtpType.FIN) {
            take(p);
        }
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.FIN_SENT && inFlight.isEmpty()) {
            sendAckIfDue();
            terminate("closed");
            return;
        }
        if (eofSeq >= 0 && ackNr == eofSeq) {
            sendAck();
            terminate("the peer closed the connection");
            return;
        }
        if (pathLoses && packetsSinceAck >= ACK_EVERY_PACKETS) {
            counters.acksInsideBatches++;
            sendAck();
        }
        sendData();
        if (sendRoom() > 0) {
            events.writable();
        }
    }

    /** Sends the acknowledgement owed for packets received since the last one (the owner calls this after a batch). */
    void sendAckIfDue() {
        if (ackDue && state != State.CLOSED && state != State.SYN_SENT) {
            sendAck();
        }
    }

    /** Retransmission and half-open timers; the owner calls this a few times a second. */
    void tick() {
        if (state == State.CLOSED) {
            return;
        }
        long now = micros.getAsLong();
        if (isAcceptedAndHalfOpen() && now - createdMicros > HALF_OPEN_TIMEOUT_MICROS) {
            reset("no data came after the SYN");
            return;
        }
        Outgoing oldest = firstUnacked();
        if (oldest == null) {
            sendData(); // a zero-window probe may be due
            return;
        }
        if (now - oldest.sentMicros < timer.timeoutMicros()) {
            probeTail(oldest, now);
            return;
        }
        if (oldest.probe) {
            // The path is narrower than the probe: no sign of congestion, so neither the window nor the
            // timer backs off; the probe's bytes go again (fragmented by the OS if need be).
            probeLost(oldest);
            transmit(oldest);
            return;
        }
        mtu.timedOut();
        timeouts++;
        counters.timeouts++;
        if (timeouts > (state == State.SYN_SENT ? MAX_SYN_TIMEOUTS : MAX_TIMEOUTS)) {
            terminate(state == State.SYN_SENT ? "no answer to the uTP SYN" : "the peer stopped acknowledging");
            return;
        }
        timer.timedOut();
        window.timedOut();
        // Like TCP after a timeout: everything unacknowledged is presumed lost and goes again as the
        // (now one-packet) window reopens, oldest first.
        for (Outgoing o : inFlight) {
            if (!o.selectivelyAcked && !o.needResend) {
                o.needResend = true;
                bytesInFlight -= o.payload.length;
            }
        }
        resendLost();
    }

    /**
     * A tail loss probe (after RFC 8985's TLP): when even our newest packet has gone unanswered for
     * {@link RoundTripTimer#probeTimeoutMicros} (two round trips), the oldest unacknowledged one goes again,
     * once, without waiting for the retransmission timer. Fast retransmit needs three later packets
     * acknowledged, which a sparse stream never has: the requests a downloader sends are a packet every
     * half second or so, and one lost request packet held back every later request (uTP delivers in order)
     * for the 500 ms minimum timeout — twice per 16 MiB in bench/swarm --utp over 40 ms RTT and 1 % loss.
     * The window is left alone: a probe is one packet, and if the path is really gone the timer still
     * fires and drops the window to one packet.
     */
    private void probeTail(Outgoing oldest, long now) {
        if (oldest.transmissions != 1 || oldest.probe || (oldest.type != UtpType.DATA && oldest.type != UtpType.FIN)
                || now - inFlight.peekLast().sentMicros < timer.probeTimeoutMicros()) {
            return;
        }
        counters.tailProbes++;
        transmit(oldest);
    }

    /** Sends packets a timeout marked lost, oldest first, as far as the windows allow. */
    private boolean resendLost() {
        for (Outgoing o : inFlight) {
            if (!o.needResend) {
                continue;
            }
            if (bytesInFlight > 0 && bytesInFlight + o.payload.length > Math.min(window.bytes(), peerWindow)) {
                return false;
            }
            o.needResend = false;
            bytesInFlight += o.payload.length;
            transmit(o);
        }
        return true;
    }

    private Outgoing firstUnacked() {
        for (Outgoing o : inFlight) {
            if (!o.selectivelyAcked && !o.needResend) {
                return o;
            }
        }
        return null;
    }

    private void acknowledge(UtpPacket p, long now) {
        int windowBefore = bytesInFlight;
        int ackedBytes = 0;
        long rttSample = -1;
        boolean progress = false;
        while (!inFlight.isEmpty() && !SequenceNumbers.before(p.ackNr(), inFlight.peekFirst().seq)) {
            Outgoing o = inFlight.pollFirst();
            progress = true;
            if (!o.selectivelyAcked) {
                ackedBytes += o.payload.length;
                if (!o.needResend) {
                    bytesInFlight -= o.payload.length;
                }
                if (o.transmissions == 1) {
                    rttSample = now - o.sentMicros; // Karn: only packets sent once give a sample
                }
                arrived(o);
            }
        }
        if (p.selectiveAck() != null) {
            for (Outgoing o : inFlight) {
                if (!o.selectivelyAcked && p.selectivelyAcks(o.seq)) {
                    o.selectivelyAcked = true;
                    progress = true;
                    ackedBytes += o.payload.length;
                    if (!o.needResend) {
                        bytesInFlight -= o.payload.length;
                    }
                    o.needResend = false;
                    if (o.transmissions == 1) {
                        rttSample = now - o.sentMicros;
                    }
                    arrived(o);
                }
            }
        }
        if (rttSample >= 0) {
            timer.sample(rttSample);
        }
        if (progress) {
            timeouts = 0;
        }
        if (p.timestampDifferenceMicros() != 0) {
            lastQueuingDelayMicros = delays.queuingDelay(Integer.toUnsignedLong(p.timestampDifferenceMicros()), now);
        }
        window.acked(ackedBytes, lastQueuingDelayMicros, windowBefore);
        if (p.type() == UtpType.STATE && p.ackNr() == lastAckSeen && !progress && !inFlight.isEmpty()) {
            duplicateAcks++;
        } else if (p.ackNr() != lastAckSeen) {
            duplicateAcks = 0;
        }
        lastAckSeen = p.ackNr();
        retransmitLost(now);
    }

    private void arrived(Outgoing o) {
        if (o.probe) {
            o.probe = false;
            mtu.probeAcked(o.payload.length);
        } else if (o.type == UtpType.DATA) {
            mtu.floorAcked();
        }
    }

    private void probeLost(Outgoing o) {
        o.probe = false;
        mtu.probeLost(o.payload.length);
    }

    /** Fast retransmit (BEP 29): a packet with three later ones acked, or three duplicate acks for it, was lost. */
    private void retransmitLost(long now) {
        int ackedAfter = 0;
        Outgoing[] lost = null;
        int lostCount = 0;
        Iterator<Outgoing> back = inFlight.descendingIterator();
        while (back.hasNext()) {
            Outgoing o = back.next();
            if (o.selectivelyAcked) {
                ackedAfter++;
            } else if (!o.needResend && (!o.fastRetransmitted || now - o.sentMicros > timer.roundTripMicros())
                    && (ackedAfter >= DUPLICATE_ACKS_FOR_RETRANSMIT
                    || (duplicateAcks >= DUPLICATE_ACKS_FOR_RETRANSMIT && o == inFlight.peekFirst()))) {
                if (lost == null) {
                    lost = new Outgoing[inFlight.size()];
                }
                lost[lostCount++] = o;
            }
        }
        if (lostCount == 0) {
            return;
        }
        boolean congestion = false;
        for (int i = 0; i < lostCount; i++) {
            if (lost[i].probe) {
                probeLost(lost[i]); // too large for the path, which says nothing about congestion
            } else {
                congestion = true;
            }
        }
        if (congestion) {
            window.lost(now, timer.roundTripMicros());
        }
        for (int i = lostCount - 1; i >= 0; i--) {
            counters.fastRetransmits++;
            lost[i].fastRetransmitted = true;
            transmit(lost[i]);
        }
    }

    private void take(UtpPacket p) {
        gotData = true;
        ackDue = true;
        packetsSinceAck++;
        counters.dataIn++;
        int ahead = SequenceNumbers.distance(ackNr, p.seqNr());
        if (ahead <= 0 || ahead > MAX_REORDER_DISTANCE) {
            counters.duplicatesIn++;
            return; // a duplicate (the ack is re-sent) or beyond any window we gave
        }
        if (eofSeq >= 0 && SequenceNumbers.before(eofSeq, p.seqNr())) {
            return; // past the end the peer announced
        }
        if (p.payload().length > advertisedWindow()) {
            // Beyond the window we advertised (a peer that ignores it, or a probe of a closed one): dropped
            // unacknowledged, to come again once the window opens, so that what we hold for a reader that
            // does not read never exceeds the window.
            counters.beyondWindowIn++;
            return;
        }
        if (ahead > 1) {
            counters.outOfOrderIn++;
            pathLoses = true;
            inOrderSinceLoss = 0;
            if (!outOfOrder.containsKey(p.seqNr()) && outOfOrderBytes + p.payload().length <= RECEIVE_BUFFER_BYTES) {
                outOfOrder.put(p.seqNr(), p);
                outOfOrderBytes += p.payload().length;
                counters.maxOutOfOrderBytes = Math.max(counters.maxOutOfOrderBytes, outOfOrderBytes);
                if (p.type() == UtpType.FIN) {
                    eofSeq = p.seqNr();
                }
            }
            return;
        }
        deliver(p);
        UtpPacket next;
        while ((next = outOfOrder.remove(SequenceNumbers.next(ackNr))) != null) {
            outOfOrderBytes -= next.payload().length;
            deliver(next);
        }
        if (pathLoses) {
            // Counted from the packet that filled the last hole: while one is open, the path is still losing.
            inOrderSinceLoss = outOfOrder.isEmpty() ? inOrderSinceLoss + 1 : 0;
            if (inOrderSinceLoss >= CLEAN_RUN_PACKETS) {
                pathLoses = false;
            }
        }
    }

    private void deliver(UtpPacket p) {
        ackNr = p.seqNr();
        if (p.type() == UtpType.FIN) {
            eofSeq = p.seqNr();
        } else if (p.payload().length > 0) {
            deliveredBytes += p.payload().length;
            events.received(p.payload());
        }
    }

    private void sendData() {
        if (state == State.CLOSED || !resendLost() || state != State.CONNECTED) {
            return;
        }
        while (unsent.isReadable()) {
            int probe = mtu.nextProbePayloadBytes();
            boolean probing = probe > 0 && unsent.readableBytes() >= probe;
            int length = probing ? probe : Math.min(mtu.payloadBytes(), unsent.readableBytes());
            long limit = Math.min(window.bytes(), peerWindow);
            if (bytesInFlight + length > limit) {
                if (bytesInFlight > 0) {
                    break;
                }
                // Nothing in flight: one packet may go anyway. Under a small congestion window that is
                // how a connection keeps moving; against a closed peer window it is a probe, sent at
                // most every ZERO_WINDOW_PROBE_MICROS in case the ack that reopens the window was lost.
                long now = micros.getAsLong();
                if (peerWindow < length) {
                    if (now < nextZeroWindowProbeMicros) {
                        break;
                    }
                    nextZeroWindowProbeMicros = now + ZERO_WINDOW_PROBE_MICROS;
                }
            }
            if (inFlight.size() >= MAX_REORDER_DISTANCE) {
                break;
            }
            byte[] data = new byte[length];
            unsent.readBytes(data);
            Outgoing o = new Outgoing(UtpType.DATA, seqNr, data);
            if (probing) {
                o.probe = true;
                mtu.probeSent(length);
            }
            seqNr = SequenceNumbers.next(seqNr);
            inFlight.add(o);
            bytesInFlight += length;
            transmit(o);
        }
        unsent.discardReadBytes();
        if (finQueued && !unsent.isReadable()) {
            Outgoing fin = new Outgoing(UtpType.FIN, seqNr, UtpPacket.NO_PAYLOAD);
            seqNr = SequenceNumbers.next(seqNr);
            inFlight.add(fin);
            state = State.FIN_SENT;
            transmit(fin);
        }
    }

    private void transmit(Outgoing o) {
        if (o.type == UtpType.DATA) {
            counters.dataOut++;
        }
        o.transmissions++;
        o.sentMicros = micros.getAsLong();
        events.send(packet(o.type, o.seq, o.payload, null));
    }

    private void sendAck() {
        byte[] selectiveAck = selectiveAck();
        counters.acksOut++;
        if (selectiveAck != null) {
            counters.selectiveAcksOut++;
        }
        events.send(packet(UtpType.STATE, seqNr, UtpPacket.NO_PAYLOAD, selectiveAck));
    }

    private UtpPacket packet(UtpType type, int seq, byte[] payload, byte[] selectiveAck) {
        if (type != UtpType.SYN) {
            ackDue = false; // every packet but the SYN carries our ack_nr
            packetsSinceAck = 0;
        }
        int advertised = advertisedWindow();
        lastAdvertisedWindow = advertised;
        return new UtpPacket(type, type == UtpType.SYN ? receiveId : sendId, (int) micros.getAsLong(),
                replyMicros, advertised, seq, ackNr, selectiveAck, payload);
    }

    private int advertisedWindow() {
        return Math.max(0, RECEIVE_BUFFER_BYTES - outOfOrderBytes - unreadBytes.getAsInt());
    }

    private byte[] selectiveAck() {
        if (outOfOrder.isEmpty()) {
            return null;
        }
        int highest = 0;
        for (int seq : outOfOrder.keySet()) {
            highest = Math.max(highest, SequenceNumbers.distance(SequenceNumbers.plus(ackNr, 2), seq));
        }
        int bytes = Math.min(MAX_SELECTIVE_ACK_BYTES, ((highest / 8) / 4 + 1) * 4);
        byte[] mask = new byte[bytes];
        for (int seq : outOfOrder.keySet()) {
            int bit = SequenceNumbers.distance(SequenceNumbers.plus(ackNr, 2), seq);
            if (bit >= 0 && bit < bytes * 8) {
                mask[bit >> 3] |= (byte) (1 << (bit & 7));
            }
        }
        return mask;
    }

    @Override
    public String toString() {
        return "uTP " + state + ", " + writtenBytes + " B written, " + deliveredBytes + " B delivered, seq " + seqNr + " ack " + ackNr + " in flight " + inFlight.size() + " packets/"
                + bytesInFlight + " B, window " + window.bytes() + " (peer " + peerWindow + "), unsent "
                + (state == State.CLOSED ? 0 : unsent.readableBytes()) + ", out of order " + outOfOrder.size()
                + ", rto " + timer.timeoutMicros() / 1000 + " ms, delay " + lastQueuingDelayMicros / 1000 + " ms, " + mtu
                + "; " + counters;
    }

    private void terminate(String why) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        inFlight.clear();
        outOfOrder.clear();
        unsent.release();
        events.closed(why);
    }
}
