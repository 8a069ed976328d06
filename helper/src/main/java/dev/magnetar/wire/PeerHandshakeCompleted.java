package dev.magnetar.wire;

/**
 * User event fired down the pipeline once both handshakes are exchanged, before the first peer
 * message is passed on. The engine's handler learns here which torrent and peer the connection is
 * about and which extensions are in use.
 *
 * @param local the handshake we sent
 * @param remote the handshake the peer sent
 * @param outgoing true if we opened the connection
 */
public record PeerHandshakeCompleted(Handshake local, Handshake remote, boolean outgoing) {

    /** BEP 6: "The extension is enabled only if both ends of the connection set this bit." */
    public boolean fastExtension() {
        return local.supportsFast() && remote.supportsFast();
    }

    /** BEP 10: the extension protocol is usable when both sides set its bit. */
    public boolean extensionProtocol() {
        return local.supportsExtensions() && remote.supportsExtensions();
    }

    /** BEP 5: both sides run a DHT node, so Port messages are meaningful. */
    public boolean dht() {
        return local.supportsDht() && remote.supportsDht();
    }

    /**
     * BEP 52: hash messages may be exchanged, because this is a v2 swarm's connection on our side (we
     * set the v2 bit for those). The peer's bit is not required: libtorrent 2.0 sets it only on a
     * hybrid's v1-hash connections (an offer to upgrade), never on a connection made with the v2
     * info-hash, where the hash itself says v2.
     */
    public boolean v2() {
        return local.supportsV2();
    }
}
