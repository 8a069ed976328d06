package dev.magnetar.util;

import java.util.List;

/**
 * The JVM flags Magnetar's own launchers start Java with. An executable jar's manifest cannot carry
 * JVM flags, so {@code java -jar magnetar.jar} gets the JVM's ergonomics, which size the heap from the
 * machine (a quarter of RAM, G1 with its bookkeeping): on a 24 GiB machine that let a 1 GiB download
 * reach 600 MiB–1 GiB resident for a live set of a few tens of MiB. The launchers we write — the
 * installer's scripts and the native host starting the daemon — pass these instead. Figures behind
 * each choice: bench/README.md.
 */
public final class JvmFlags {

    private JvmFlags() {}

    /**
     * The helper's heap cap. Its floor is the wallet: opening the keystore runs scrypt with a 128 MiB
     * work array (N = 2^17, r = 8; see {@code ScryptParams}), and that must fit beside the engine's
     * working set (piece buffers up to the pending-write bound, an eighth of the heap, plus peers and
     * the API; the idle daemon's live set is about 17 MiB).
     */
    public static final String HELPER_HEAP = "-Xmx256m";

    /**
     * The helper proper (daemon, and the {@code magnetar} command that downloads and runs the
     * wallet): {@link #HELPER_HEAP}; Serial GC, whose pauses on a heap this small are a few
     * milliseconds and which keeps no concurrent GC threads or remembered sets; heap given back to the
     * OS when it shrinks (after a wallet unlock, say); a direct-memory cap for Netty's pooled socket
     * buffers.
     */
    public static final List<String> HELPER = List.of(
            "-XX:+UseSerialGC", "-Xms16m", HELPER_HEAP, "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
            "-XX:MaxDirectMemorySize=64m");

    /**
     * The native messaging host: a relay between the browser's pipe and the daemon's HTTP API, a few
     * messages a second at most. C1 only (no C2 compiler threads warming up code that never gets hot),
     * a small heap.
     */
    public static final List<String> NATIVE_HOST = List.of(
            "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1");
}
