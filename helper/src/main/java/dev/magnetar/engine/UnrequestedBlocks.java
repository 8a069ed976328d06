package dev.magnetar.engine;

import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Tells a block we asked a peer for from one it sent on its own, for one connection.
 *
 * <p>BEP 3 lets a peer send only blocks that were requested; a block that arrives once more, or was
 * never asked for, is wasted upload at best and, for a payer of the speed extension, bytes it must never
 * pay for (protocol-spec/speed-extension.md, rule P3). A request we gave up on — cancelled in endgame,
 * timed out, or dropped by a choke — may still be on its way, since BEP 3 does not make a cancel or choke
 * synchronous; so such a block is remembered ({@link #released}) and still counts as asked for once.
 * Anything else is unrequested; past {@value #ALLOWANCE} of them the peer is cut off (rule P4).
 *
 * <p>Not thread-safe: used on the connection's torrent loop only.
 */
final class UnrequestedBlocks {

    /** Unrequested or repeated blocks a connection may send before it is disconnected (spec rule P4). */
    static final int ALLOWANCE = 16;

    /**
     * Released requests remembered as possibly in flight; beyond this the oldest are forgotten. A
     * peer has at most its request queue in flight, far below this.
     */
    static final int RELEASED_REMEMBERED = 1024;

    private final Set<BlockRequest> released = new LinkedHashSet<>();
    private int unrequested;

    /** We stopped waiting for {@code block} (cancel, timeout, choke): it may still arrive once. */
    void released(BlockRequest block) {
        if (released.add(block) && released.size() > RELEASED_REMEMBERED) {
            Iterator<BlockRequest> oldest = released.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * A block arrived.
     *
     * @param outstanding whether it was in the connection's outstanding requests (and is now removed from them)
     * @return whether it was asked for and this is its first arrival
     */
    boolean arrived(BlockRequest block, boolean outstanding) {
        if (outstanding || released.remove(block)) {
            return true;
        }
        unrequested++;
        return false;
    }

    /** Unrequested or repeated blocks this connection sent so far. */
    int unrequested() {
        return unrequested;
    }

    /** Whether the peer went past the allowance and must be disconnected. */
    boolean overAllowance() {
        return unrequested > ALLOWANCE;
    }
}
