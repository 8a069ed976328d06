package dev.magnetar.engine;

/**
 * What bounds the pieces a {@link PiecePicker} has in progress. The engine holds each of them whole
 * in memory until its last block arrives ({@link PieceAssembly}), so this is a bound on memory.
 * Called on the picker's thread.
 */
public interface InProgressLimit {

    /** No bound: the picker's default. */
    InProgressLimit NONE = inProgress -> true;

    /** Whether the picker may start one more piece while it has {@code inProgress} pieces under way. */
    boolean mayStartAnother(int inProgress);

    /** The picker's count of pieces in progress is now {@code inProgress}; also told once when the limit is set. */
    default void inProgressChanged(int inProgress) {}

    /** At most {@code pieces} at once. */
    static InProgressLimit atMost(int pieces) {
        if (pieces < 1) {
            throw new IllegalArgumentException("max pieces in progress must be >= 1");
        }
        return inProgress -> inProgress < pieces;
    }
}
