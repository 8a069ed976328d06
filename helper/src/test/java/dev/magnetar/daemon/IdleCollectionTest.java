package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ChildJvm;
import dev.magnetar.util.JvmFlags;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdleCollectionTest {

    @Test
    void anIdleCollectionShrinksTheHeapToTheIdleShareAndLeavesTheGrowingSharesInPlace() throws IOException, InterruptedException {
        String out = ChildJvm.outputOf(JvmFlags.HELPER, IdleCollectionProbe.class);
        Matcher plain = find(out, "plain collection leaves (\\d+) used of (\\d+) committed");
        Matcher idle = find(out, "idle collection leaves (\\d+) used of (\\d+) committed");
        double idleShare = JvmFlags.IDLE_MAX_HEAP_FREE_PERCENT / 100.0;
        // Serial sizes the old generation at a full collection: at most this share of it free afterwards (plus alignment).
        long bound = (long) (Long.parseLong(idle.group(1)) / (1 - idleShare)) + (1 << 20);
        assertTrue(Long.parseLong(idle.group(2)) <= bound, "the idle collection left more than the idle share free:\n" + out);
        assertTrue(Long.parseLong(plain.group(2)) > (long) (Long.parseLong(plain.group(1)) / (1 - idleShare)) + (1 << 20),
                "without it a collection keeps the growing share free (else this test shows nothing):\n" + out);
        assertTrue(out.contains("free shares afterwards " + JvmFlags.GROWING_MIN_HEAP_FREE_PERCENT + "/"
                + JvmFlags.GROWING_MAX_HEAP_FREE_PERCENT), "the next download must grow the heap in large steps again:\n" + out);
    }

    @Test
    void anIdleCollectionSizesTheHeapForTheLiveSetNotForGarbageWaitingForItsFinalizer() throws IOException, InterruptedException {
        String out = ChildJvm.outputOf(JvmFlags.HELPER, FinalizableGarbageProbe.class);
        Matcher idle = find(out, "idle collection leaves (\\d+) used of (\\d+) committed");
        long live = FinalizableGarbageProbe.LIVE_MIB << 20;
        long held = FinalizableGarbageProbe.HELD_MIB << 20;
        // Half of what the finalizable object held is more than any slack: the live set's arrays, the probe's own objects.
        assertTrue(Long.parseLong(idle.group(1)) < live + held / 2, "the finalizer's garbage outlived the idle collection:\n" + out);
        double idleShare = JvmFlags.IDLE_MAX_HEAP_FREE_PERCENT / 100.0;
        assertTrue(Long.parseLong(idle.group(2)) <= (long) ((live + held / 2) / (1 - idleShare)) + (1 << 20),
                "the old generation was sized for the finalizer's garbage:\n" + out);
    }

    private static Matcher find(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), regex + " not in:\n" + out);
        return m;
    }
}
