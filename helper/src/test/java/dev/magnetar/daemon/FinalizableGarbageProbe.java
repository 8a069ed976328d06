package dev.magnetar.daemon;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM with the helper's flags by {@link IdleCollectionTest}: a live set of {@link #LIVE_MIB} MiB in the
 * old generation and, beside it, {@link #HELD_MIB} MiB of garbage that an object with a finalizer holds (as Netty's
 * thread caches of ended threads hold theirs); prints the old generation's use and size after an idle collection.
 */
public final class FinalizableGarbageProbe {

    static final int LIVE_MIB = 24;
    static final int HELD_MIB = 24;

    private FinalizableGarbageProbe() {}

    /** Garbage with a finalizer, as {@code PoolThreadCache$FreeOnFinalize}: survives one collection with what it holds. */
    private static final class Held {
        private final List<byte[]> arrays = new ArrayList<>();

        Held() {
            for (int i = 0; i < HELD_MIB; i++) {
                arrays.add(new byte[1 << 20]);
            }
        }

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() {
            arrays.clear();
        }
    }

    public static void main(String[] args) {
        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < LIVE_MIB; i++) {
            live.add(new byte[1 << 20]);
        }
        new Held();
        IdleCollection.run();
        System.out.println("idle collection leaves " + oldGeneration() + " for " + live.size() + " MiB live");
    }

    private static String oldGeneration() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Tenured Gen")) {
                return pool.getUsage().getUsed() + " used of " + pool.getUsage().getCommitted() + " committed";
            }
        }
        throw new IllegalStateException("not the Serial collector's heap");
    }
}
