package dev.magnetar.wire.utp;

/**
 * Path MTU discovery for one uTP connection, by packet size probes (the packetization-layer method of
 * RFC 4821; BEP 29 asks for "MTU-conscious" packets and leaves the method open, libtorrent probes the
 * same way). It keeps the largest datagram known to arrive ({@link #datagramBytes}, the floor) and the
 * largest that might ({@code ceiling}), and binary-searches between them: one data packet at a time is
 * sent at the midpoint, and its acknowledgement raises the floor. The search stops once the two are
 * within {@link #DONE_WITHIN_BYTES}, or at the first lost probe.
 *
 * <p>A lost probe says the path is narrower than the probe, not that it is congested: the socket must
 * not shrink its congestion window for it, and resends its bytes. A lost probe also ends the search at
 * the floor. Java 17 cannot set IP's don't-fragment bit on a datagram (nor read the kernel's path MTU);
 * Linux sets it on UDP by default (IP_PMTUDISC_WANT), so the first probe too large for the path is
 * dropped, but once the ICMP answer taught the kernel the path MTU it fragments larger datagrams instead
 * of dropping them: later probes would all "arrive" and push the floor past the path MTU. For the same
 * reason, on a path whose MTU the kernel already knew, probes arrive fragmented and the floor rises past
 * it; fragments cost more loss, not the connection.
 *
 * <p>Timeouts in a row at the floor suggest the path changed under us (a black hole, RFC 4821 section
 * 7.7): the floor falls back to the minimum and the search starts again.
 *
 * <p>Not thread-safe: the owning socket's event loop only.
 */
final class MtuProber {

    /**
     * The smallest datagram we ever send: IPv6's minimum link MTU (RFC 8200, 1,280 bytes) less the IPv6 and
     * UDP headers, which every IPv6 path carries and about every IPv4 path does too.
     */
    static final int MIN_DATAGRAM_BYTES = 1280 - 40 - 8;
    /**
     * The largest: an Ethernet frame's 1,500 bytes less the IPv4 and UDP headers. Loopback's MTU is 64 KiB,
     * but peers read each datagram into a buffer about one Ethernet frame long (libtorrent closed the
     * connection when a longer one reached it cut short), so no path is probed past this.
     */
    static final int MAX_DATAGRAM_BYTES_IPV4 = 1500 - 20 - 8;
    /** The same over IPv6, whose header is 20 bytes longer. */
    static final int MAX_DATAGRAM_BYTES_IPV6 = 1500 - 40 - 8;
    /** Close enough: another probe would gain less than about 0.5 % of a packet. */
    static final int DONE_WITHIN_BYTES = 8;
    /** Timeouts in a row at the floor before the floor is no longer trusted. */
    static final int TIMEOUTS_BEFORE_FALLBACK = 2;

    private final int minimum;
    private final int maximum;
    private int floor;
    private int ceiling;
    private int probeInFlight;
    private int timeoutsInARow;

    MtuProber(int minimumDatagramBytes, int maximumDatagramBytes) {
        if (minimumDatagramBytes <= UtpPacketCodec.HEADER_BYTES || maximumDatagramBytes < minimumDatagramBytes) {
            throw new IllegalArgumentException("datagram sizes " + minimumDatagramBytes + ".." + maximumDatagramBytes);
        }
        this.minimum = minimumDatagramBytes;
        this.maximum = maximumDatagramBytes;
        this.floor = minimumDatagramBytes;
        this.ceiling = maximumDatagramBytes;
    }

    /** A search for a path over IPv4 or IPv6. */
    static MtuProber forPath(boolean ipv6) {
        return new MtuProber(MIN_DATAGRAM_BYTES, ipv6 ? MAX_DATAGRAM_BYTES_IPV6 : MAX_DATAGRAM_BYTES_IPV4);
    }

    /** No search: every packet is {@code datagramBytes} long. */
    static MtuProber fixed(int datagramBytes) {
        return new MtuProber(datagramBytes, datagramBytes);
    }

    /** The datagram size data packets use now: the largest known to arrive. */
    int datagramBytes() {
        return floor;
    }

    /** Payload of a full data packet at {@link #datagramBytes}. */
    int payloadBytes() {
        return floor - UtpPacketCodec.HEADER_BYTES;
    }

    int ceilingBytes() {
        return ceiling;
    }

    boolean searching() {
        return ceiling - floor >= DONE_WITHIN_BYTES;
    }

    /**
     * The payload of the next probe, or 0 when none is due (the search is over, or a probe is still out).
     */
    int nextProbePayloadBytes() {
        if (!searching() || probeInFlight != 0) {
            return 0;
        }
        return (floor + ceiling + 1) / 2 - UtpPacketCodec.HEADER_BYTES;
    }

    /** A probe of {@code payloadBytes} went out. */
    void probeSent(int payloadBytes) {
        probeInFlight = payloadBytes + UtpPacketCodec.HEADER_BYTES;
    }

    /** The probe arrived: the path carries datagrams that long. */
    void probeAcked(int payloadBytes) {
        int bytes = payloadBytes + UtpPacketCodec.HEADER_BYTES;
        floor = Math.min(ceiling, Math.max(floor, bytes));
        timeoutsInARow = 0;
        probeInFlight = 0;
    }

    /** The probe was lost: the path is presumed narrower than it (and not congested); the floor is the answer. */
    void probeLost(int payloadBytes) {
        ceiling = floor;
        probeInFlight = 0;
    }

    /** A packet no larger than the floor was acknowledged: the floor still holds. */
    void floorAcked() {
        timeoutsInARow = 0;
    }

    /** The retransmission timer fired for a packet no larger than the floor. */
    void timedOut() {
        if (++timeoutsInARow >= TIMEOUTS_BEFORE_FALLBACK && floor > minimum) {
            floor = minimum;
            ceiling = maximum;
            probeInFlight = 0;
            timeoutsInARow = 0;
        }
    }

    @Override
    public String toString() {
        return "MTU " + floor + ".." + ceiling + (probeInFlight != 0 ? ", probing " + probeInFlight : "");
    }
}
