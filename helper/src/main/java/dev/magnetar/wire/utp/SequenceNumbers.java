package dev.magnetar.wire.utp;

/**
 * Arithmetic on uTP's 16-bit sequence numbers, which wrap (BEP 29): "a before b" means b lies less
 * than half the number space ahead of a.
 */
final class SequenceNumbers {

    static final int MASK = 0xFFFF;

    private SequenceNumbers() {}

    /** How many steps forward from {@code from} to {@code to}, in -32768..32767. */
    static int distance(int from, int to) {
        return (short) ((to - from) & MASK);
    }

    static boolean before(int a, int b) {
        return distance(a, b) > 0;
    }

    static int next(int seq) {
        return (seq + 1) & MASK;
    }

    static int plus(int seq, int n) {
        return (seq + n) & MASK;
    }
}
