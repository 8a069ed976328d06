package dev.magnetar.engine;

/**
 * One block of a piece as BEP 3 "request", "piece" and "cancel" messages name it: piece index, byte
 * offset inside the piece, length.
 */
public record BlockRequest(int piece, int offset, int length) {

    public BlockRequest {
        if (piece < 0 || offset < 0 || length <= 0) {
            throw new IllegalArgumentException(
                    "block needs piece >= 0, offset >= 0, length > 0; got " + piece + "/" + offset + "/" + length);
        }
    }

    // Written out rather than the record's generated equals/hashCode: blocks are hash keys on the
    // per-block hot path (outstanding requests, picker bookkeeping), and the generated ones go through
    // an invokedynamic bootstrap that costs JIT time and is slower until fully compiled.
    @Override
    public boolean equals(Object o) {
        return o instanceof BlockRequest b && piece == b.piece && offset == b.offset && length == b.length;
    }

    @Override
    public int hashCode() {
        return (piece * 31 + offset) * 31 + length;
    }

    @Override
    public String toString() {
        return "block " + piece + "+" + offset + "/" + length;
    }
}
