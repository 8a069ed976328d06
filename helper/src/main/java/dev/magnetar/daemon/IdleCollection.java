package dev.magnetar.daemon;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.magnetar.util.JvmFlags;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full collection an idle daemon asks for ({@link IdleHeapShrinker}), with the heap sized for idling
 * after it: the helper's flags let the heap grow in large steps while it works
 * ({@link JvmFlags#GROWING_MIN_HEAP_FREE_PERCENT}), which would also leave up to that much free heap
 * committed after this collection. {@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio} are manageable
 * flags that Serial reads at each full collection, so they are set to the idle shares
 * ({@link JvmFlags#IDLE_MAX_HEAP_FREE_PERCENT}) for this one and put back afterwards. A JVM that refuses
 * (no {@code jdk.management} module, values out of order with flags the user gave) still collects.
 *
 * <p>The first call loads the platform MXBean machinery: ~280 classes, 65 of them outside the JDK's default
 * class archive, ~0.4 MB of metaspace (a probe with {@code -Xlog:class+load} and {@code jcmd VM.metaspace}),
 * once per daemon and only after its first busy spell.
 */
final class IdleCollection {

    private static final Logger LOG = LoggerFactory.getLogger(IdleCollection.class);
    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";

    private IdleCollection() {}

    /**
     * A collection, the finalizers it found due, and a second collection. An object with a finalizer survives the
     * collection that finds it garbage, with everything it reaches, until its finalizer has run: Netty's thread
     * caches ({@code PoolThreadCache$FreeOnFinalize}, one for each of the daemon's pool threads that allocated a
     * buffer, disk threads included, which end when idle) and its timers and arenas. Serial sizes the heap from what
     * survived, so one collection sized the idle heap for that garbage too (and the young generation, half the old,
     * with it) until the next idle collection, five minutes or more later. The extra collections cost tens of
     * milliseconds at most once per idle spell.
     */
    private static void collectForTheLiveSet() {
        System.gc();
        awaitFinalizersOfThatCollection();
        System.gc();
    }

    /** How long an idle collection waits for the finalizer thread before it sizes the heap anyway. */
    static final long FINALIZER_PATIENCE_SECONDS = 10;

    /**
     * {@code System.runFinalization()} alone does not mean the finalizers are done: it runs those the Reference
     * Handler thread has already queued, and returns while the Finalizer thread may still be running one it took.
     * On a loaded machine either left the garbage for the second collection to keep (session 19: 7 of 40 probes
     * beside {@code stress-ng --cpu 4}, {@code IdleCollectionTest}). So, after it, a marker with a finalizer of its
     * own is made garbage and collected, and this waits for its finalizer: the Finalizer thread runs finalizers one
     * after another, so once the marker's has run, the one it was running is done, and what the first collection
     * queued was queued long before the marker was found.
     */
    private static void awaitFinalizersOfThatCollection() {
        System.runFinalization();
        CountDownLatch finalized = new CountDownLatch(1);
        FinalizationMarker.dropOne(finalized);
        System.gc();
        try {
            if (!finalized.await(FINALIZER_PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                LOG.debug("the finalizer thread did not get to the idle collection's marker within {} s", FINALIZER_PATIENCE_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.runFinalization(); // anything the marker's collection found besides it
    }

    /** Garbage whose finalizer says when the Finalizer thread reached it. */
    private static final class FinalizationMarker {
        private final CountDownLatch finalized;

        private FinalizationMarker(CountDownLatch finalized) {
            this.finalized = finalized;
        }

        static void dropOne(CountDownLatch finalized) {
            new FinalizationMarker(finalized);
        }

        @Override
        @SuppressWarnings({"deprecation", "removal"}) // JDK 17's finalization is what the marker observes; see above
        protected void finalize() {
            finalized.countDown();
        }
    }

    static void run() {
        HotSpotDiagnosticMXBean vm;
        String min;
        String max;
        try {
            vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            min = vm.getVMOption(MIN_FREE).getValue();
            max = vm.getVMOption(MAX_FREE).getValue();
        } catch (RuntimeException e) {
            LOG.debug("this JVM's heap shares cannot be read: {}", e.toString());
            collectForTheLiveSet();
            return;
        }
        try {
            // Lowered minimum first and raised maximum first on the way back: the JVM refuses a minimum above the maximum.
            vm.setVMOption(MIN_FREE, String.valueOf(JvmFlags.IDLE_MIN_HEAP_FREE_PERCENT));
            vm.setVMOption(MAX_FREE, String.valueOf(JvmFlags.IDLE_MAX_HEAP_FREE_PERCENT));
        } catch (RuntimeException e) {
            LOG.debug("this JVM's heap shares cannot be set: {}", e.toString());
        }
        try {
            collectForTheLiveSet();
        } finally {
            try {
                vm.setVMOption(MAX_FREE, max);
                vm.setVMOption(MIN_FREE, min);
            } catch (RuntimeException e) {
                LOG.warn("the heap's free shares could not be put back to {}/{} %: {}", min, max, e.toString());
            }
        }
    }
}
