package dev.magnetar.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Blocks of one piece that follow each other, fetched from a web seed with one HTTP range per file
 * they cross (HTTP has no block requests: a run of blocks costs one round trip, not one per block).
 */
record WebSeedRun(int piece, int begin, int length, List<BlockRequest> blocks) {

    WebSeedRun {
        blocks = List.copyOf(blocks);
    }

    /** Groups picked blocks into runs: sorted by piece and offset, split where one does not follow the last. */
    static List<WebSeedRun> of(List<BlockRequest> picks) {
        List<BlockRequest> sorted = new ArrayList<>(picks);
        sorted.sort(Comparator.comparingInt(BlockRequest::piece).thenComparingInt(BlockRequest::offset));
        List<WebSeedRun> runs = new ArrayList<>();
        List<BlockRequest> current = new ArrayList<>();
        for (BlockRequest b : sorted) {
            if (!current.isEmpty()) {
                BlockRequest last = current.get(current.size() - 1);
                if (last.piece() != b.piece() || last.offset() + last.length() != b.offset()) {
                    runs.add(run(current));
                    current = new ArrayList<>();
                }
            }
            current.add(b);
        }
        if (!current.isEmpty()) {
            runs.add(run(current));
        }
        return runs;
    }

    private static WebSeedRun run(List<BlockRequest> blocks) {
        BlockRequest first = blocks.get(0);
        BlockRequest last = blocks.get(blocks.size() - 1);
        return new WebSeedRun(first.piece(), first.offset(), last.offset() + last.length() - first.offset(), blocks);
    }
}
