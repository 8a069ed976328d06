package dev.magnetar.engine;

import java.util.Arrays;

/**
 * Two peers that dial each other at the same moment end up with two connections, one dialled each way,
 * and each side sees the second handshake carry a peer id it is already connected to. If each side kept
 * whichever connection it admitted first, they could keep different ones and refuse the other: zero
 * connections. Both sides must therefore settle it by a rule they compute alike from what both know.
 *
 * <p>The rule: the connection dialled by the peer with the lower peer id (unsigned, byte by byte)
 * survives. Both peer ids travel in both handshakes (BEP 3), so both ends reach the same answer, and
 * unlike addresses they look the same from both ends of a NAT. libtorrent settles the same case by
 * comparing listen ports (the lower port keeps its outgoing connection, a coin toss on a tie); we use peer
 * ids because two ids are never equal (equal ids are a connection to ourselves, refused before this).
 */
final class CrossedConnections {

    private CrossedConnections() {}

    /**
     * @return whether, of two connections to the peer with {@code theirPeerId} dialled in opposite
     *     directions, the one we dialled is the one to keep
     */
    static boolean keepOurOutgoing(byte[] ourPeerId, byte[] theirPeerId) {
        int order = Arrays.compareUnsigned(ourPeerId, theirPeerId);
        if (order == 0) {
            throw new IllegalArgumentException("the same peer id on both ends is a connection to ourselves");
        }
        return order < 0;
    }

    /** @return whether {@code newOutgoing}'s connection replaces an admitted one that runs the other way */
    static boolean keepNew(boolean newOutgoing, byte[] ourPeerId, byte[] theirPeerId) {
        return newOutgoing == keepOurOutgoing(ourPeerId, theirPeerId);
    }
}
