package dev.magnetar.wire.utp;

/**
 * A datagram that is not a well-formed uTP packet (BEP 29): wrong version, unknown type, a truncated
 * header or extension. What to do next: drop the datagram — nothing else — since UDP lets anyone
 * send one with any source address.
 */
public final class UtpDecodeException extends Exception {

    public UtpDecodeException(String message) {
        super(message);
    }
}
