package dev.magnetar.wire.utp;

/**
 * How much payload one uTP packet carries. A datagram larger than the path MTU is fragmented by IP or
 * dropped, and losing any fragment loses the whole packet, so uTP sizes its packets to the path (BEP 29:
 * "MTU-conscious").
 *
 * <p>We send datagrams of at most {@link #DATAGRAM_BYTES}, uTP header included, whatever the path. With
 * the IP and UDP headers that is 1,388 bytes on the wire over IPv4 and 1,408 over IPv6, which fits the
 * links home users actually have under a 1,500-byte Ethernet: PPPoE (1,492), DS-Lite (1,460), and
 * WireGuard's default tunnel MTU (1,420), the smallest common one. libtorrent instead probes between a
 * floor and the interface MTU; a fixed size that fits every such path gives up about 7 % of payload
 * per packet on a clean 1,500-byte path and needs no probe that could be lost. Loopback too: its MTU is
 * 64 KiB, but libtorrent reads each datagram into a buffer about one Ethernet packet long, and a longer
 * uTP packet reached it cut short (libtorrent closed the connection).
 */
final class UtpPacketSizes {

    /** The largest uTP datagram we send (header and payload); selective acks ride only on packets without payload. */
    static final int DATAGRAM_BYTES = 1360;

    /** Payload bytes of a full data packet. */
    static final int PAYLOAD_BYTES = DATAGRAM_BYTES - UtpPacketCodec.HEADER_BYTES;

    private UtpPacketSizes() {}
}
