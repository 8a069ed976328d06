package dev.magnetar.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * BEP 55 payloads (after the BEP 10 extended-message header): msg_type (1 byte), addr_type (1: 0 IPv4,
 * 1 IPv6), the address (4 or 16 bytes), the port (2), err_code (4, big-endian, 0 unless an error). So
 * a message is exactly 12 bytes for IPv4 and 24 for IPv6; any other length, an unknown type, an error
 * code outside the spec or a non-error with a code is a malformed message and the peer broke the
 * protocol.
 */
public final class HolepunchCodec {

    static final int RENDEZVOUS = 0x00;
    static final int CONNECT = 0x01;
    static final int ERROR = 0x02;
    static final int IPV4 = 0x00;
    static final int IPV6 = 0x01;

    private HolepunchCodec() {}

    public static byte[] encode(HolepunchMessage m) {
        byte[] addr = m.endpoint().getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(8 + addr.length);
        int type = m instanceof HolepunchMessage.Rendezvous ? RENDEZVOUS : m instanceof HolepunchMessage.Connect ? CONNECT : ERROR;
        b.put((byte) type);
        b.put((byte) (addr.length == 4 ? IPV4 : IPV6)).put(addr).putShort((short) m.endpoint().getPort());
        b.putInt(m instanceof HolepunchMessage.Error e ? e.error().code : 0);
        return b.array();
    }

    public static HolepunchMessage decode(byte[] payload) throws PeerProtocolException {
        if (payload.length < 2) {
            throw malformed("of " + payload.length + " bytes has no address type");
        }
        int type = Byte.toUnsignedInt(payload[0]);
        int addrType = Byte.toUnsignedInt(payload[1]);
        int addrLength = switch (addrType) {
            case IPV4 -> 4;
            case IPV6 -> 16;
            default -> throw malformed("has address type " + addrType + " (0 is IPv4, 1 IPv6)");
        };
        if (payload.length != 8 + addrLength) {
            throw malformed("is " + payload.length + " bytes; with an " + (addrLength == 4 ? "IPv4" : "IPv6") + " address it is "
                    + (8 + addrLength));
        }
        ByteBuffer b = ByteBuffer.wrap(payload, 2, payload.length - 2);
        byte[] addr = new byte[addrLength];
        b.get(addr);
        int port = Short.toUnsignedInt(b.getShort());
        long code = Integer.toUnsignedLong(b.getInt());
        InetSocketAddress endpoint;
        try {
            InetAddress ip = addrLength == 4 ? Inet4Address.getByAddress(addr) : Inet6Address.getByAddress(null, addr, null);
            endpoint = new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw malformed("has an address that does not parse");
        }
        return switch (type) {
            case RENDEZVOUS, CONNECT -> {
                if (code != 0) {
                    throw malformed("of type " + type + " carries error code " + code + " (only error messages do)");
                }
                yield type == RENDEZVOUS ? new HolepunchMessage.Rendezvous(endpoint) : new HolepunchMessage.Connect(endpoint);
            }
            case ERROR -> {
                HolepunchError error = HolepunchError.of(code);
                if (error == null) {
                    throw malformed("carries error code " + code + ", which BEP 55 does not define");
                }
                yield new HolepunchMessage.Error(endpoint, error);
            }
            default -> throw malformed("has message type " + type + " (0 rendezvous, 1 connect, 2 error)");
        };
    }

    static void requireResolved(InetSocketAddress endpoint) {
        if (endpoint == null || endpoint.isUnresolved()) {
            throw new IllegalArgumentException("a holepunch endpoint is an IP address and port, got " + endpoint);
        }
    }

    private static PeerProtocolException malformed(String what) {
        return new PeerProtocolException(PeerProtocolException.Violation.MALFORMED_MESSAGE, "ut_holepunch message " + what + " (BEP 55)");
    }
}
