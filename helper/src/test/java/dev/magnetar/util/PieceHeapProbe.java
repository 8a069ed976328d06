package dev.magnetar.util;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link JvmFlagsTest}: allocates like the start of a download — 1 MiB piece arrays that
 * stay (a torrent's piece pool) with a block's worth of short-lived objects between them — and prints where the
 * first array went and how many collections of each kind the heap's growth took.
 */
public final class PieceHeapProbe {

    static final int PIECES = 40;

    private PieceHeapProbe() {}

    public static void main(String[] args) {
        long oldBefore = oldGenerationUsed();
        List<byte[]> pieces = new ArrayList<>();
        pieces.add(new byte[1 << 20]);
        System.out.println("old generation grew by " + (oldGenerationUsed() - oldBefore) + " bytes for the first piece");
        Object sink = null;
        for (int i = 1; i < PIECES; i++) {
            pieces.add(new byte[1 << 20]);
            for (int j = 0; j < 2000; j++) {
                sink = new byte[512]; // what a block's messages, buffers and records leave behind
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            System.out.println("collector " + gc.getName() + " " + gc.getCollectionCount());
        }
        System.out.println("kept " + pieces.size() + " pieces" + (sink == null ? "" : "."));
    }

    private static long oldGenerationUsed() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Tenured Gen")) {
                return pool.getUsage().getUsed();
            }
        }
        throw new IllegalStateException("not the Serial collector's heap");
    }
}
