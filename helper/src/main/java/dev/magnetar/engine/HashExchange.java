package dev.magnetar.engine;

import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The BEP 52 hash messages of one connection, both ways: the peer's hash requests are answered from
 * {@link MerkleHashes} (with a hash reject where we cannot), and the hashes or rejects the peer sends
 * are matched to the requests we sent. Decides only; the connection does the sending and dropping.
 *
 * <p>Rules, as libtorrent applies them: hash messages only on a v2 swarm's connections; a
 * {@code hashes} message that answers nothing we asked is a violation (nothing of it is used); hashes
 * that do not reach the file's root are a lie. Answering a request costs up to 16 KiB for 48 bytes, so
 * a connection's requests are counted, and one that asks for far more than the torrent's piece layers
 * is a flood and is dropped.
 */
final class HashExchange {

    /** Requests any v2 connection may send, whatever the torrent (leaf hashes after failed pieces, retries). */
    static final int BASE_ALLOWANCE = 64;
    /** Our own requests in flight on one connection; libtorrent keeps at most two. */
    static final int MAX_OUTSTANDING = 2;
    /**
     * With the leaf requests of time-critical pieces ({@link LeafVerifiedBlocks}): one per tracked piece, and as
     * many again for pieces no longer tracked whose answer is still to come. A seek's leaf request must not wait
     * behind those: libtorrent answers a hash request the moment it reads it, into its send buffer, so a leaf
     * request sent after the piece's block requests is answered behind the blocks it has read by then
     * (bench/stream, WebM seek: the old position's two leaf requests held the new piece's back 190 ms, until
     * the seeder's next quota tick, and its answer came behind 32 of the piece's blocks). libtorrent bounds
     * nothing of a peer's hash requests but their size; ours {@link #onRequest counts them}.
     */
    static final int MAX_OUTSTANDING_WITH_LEAVES = MAX_OUTSTANDING + 2 * LeafVerifiedBlocks.MAX_PIECES;
    /** BEP 52: a request should not ask for more than 512 hashes; we answer no larger one. */
    static final int MAX_SERVED_LENGTH = 512;

    /** What the connection does about a message. */
    sealed interface Outcome {
        /** Send this. */
        record Reply(PeerMessage message) implements Outcome {}

        /** Close the connection; {@code lied}: ban the peer too. */
        record Drop(String why, boolean lied) implements Outcome {}

        /** Nothing to do. */
        record Nothing() implements Outcome {}
    }

    private static final Outcome NOTHING = new Outcome.Nothing();

    private final MerkleHashes hashes;
    private final boolean negotiated;
    private final List<HashRange> outstanding = new ArrayList<>(MAX_OUTSTANDING);
    private int requestsReceived;

    /**
     * @param negotiated whether hash messages belong on this connection ({@code PeerHandshakeCompleted.v2()})
     */
    HashExchange(MerkleHashes hashes, boolean negotiated) {
        this.hashes = hashes;
        this.negotiated = negotiated;
    }

    /** A hash request, hashes or hash reject from the peer. */
    Outcome receive(PeerConnection from, PeerMessage m) {
        if (!negotiated) {
            // libtorrent too: hash messages from a peer that did not set the v2 bit end the connection.
            return new Outcome.Drop("BEP 52 hash message (id " + m.id() + ") outside a v2 swarm", false);
        }
        if (m instanceof PeerMessage.HashRequest r) {
            return onRequest(r.range());
        }
        if (m instanceof PeerMessage.Hashes h) {
            return onHashes(from, h);
        }
        if (m instanceof PeerMessage.HashReject r) {
            if (outstanding.remove(r.range())) {
                hashes.rejected(from, r.range());
            }
            return NOTHING; // a reject of something we never asked harms nothing
        }
        throw new IllegalArgumentException("not a BEP 52 hash message: " + m);
    }

    private Outcome onRequest(HashRange range) {
        requestsReceived++;
        int allowance = BASE_ALLOWANCE + hashes.requestAllowance();
        if (requestsReceived > allowance) {
            return new Outcome.Drop("sent " + requestsReceived + " hash requests, more than the " + allowance
                    + " this torrent's piece layers could need: a flood", false);
        }
        byte[] answer = range.length() > MAX_SERVED_LENGTH ? null : hashes.answer(range);
        if (answer == null) {
            return new Outcome.Reply(new PeerMessage.HashReject(range));
        }
        return new Outcome.Reply(new PeerMessage.Hashes(range, answer));
    }

    private Outcome onHashes(PeerConnection from, PeerMessage.Hashes h) {
        if (!outstanding.remove(h.range())) {
            return new Outcome.Drop("sent hashes for " + h.range() + ", which we did not ask for", false);
        }
        if (!hashes.accept(from, h)) {
            return new Outcome.Drop("sent hashes for " + h.range() + " that do not hash up to the file's pieces root", true);
        }
        return NOTHING;
    }

    /** Whether another request of ours may go out on this connection now. */
    boolean canRequest() {
        return negotiated && outstanding.size() < MAX_OUTSTANDING;
    }

    /** Whether a request for a time-critical piece's leaves may go out now ({@link #MAX_OUTSTANDING_WITH_LEAVES}). */
    boolean canRequestLeaves() {
        return negotiated && outstanding.size() < MAX_OUTSTANDING_WITH_LEAVES;
    }

    /** Whether we are waiting for the peer's answer to a request for {@code range}. */
    boolean isWaitingFor(HashRange range) {
        return outstanding.contains(range);
    }

    /** Records a request of ours; the caller sends it. */
    PeerMessage.HashRequest request(HashRange range) {
        if (!canRequestLeaves()) {
            throw new IllegalStateException("no room for another hash request on this connection");
        }
        outstanding.add(range);
        return new PeerMessage.HashRequest(range);
    }

    /** Our requests still unanswered (the connection is closing: someone else must answer them). */
    List<HashRange> unanswered() {
        return List.copyOf(outstanding);
    }
}
