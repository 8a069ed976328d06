package dev.magnetar.engine;

import dev.magnetar.storage.Bitfield;
import dev.magnetar.wire.PeerMessage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What one peer says it has: BEP 3 bitfield and have, BEP 6 have-all and have-none. Before a magnet
 * link's metadata the piece count is unknown, so those messages cannot be read yet; they are kept as
 * they came, up to {@link #MAX_KEPT}, and handed back for replay once the count is known.
 *
 * <p>It records; it does not judge. Whether a have names a real piece, and what the picker hears, is
 * the connection's business.
 *
 * <p>Not thread-safe: used on the connection's torrent loop only.
 */
final class PeerAvailability {

    /** Availability messages kept before the metadata arrives; a flood beyond this is abuse. */
    static final int MAX_KEPT = 100_000;

    private final List<PeerMessage> early = new ArrayList<>();
    /** What the peer has; null while the piece count is unknown. */
    private BitSet pieces;
    private int pieceCount;
    private boolean seed;

    /** Whether the piece count is known, so messages can be applied rather than kept. */
    boolean isKnown() {
        return pieces != null;
    }

    /**
     * Keeps a message that came before the metadata.
     *
     * @return false if {@link #MAX_KEPT} are kept already: the message is dropped and the peer abusive
     */
    boolean keep(PeerMessage m) {
        if (early.size() >= MAX_KEPT) {
            return false;
        }
        early.add(m);
        return true;
    }

    /**
     * The metadata is there: availability is tracked for {@code count} pieces from now on, starting
     * from nothing.
     *
     * @return the messages kept until now, in the order they came, for the caller to apply
     */
    List<PeerMessage> start(int count) {
        pieceCount = count;
        pieces = new BitSet(count);
        List<PeerMessage> replay = List.copyOf(early);
        early.clear();
        return replay;
    }

    void bitfield(Bitfield bits) {
        pieces.clear();
        for (int i = bits.nextSet(0); i >= 0; i = bits.nextSet(i + 1)) {
            pieces.set(i);
        }
        seed = bits.isComplete();
    }

    void haveAll() {
        seed = true;
        pieces.set(0, pieceCount);
    }

    void haveNone() {
        pieces.clear();
        seed = false;
    }

    /**
     * A have for a piece below the piece count.
     *
     * @return whether it is news: the peer did not have the piece before
     */
    boolean have(int piece) {
        if (pieces.get(piece)) {
            return false;
        }
        pieces.set(piece);
        if (pieces.cardinality() == pieceCount) {
            seed = true;
        }
        return true;
    }

    /** Whether the peer has said it has {@code piece}; false while the piece count is unknown. */
    boolean has(int piece) {
        return pieces != null && pieces.get(piece);
    }

    boolean isSeed() {
        return seed;
    }

    /** The share of the pieces the peer has, 0 to 1; 0 while the piece count is unknown (unless it is a seed). */
    double progress() {
        if (seed) {
            return 1;
        }
        return pieces == null || pieceCount == 0 ? 0 : (double) pieces.cardinality() / pieceCount;
    }
}
