package dev.magnetar.wire.utp;

import java.net.InetAddress;
import java.net.Inet6Address;

/**
 * How much payload one uTP packet carries. A datagram larger than the path MTU is fragmented by IP,
 * and losing any fragment loses the whole packet, so uTP sizes its packets to the path (BEP 29:
 * "MTU-conscious"). We take the Ethernet MTU, 1500 bytes, as the path MTU — the largest common to
 * home links — minus the IP header (20 bytes, 40 for IPv6), the UDP header (8) and the uTP header (20).
 * Loopback too: its MTU is 64 KiB, but libtorrent reads each datagram into a buffer about one
 * Ethernet packet long, and a longer uTP packet reached it cut short (seen here: libtorrent closed
 * the connection when our first request batch larger than that arrived).
 *
 * <p>Not done: probing for a larger path MTU, or a smaller one behind tunnels (PPPoE's 1492 still fits
 * these packets only because the uTP header is counted in full and selective acks ride on packets
 * without payload).
 */
final class UtpPacketSizes {

    static final int ETHERNET_MTU = 1500;
    static final int UDP_HEADER = 8;

    private UtpPacketSizes() {}

    static int payloadBytesFor(InetAddress peer) {
        int ipHeader = peer instanceof Inet6Address ? 40 : 20;
        return ETHERNET_MTU - ipHeader - UDP_HEADER - UtpPacketCodec.HEADER_BYTES;
    }
}
