package dev.magnetar.wire;

import java.net.InetSocketAddress;
import java.util.OptionalInt;

/**
 * What the BEP 9/BEP 11 logic needs from one peer connection; the engine implements it (a few lines
 * over its connection object). One instance per connection, reused for every call about that
 * connection: the handlers key their per-peer state on it (identity, unless the engine overrides
 * equals/hashCode).
 *
 * <p>Calls come from the handlers on whatever thread called them; {@link #sendExtended} must not block
 * (a Netty {@code writeAndFlush} of a {@code PeerMessage.Extended} is the intended implementation). The
 * handlers never call it while holding their own locks.
 */
public interface ExtensionPeer {

    /** The remote end of the connection (for logs, and to recognise our own address in PEX). */
    InetSocketAddress address();

    /**
     * The id the peer wants {@code extension} sent under, from its latest BEP 10 handshake; empty if it
     * did not offer it or disabled it (id 0). {@code ExtensionHandshake.idOf} gives exactly this.
     */
    OptionalInt remoteId(String extension);

    /** Sends a BEP 10 extended message (wire id 20) with this extended id and payload. */
    void sendExtended(int remoteExtendedId, byte[] payload);

    /**
     * The peer broke a rule of an extension (malformed messages, metadata that failed the info-hash
     * check). The engine may count this towards a ban or close the connection; the handlers already
     * stop relying on the peer themselves.
     */
    default void misbehaved(String reason) {}

    /**
     * The peer was caught sending something false on purpose or by fault, not merely malformed: metadata
     * that proved not to hash to the info-hash when it alone sent it. Worse than {@link #misbehaved}: the
     * engine bans it, as it bans a peer whose blocks fail their piece hash.
     */
    default void lied(String reason) {
        misbehaved(reason);
    }
}
