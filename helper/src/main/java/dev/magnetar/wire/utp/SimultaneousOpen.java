package dev.magnetar.wire.utp;

/**
 * Which of two crossing SYNs makes the connection when two ends dial each other at once, as BEP 55
 * hole punching has them do. Both ends see both SYNs (or will: the loser resends its own at once), and
 * each must pick the same one, so the rule looks only at what both SYNs carry: the SYN with the lower
 * connection id wins, the lower sequence number breaks a tie. The end whose SYN lost answers the
 * winner as if it had never dialled; the other keeps waiting for that answer. One connection, never two.
 */
final class SimultaneousOpen {

    private SimultaneousOpen() {}

    /**
     * @param theirId  the connection id in the peer's SYN
     * @param theirSeq the sequence number of the peer's SYN
     * @param ourId    the connection id in our SYN (our receive id)
     * @param ourSeq   the sequence number of our SYN
     * @return whether the peer's SYN wins, so we answer it instead of waiting for an answer to ours
     */
    static boolean theirSynWins(int theirId, int theirSeq, int ourId, int ourSeq) {
        int byId = Integer.compare(theirId & SequenceNumbers.MASK, ourId & SequenceNumbers.MASK);
        return byId != 0 ? byId < 0 : (theirSeq & SequenceNumbers.MASK) < (ourSeq & SequenceNumbers.MASK);
    }
}
