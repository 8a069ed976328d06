package dev.magnetar.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * PCP (RFC 6887) MAP requests and replies for IPv4, on the same UDP port as NAT-PMP. A request is the
 * 24-byte common header (§7.1) and the 36-byte MAP payload (§11.1), 60 bytes in all; IPv4 addresses
 * travel as IPv4-mapped IPv6 (§5). The reply carries the external address with the mapping, and
 * echoes our nonce, which must match (§11.3: anything else is someone else's mapping).
 */
public final class PcpCodec {

    static final int VERSION = 2;
    static final int OP_MAP = 1;
    static final int MAP_LENGTH = 60;
    /** §7.4: the server speaks PCP but not this version; a NAT-PMP-only server answers our version 2 with version 0 and this code. */
    static final int RESULT_UNSUPP_VERSION = 1;

    private PcpCodec() {}

    /**
     * A MAP request. A zero lifetime deletes the mapping (§15); it must carry the same nonce as the
     * request that made it.
     */
    public static byte[] mapRequest(byte[] nonce, Inet4Address client, TransportProtocol protocol, int internalPort,
            int suggestedExternalPort, Duration lifetime) {
        if (nonce.length != 12) {
            throw new IllegalArgumentException("PCP nonce must be 12 bytes");
        }
        return ByteBuffer.allocate(MAP_LENGTH)
                .put((byte) VERSION).put((byte) OP_MAP).putShort((short) 0)
                .putInt((int) Math.min(lifetime.toSeconds(), 0xFFFF_FFFFL))
                .put(mapped(client.getAddress()))
                .put(nonce).put((byte) protocol.ianaNumber).put(new byte[3])
                .putShort((short) internalPort).putShort((short) suggestedExternalPort)
                .put(mapped(new byte[4])) // §11.1: no preference for the external address
                .array();
    }

    /** The reply to {@link #mapRequest}; a non-zero result code is a {@link NatPmpRefusedException}. */
    public static GrantedMapping decodeMap(byte[] reply, byte[] nonce, TransportProtocol protocol, int internalPort)
            throws PortMappingDecodeException, NatPmpRefusedException {
        if (reply.length < 4) {
            throw new PortMappingDecodeException("PCP reply of " + reply.length + " bytes is shorter than a header");
        }
        ByteBuffer b = ByteBuffer.wrap(reply);
        int version = Byte.toUnsignedInt(b.get());
        int opcode = Byte.toUnsignedInt(b.get());
        if (version == NatPmpCodec.VERSION) {
            // §9: a NAT-PMP gateway answers a PCP request in its own format (RFC 6886 §3.5: version 0,
            // result 1, unsupported version); the caller falls back to NAT-PMP.
            throw new NatPmpRefusedException(RESULT_UNSUPP_VERSION);
        }
        if (version != VERSION) {
            throw new PortMappingDecodeException("PCP reply has version " + version + ", expected 2");
        }
        if (opcode != (0x80 | OP_MAP)) {
            throw new PortMappingDecodeException("PCP reply has opcode byte " + opcode + ", expected a MAP response (129)");
        }
        b.get(); // reserved
        int result = Byte.toUnsignedInt(b.get());
        if (result != 0) {
            throw new NatPmpRefusedException(result);
        }
        if (reply.length < MAP_LENGTH) {
            throw new PortMappingDecodeException("PCP MAP reply of " + reply.length + " bytes is shorter than " + MAP_LENGTH);
        }
        long lifetimeSeconds = Integer.toUnsignedLong(b.getInt());
        b.position(24);
        byte[] echoed = new byte[12];
        b.get(echoed);
        if (!Arrays.equals(echoed, nonce)) {
            throw new PortMappingDecodeException("PCP reply carries another mapping nonce: not an answer to our request");
        }
        int proto = Byte.toUnsignedInt(b.get());
        b.position(b.position() + 3);
        int echoedInternal = Short.toUnsignedInt(b.getShort());
        int external = Short.toUnsignedInt(b.getShort());
        byte[] ip = new byte[16];
        b.get(ip);
        if (proto != protocol.ianaNumber || echoedInternal != internalPort) {
            throw new PortMappingDecodeException("PCP reply maps protocol " + proto + " port " + echoedInternal + ", we asked for "
                    + protocol.ianaNumber + " port " + internalPort);
        }
        if (lifetimeSeconds > 0 && external == 0) {
            throw new PortMappingDecodeException("PCP reply grants a lifetime but no external port");
        }
        return new GrantedMapping(protocol, internalPort, external, Duration.ofSeconds(lifetimeSeconds), unmapped(ip));
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, out, 12, 4);
        return out;
    }

    /** An IPv4-mapped address, or null for the all-zero address (a delete's reply may carry it). */
    private static Inet4Address unmapped(byte[] ip) throws PortMappingDecodeException {
        if (Arrays.equals(ip, new byte[16])) {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                throw new PortMappingDecodeException("PCP reply's external address is IPv6, we asked for IPv4");
            }
        }
        if (ip[10] != (byte) 0xff || ip[11] != (byte) 0xff) {
            throw new PortMappingDecodeException("PCP reply's external address is not an IPv4-mapped address");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(ip, 12, 16));
        } catch (UnknownHostException e) {
            throw new PortMappingDecodeException("PCP external address did not parse", e);
        }
    }
}
