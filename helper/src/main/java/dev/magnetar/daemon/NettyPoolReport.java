package dev.magnetar.daemon;

import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PoolChunkListMetric;
import io.netty.buffer.PoolChunkMetric;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.util.List;

/**
 * One line on what the engine's pooled direct memory holds, for the log at each idle collection: NMT counts it
 * under "Other" and cannot say why it is there. Netty keeps a chunk for good in each arena's first list (the
 * chunks that never got a quarter full, {@code qInit}) and frees the others only once nothing in them is
 * allocated, thread caches included; so an idle daemon's figure is arenas × chunks kept, and what pins the rest.
 * Per arena: the thread caches bound to it, then each non-empty chunk list (by its usage bounds) with its chunks'
 * usage in percent.
 */
final class NettyPoolReport {

    private NettyPoolReport() {}

    static String describe(PooledByteBufAllocatorMetric metric) {
        List<PoolArenaMetric> arenas = metric.directArenas();
        long chunks = 0;
        long activeBytes = 0;
        StringBuilder perArena = new StringBuilder();
        for (int i = 0; i < arenas.size(); i++) {
            PoolArenaMetric arena = arenas.get(i);
            perArena.append(" | arena ").append(i).append(": ").append(arena.numThreadCaches()).append(" thread caches");
            for (PoolChunkListMetric list : arena.chunkLists()) {
                StringBuilder usages = new StringBuilder();
                for (PoolChunkMetric chunk : list) {
                    usages.append(usages.length() == 0 ? "" : " ").append(chunk.usage()).append('%');
                    chunks++;
                    activeBytes += chunk.chunkSize() - chunk.freeBytes();
                }
                if (usages.length() > 0) {
                    perArena.append(", ").append(listName(list)).append(" [").append(usages).append(']');
                }
            }
        }
        return String.format("engine's pooled direct memory: %.1f MiB in %d chunks of %d KiB, %d KiB taken (thread caches"
                        + " and small-buffer pages included), %d arenas, %d thread caches%s",
                metric.usedDirectMemory() / (1024.0 * 1024), chunks, metric.chunkSize() >> 10, activeBytes >> 10,
                arenas.size(), metric.numThreadLocalCaches(), perArena);
    }

    /** Netty names its lists by usage bounds only: the first ({@code qInit}) reads "1-25%", the next "1-50%". */
    private static String listName(PoolChunkListMetric list) {
        return list.minUsage() + "-" + list.maxUsage() + "%";
    }
}
