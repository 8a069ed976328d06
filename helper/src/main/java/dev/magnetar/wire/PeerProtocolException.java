package dev.magnetar.wire;

import io.netty.handler.codec.DecoderException;

/**
 * A peer broke the wire protocol (BEP 3/6/10). What to do next: close the connection — the wire
 * handlers already do — and let the engine count the violation against the peer's address (repeat
 * offenders are banned). Nothing the peer sends after a violation is decoded.
 *
 * <p>Unchecked on purpose: it extends Netty's {@link DecoderException} so that it travels through
 * {@code exceptionCaught} unwrapped (ByteToMessageDecoder wraps any other exception), and the
 * engine's handler can test for this type directly. Methods that throw it still declare it.
 */
public class PeerProtocolException extends DecoderException {

    /** What kind of rule was broken; lets the engine decide how harshly to treat the peer. */
    public enum Violation {
        /** Handshake with the wrong protocol string or length (BEP 3). */
        BAD_HANDSHAKE,
        /** The remote peer's handshake named an info-hash we do not serve or did not ask for. */
        UNKNOWN_INFO_HASH,
        /** A frame's length prefix is larger than {@link WireOptions#maxFrameLength()}. */
        FRAME_TOO_LONG,
        /** A message's length or fields do not fit its id (BEP 3, BEP 6, BEP 10). */
        MALFORMED_MESSAGE,
        /** A BEP 6 message on a connection where the fast extension was not negotiated (BEP 6: MUST close). */
        FAST_EXTENSION_NOT_NEGOTIATED,
        /** A BEP 10 extension handshake that is not a valid bencoded dictionary of the right shape. */
        BAD_EXTENSION_HANDSHAKE,
        /** An encrypted (MSE) handshake that breaks the spec: no sync, bad key, oversized pad, no method in common. */
        BAD_ENCRYPTED_HANDSHAKE
    }

    private final Violation violation;

    public PeerProtocolException(Violation violation, String message) {
        super(violation + ": " + message + " (closing the connection)");
        this.violation = violation;
    }

    public PeerProtocolException(Violation violation, String message, Throwable cause) {
        super(violation + ": " + message + " (closing the connection)", cause);
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }
}
