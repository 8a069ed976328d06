package dev.magnetar.engine;

/**
 * The one scale of file (and piece) priorities, shared by the API, the engine and the picker:
 * libtorrent's 0 (skip) to 7 (highest), 4 normal, so that clients that know it need no mapping.
 */
public final class FilePriority {

    public static final int SKIP = 0;
    public static final int NORMAL = 4;
    public static final int MAX = 7;

    private FilePriority() {}

    public static boolean isValid(int priority) {
        return priority >= SKIP && priority <= MAX;
    }

    /** What to tell a caller that sent {@code priority} outside the scale. */
    public static String outOfRange(Object priority) {
        return "priority must be " + SKIP + " (skip) to " + MAX + " (highest), " + NORMAL + " is normal; not "
                + priority;
    }
}
