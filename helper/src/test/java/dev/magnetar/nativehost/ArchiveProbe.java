package dev.magnetar.nativehost;

/** The main class of {@link DaemonClassArchiveTest}'s jar: a JVM that starts, loads this and exits. */
public final class ArchiveProbe {

    private ArchiveProbe() {}

    public static void main(String[] args) {
        System.out.println("probe ran");
    }
}
