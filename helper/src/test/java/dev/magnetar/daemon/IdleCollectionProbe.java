package dev.magnetar.daemon;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM with the helper's flags by {@link IdleCollectionTest}: a live set of 24 MiB and a download's
 * worth of garbage beside it, collected once plainly and once as {@link IdleCollection}; prints the old generation's
 * use and size after each and the free shares the JVM has afterwards.
 */
public final class IdleCollectionProbe {

    static final int LIVE_MIB = 24;

    private IdleCollectionProbe() {}

    public static void main(String[] args) {
        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < LIVE_MIB; i++) {
            live.add(new byte[1 << 20]);
        }
        makeGarbage();
        System.gc();
        System.out.println("plain collection leaves " + oldGeneration());
        makeGarbage();
        IdleCollection.run();
        System.out.println("idle collection leaves " + oldGeneration());
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        System.out.println("free shares afterwards " + vm.getVMOption("MinHeapFreeRatio").getValue() + "/"
                + vm.getVMOption("MaxHeapFreeRatio").getValue() + " for " + live.size() + " MiB live");
    }

    /** "U used of C committed" for Serial's old generation, where the free shares apply. */
    private static String oldGeneration() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Tenured Gen")) {
                return pool.getUsage().getUsed() + " used of " + pool.getUsage().getCommitted() + " committed";
            }
        }
        throw new IllegalStateException("not the Serial collector's heap");
    }

    /** 48 MiB that dies: the pieces of a finished download. */
    private static void makeGarbage() {
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            garbage.add(new byte[1 << 20]);
        }
        garbage.clear();
    }
}
