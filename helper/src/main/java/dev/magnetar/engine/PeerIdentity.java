package dev.magnetar.engine;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who a peer is for bans and duplicate checks: the address and port it is connected from/to and
 * the peer id from its handshake. Banning by IP alone would be too coarse — several honest peers
 * share an address behind NAT, and every peer of a loopback test is 127.0.0.1 — so a ban names the
 * exact address and port, and the peer id, which catches the same client reconnecting from another
 * (ephemeral) port.
 */
public record PeerIdentity(InetSocketAddress address, String peerIdHex) {

    public PeerIdentity {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(peerIdHex, "peerIdHex");
    }

    public static PeerIdentity of(InetSocketAddress address, byte[] peerId) {
        return new PeerIdentity(address, HexFormat.of().formatHex(peerId));
    }

    /** "ip:port", "[v6]:port" for IPv6: the form the API shows peers in. */
    public String hostPort() {
        return Engine.hostPort(address);
    }
}
