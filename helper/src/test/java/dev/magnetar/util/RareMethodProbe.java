package dev.magnetar.util;

/**
 * Run in a child JVM by {@link JvmFlagsTest}, with {@code -Xbatch} so that a compilation the JIT decides on is
 * finished before the call that triggered it returns: calls {@link #rarelyRun} as often as a task that runs once a
 * second runs in {@link #CALLS} seconds, so {@code -XX:+PrintCompilation} shows whether the JIT compiled (and
 * profiled) it.
 */
public final class RareMethodProbe {

    /** A once-a-second task's calls in a quarter of an hour. */
    static final int CALLS = 900;

    private RareMethodProbe() {}

    /** Not trivial (a call and a branch), so the JIT would compile it with profiling (tier 3), not as a leaf (tier 1). */
    static int rarelyRun(int i) {
        String s = Integer.toString(i);
        return s.length() > 2 ? s.hashCode() : i;
    }

    public static void main(String[] args) {
        int sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += rarelyRun(i);
        }
        System.out.println("done " + sum);
    }
}
