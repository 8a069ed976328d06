package dev.magnetar.engine;

import dev.magnetar.wire.PeerLink;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.RequestQueueSizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Our download pipeline to one peer: keeps {@link RequestQueueSizer#queueDepth} BEP 3 requests
 * outstanding with blocks the {@link PiecePicker} chooses, gives back those unanswered for too long,
 * cancels endgame duplicates, and tells a block we asked for from one we did not.
 *
 * <p>What is outstanding is recorded once, in the picker, with the time each request went out; this
 * class reads it there. It decides nothing about choking or interest: the connection calls
 * {@link #fill} only when the peer may be asked.
 *
 * <p>Not thread-safe: used on the connection's torrent loop only.
 *
 * @param <P> the connection, as the picker knows it
 */
final class BlockRequester<P> {

    private final P peer;
    private final PiecePicker<P> picker;
    private final RequestQueueSizer sizer;
    private final PeerLink link;
    private final LongSupplier nanoTime;
    private final UnrequestedBlocks unrequested = new UnrequestedBlocks();

    BlockRequester(P peer, PiecePicker<P> picker, RequestQueueSizer sizer, PeerLink link, LongSupplier nanoTime) {
        this.peer = peer;
        this.picker = picker;
        this.sizer = sizer;
        this.link = link;
        this.nanoTime = nanoTime;
    }

    /** How many blocks we asked this peer for that are still to come. */
    int outstanding() {
        return picker.outstandingCount(peer);
    }

    /**
     * Whether a quarter of the queue is used up: worth a pick. Refilling in batches, not per block,
     * spares the picker's piece lists 64 walks per MiB, and a deep queue loses nothing by waiting.
     */
    boolean hasRoom() {
        return outstanding() <= sizer.queueDepth() * 3 / 4;
    }

    /**
     * Tops the queue up to the sizer's depth and sends the new requests.
     *
     * @param allowedFast BEP 6 pieces the peer lets us request while it chokes us
     * @param peerChoking whether it chokes us: then only those are asked for
     */
    void fill(Set<Integer> allowedFast, boolean peerChoking) {
        int want = sizer.queueDepth() - outstanding();
        if (want <= 0) {
            return;
        }
        List<BlockRequest> picks = picker.pick(peer, want, allowedFast, peerChoking, nanoTime.getAsLong());
        if (picks.isEmpty()) {
            if (outstanding() == 0) {
                sizer.onIdle();
            }
            return;
        }
        List<PeerMessage.Request> batch = new ArrayList<>(picks.size());
        for (BlockRequest b : picks) {
            batch.add(new PeerMessage.Request(b.piece(), b.offset(), b.length()));
        }
        link.writeRequests(batch);
        link.flush();
        sizer.onRequesting();
    }

    /**
     * A block arrived; call before {@link #received}. Whether we asked this peer for it and this is its
     * first arrival — the only blocks a payer meters (protocol-spec/speed-extension.md §6.1, rule P3).
     */
    boolean wasRequested(BlockRequest block) {
        return unrequested.arrived(block, picker.isOutstanding(peer, block));
    }

    /** Whether the peer sent more unrequested or repeated blocks than rule P4 allows: cut it off. */
    boolean overAllowance() {
        return unrequested.overAllowance();
    }

    /** Unrequested or repeated blocks the peer sent so far. */
    int unrequestedBlocks() {
        return unrequested.unrequested();
    }

    /** Hands an arrived block to the picker: what it is to the torrent, and whose requests for it to cancel. */
    BlockArrival<P> received(BlockRequest block) {
        return picker.blockReceived(peer, block);
    }

    /**
     * The torrent has dealt with an arrived block: the sizer learns of it.
     *
     * @return whether the queue has room for a refill ({@link #hasRoom})
     */
    boolean blockHandled() {
        sizer.onBlockReceived();
        if (outstanding() == 0) {
            sizer.onIdle();
        }
        return hasRoom();
    }

    /** BEP 6 "reject request": the block goes back to the picker for any peer. */
    void rejected(BlockRequest block) {
        picker.requestRejected(peer, block);
        if (outstanding() == 0) {
            sizer.onIdle();
        }
    }

    /**
     * BEP 3: a choke drops every request we had queued at the peer. (Not for a BEP 6 peer, which
     * rejects each one it drops.) Blocks already on their way are still ours to take once.
     */
    void peerChoked() {
        picker.peerChoked(peer).forEach(unrequested::released);
        sizer.onIdle();
    }

    /**
     * Gives back requests that waited {@code timeoutNanos} or more, for the picker to offer elsewhere.
     *
     * @return whether any did
     */
    boolean expire(long nowNanos, long timeoutNanos) {
        List<BlockRequest> late = picker.requestsWaiting(peer, nowNanos, timeoutNanos);
        for (BlockRequest b : late) {
            picker.requestTimedOut(peer, b);
            unrequested.released(b);
        }
        return !late.isEmpty();
    }

    /**
     * A seek: cancels the queued requests outside {@code keep} ({@link PiecePicker#cancelOutside}), so that
     * the next {@link #fill} puts the pieces the reader now waits for first in this peer's queue.
     *
     * @param peerAnswersCancels whether the peer speaks BEP 6, and so answers each cancel
     */
    void cancelOutside(Set<Integer> keep, boolean peerAnswersCancels) {
        List<PeerMessage.Cancel> cancels = new ArrayList<>();
        for (BlockRequest b : picker.cancelOutside(peer, keep, peerAnswersCancels)) {
            cancels.add(release(b));
        }
        if (!cancels.isEmpty()) {
            link.writeCancels(cancels); // one buffer: a seek cancels the whole queue
        }
    }

    /**
     * BEP 3 "cancel" for a block the picker took back from this peer (it arrived from another in
     * endgame, or its piece is verified). It may still arrive once.
     */
    void cancel(BlockRequest block) {
        link.write(release(block));
    }

    /** The block is no longer asked of this peer: the "cancel" to tell it so. */
    private PeerMessage.Cancel release(BlockRequest block) {
        unrequested.released(block);
        return new PeerMessage.Cancel(block.piece(), block.offset(), block.length());
    }
}
