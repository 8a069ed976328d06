package dev.magnetar.engine;

import dev.magnetar.wire.HashRange;
import dev.magnetar.wire.PeerMessage;

/**
 * A torrent's side of the BEP 52 hash messages, as its connections' {@link HashExchange}s use it:
 * what it answers to a peer's hash request and what it makes of the hashes a peer sent back. Every
 * method runs on the torrent's loop.
 */
interface MerkleHashes {

    /** Hashes of no tree: every request rejected (a v1 torrent, or one whose layers are not known yet). */
    MerkleHashes NONE = new MerkleHashes() {
        @Override
        public byte[] answer(HashRange range) {
            return null;
        }

        @Override
        public boolean accept(PeerConnection from, PeerMessage.Hashes hashes) {
            return false;
        }

        @Override
        public void rejected(PeerConnection by, HashRange range) {}

        @Override
        public int requestAllowance() {
            return 0;
        }
    };

    /**
     * The payload of a {@code hashes} message answering {@code range} (its {@link HashRange#hashesInReply()}
     * hashes, concatenated), or null to send a hash reject: a root that is none of our files', a range
     * outside the file's tree, or hashes we do not hold.
     */
    byte[] answer(HashRange range);

    /**
     * Hashes that answer a request of ours: false when they do not hash up to the file's pieces root —
     * the peer lied, and is banned by the caller.
     */
    boolean accept(PeerConnection from, PeerMessage.Hashes hashes);

    /** The peer will not answer our request for {@code range}: ask someone else. */
    void rejected(PeerConnection by, HashRange range);

    /**
     * How many hash requests one connection may send over its life beyond {@link HashExchange#BASE_ALLOWANCE}:
     * enough to fetch every piece layer twice (BEP 52 clients fetch them once per torrent).
     */
    int requestAllowance();
}
