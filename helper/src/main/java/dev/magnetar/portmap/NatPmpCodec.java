package dev.magnetar.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * NAT-PMP (RFC 6886) datagrams: the external-address request and the map request, and their replies.
 * All fields are big-endian. A reply's opcode is the request's plus 128 (§3.2); a non-zero result
 * code (§3.5) is an error the gateway names, which the decoder turns into {@link NatPmpRefusedException}.
 */
public final class NatPmpCodec {

    public static final int PORT = 5351;
    static final int VERSION = 0;
    static final int OP_EXTERNAL_ADDRESS = 0;
    /** §3.5 result code 1: the gateway speaks another version. */
    public static final int RESULT_UNSUPPORTED_VERSION = 1;

    private NatPmpCodec() {}

    /** §3.2: version 0, opcode 0. */
    public static byte[] externalAddressRequest() {
        return new byte[] {VERSION, OP_EXTERNAL_ADDRESS};
    }

    /**
     * §3.3: a mapping of {@code internalPort} for {@code lifetime}; a zero lifetime with a zero
     * suggested port deletes the mapping.
     */
    public static byte[] mapRequest(TransportProtocol protocol, int internalPort, int suggestedExternalPort, Duration lifetime) {
        return ByteBuffer.allocate(12).put((byte) VERSION).put((byte) protocol.natPmpOpcode).putShort((short) 0)
                .putShort((short) internalPort).putShort((short) suggestedExternalPort)
                .putInt((int) Math.min(lifetime.toSeconds(), 0xFFFF_FFFFL)).array();
    }

    /** §3.2: 12 bytes; the external IPv4 address is the last four. */
    public static Inet4Address decodeExternalAddress(byte[] reply) throws PortMappingDecodeException, NatPmpRefusedException {
        ByteBuffer b = header(reply, OP_EXTERNAL_ADDRESS, 12);
        b.getInt(); // seconds since the gateway's mapping table started (§3.6); not needed to map one port
        byte[] ip = new byte[4];
        b.get(ip);
        try {
            return (Inet4Address) InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new PortMappingDecodeException("NAT-PMP external address of 4 bytes did not parse", e);
        }
    }

    /** §3.3: 16 bytes, echoing our internal port; the mapped port may differ from the one suggested. */
    public static GrantedMapping decodeMap(byte[] reply, TransportProtocol protocol, int internalPort)
            throws PortMappingDecodeException, NatPmpRefusedException {
        ByteBuffer b = header(reply, protocol.natPmpOpcode, 16);
        b.getInt(); // seconds since start of epoch
        int echoedInternal = Short.toUnsignedInt(b.getShort());
        int external = Short.toUnsignedInt(b.getShort());
        long lifetimeSeconds = Integer.toUnsignedLong(b.getInt());
        if (echoedInternal != internalPort) {
            throw new PortMappingDecodeException("NAT-PMP reply is for internal port " + echoedInternal + ", we asked for " + internalPort);
        }
        if (lifetimeSeconds > 0 && external == 0) {
            throw new PortMappingDecodeException("NAT-PMP reply grants a lifetime but no external port");
        }
        return new GrantedMapping(protocol, internalPort, external, Duration.ofSeconds(lifetimeSeconds), null);
    }

    private static ByteBuffer header(byte[] reply, int requestOpcode, int length) throws PortMappingDecodeException, NatPmpRefusedException {
        if (reply.length < 4) {
            throw new PortMappingDecodeException("NAT-PMP reply of " + reply.length + " bytes is shorter than its 4-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(reply);
        int version = Byte.toUnsignedInt(b.get());
        int opcode = Byte.toUnsignedInt(b.get());
        int result = Short.toUnsignedInt(b.getShort());
        if (opcode != 128 + requestOpcode) {
            throw new PortMappingDecodeException("NAT-PMP reply has opcode " + opcode + ", expected " + (128 + requestOpcode));
        }
        if (result != 0) {
            // §3.5: an error reply may be shorter than a success; the result code is what counts.
            throw new NatPmpRefusedException(result);
        }
        if (version != VERSION) {
            throw new PortMappingDecodeException("NAT-PMP reply has version " + version + ", expected 0");
        }
        if (reply.length < length) {
            throw new PortMappingDecodeException("NAT-PMP reply of " + reply.length + " bytes is shorter than the " + length + " it needs");
        }
        return b;
    }
}
