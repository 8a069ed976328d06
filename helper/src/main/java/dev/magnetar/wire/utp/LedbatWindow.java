package dev.magnetar.wire.utp;

/**
 * The congestion window of one uTP connection: LEDBAT as BEP 29 specifies it (RFC 6817), so that
 * uTP fills an idle link but yields to TCP and interactive traffic once its packets start to queue.
 *
 * <p>Each acknowledgement grows or shrinks the window by how far the measured queuing delay is from
 * the 100 ms target, scaled by the share of the window that was acknowledged, by at most
 * {@link #MAX_GAIN_BYTES_PER_RTT} per round trip. A loss halves it (BEP 29's loss factor 0.5), at most
 * once per round trip; a timeout drops it to one packet. Like libtorrent and libutp today, it starts in
 * slow start (the window doubles per round trip) until the delay first reaches half the target or a
 * loss: without it a fresh connection over a 40 ms path would take tens of seconds to open up.
 */
final class LedbatWindow {

    /** BEP 29's CCONTROL_TARGET: the queuing delay LEDBAT aims for. */
    static final int TARGET_DELAY_MICROS = 100_000;
    /** BEP 29's MAX_CWND_INCREASE_PACKETS_PER_RTT, in bytes as libutp counts it. */
    static final int MAX_GAIN_BYTES_PER_RTT = 3000;
    /** Never more in flight than this, whatever the delay says: bounds memory per connection. */
    static final int MAX_WINDOW_BYTES = 4 << 20;

    private final int packetBytes;
    private double windowBytes;
    private boolean slowStart = true;
    private long lastDecreaseMicros = Long.MIN_VALUE / 2;

    LedbatWindow(int packetBytes) {
        this.packetBytes = packetBytes;
        this.windowBytes = 3L * packetBytes;
    }

    int bytes() {
        return (int) windowBytes;
    }

    boolean inSlowStart() {
        return slowStart;
    }

    /**
     * {@code ackedBytes} left the network; {@code queuingDelayMicros} is the one-way delay above the
     * path's base delay, {@code windowInFlight} the bytes that were in flight before this ack.
     */
    void acked(int ackedBytes, long queuingDelayMicros, int windowInFlight) {
        if (ackedBytes <= 0) {
            return;
        }
        if (slowStart && queuingDelayMicros > TARGET_DELAY_MICROS / 2) {
            slowStart = false;
        }
        if (slowStart) {
            windowBytes += ackedBytes;
        } else {
            double offTarget = (TARGET_DELAY_MICROS - (double) queuingDelayMicros) / TARGET_DELAY_MICROS;
            double share = (double) ackedBytes / Math.max(windowBytes, Math.max(windowInFlight, packetBytes));
            windowBytes += MAX_GAIN_BYTES_PER_RTT * Math.max(-1, offTarget) * share;
        }
        clamp();
    }

    /** A packet was lost (fast retransmit): halve, once per round trip. */
    void lost(long nowMicros, long roundTripMicros) {
        slowStart = false;
        if (nowMicros - lastDecreaseMicros < roundTripMicros) {
            return;
        }
        lastDecreaseMicros = nowMicros;
        windowBytes *= 0.5;
        clamp();
    }

    /** The retransmission timer fired: the path may be gone, start again from one packet. */
    void timedOut() {
        slowStart = false;
        windowBytes = packetBytes;
    }

    private void clamp() {
        windowBytes = Math.max(packetBytes, Math.min(MAX_WINDOW_BYTES, windowBytes));
    }
}
