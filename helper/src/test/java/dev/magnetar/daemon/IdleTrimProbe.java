package dev.magnetar.daemon;

/** Run in a child JVM by {@link NativeHeapTrimTest}: does what the idle shrinker does after its collection. */
public final class IdleTrimProbe {

    private IdleTrimProbe() {}

    public static void main(String[] args) {
        NativeHeapTrim.afterIdleCollection().run();
        System.out.println("trimmed");
    }
}
