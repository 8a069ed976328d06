package dev.magnetar.dht;

/**
 * An announce token (BEP 5): handed out in get_peers replies and required back in announce_peer, so
 * that only a host that really receives packets at an IP can announce that IP. Opaque to the holder.
 */
public final class Token extends OpaqueBytes {

    private Token(byte[] bytes) {
        super(bytes);
    }

    public static Token of(byte[] bytes) {
        return new Token(bytes.clone());
    }
}
