package dev.magnetar.tracker;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A torrent's trackers in BEP 12 tiers: each tier shuffled once when the torrent is loaded, trackers
 * tried in order within a tier and tiers in order, and a tracker that answered moved to the front of
 * its tier so it is asked first next time.
 */
public final class TrackerTiers {

    private final List<List<URI>> tiers = new ArrayList<>();

    /** Empty tiers and repeated URLs are dropped; the order of the tiers is kept. */
    public TrackerTiers(List<List<URI>> announceList, Random random) {
        List<URI> seen = new ArrayList<>();
        for (List<URI> tier : announceList) {
            List<URI> copy = new ArrayList<>();
            for (URI tracker : tier) {
                if (!seen.contains(tracker)) {
                    seen.add(tracker);
                    copy.add(tracker);
                }
            }
            if (!copy.isEmpty()) {
                Collections.shuffle(copy, random);
                tiers.add(copy);
            }
        }
    }

    /** The current order, tier by tier. */
    public synchronized List<List<URI>> tiers() {
        return tiers.stream().map(List::copyOf).toList();
    }

    /** Every tracker in the order they would be tried. */
    public synchronized List<URI> inOrder() {
        return tiers.stream().flatMap(List::stream).toList();
    }

    /** BEP 12: a tracker that answered moves to the front of its tier. */
    public synchronized void markWorking(URI tracker) {
        for (List<URI> tier : tiers) {
            if (tier.remove(tracker)) {
                tier.add(0, tracker);
                return;
            }
        }
    }

    /**
     * Tries {@code attempt} on each tracker in order until one succeeds (which is then marked working).
     * If all fail, the future fails with the last tracker's {@link TrackerException}.
     */
    public <T> CompletableFuture<T> firstSuccess(Function<URI, CompletableFuture<T>> attempt) {
        List<URI> order = inOrder();
        if (order.isEmpty()) {
            return CompletableFuture.failedFuture(new TrackerException(null, "the torrent has no trackers"));
        }
        return tryFrom(order, 0, attempt);
    }

    private <T> CompletableFuture<T> tryFrom(List<URI> order, int index, Function<URI, CompletableFuture<T>> attempt) {
        URI tracker = order.get(index);
        CompletableFuture<T> one;
        try {
            one = attempt.apply(tracker);
        } catch (RuntimeException e) {
            one = CompletableFuture.failedFuture(e);
        }
        return one.handle((value, failure) -> {
            if (failure == null) {
                markWorking(tracker);
                return CompletableFuture.completedFuture(value);
            }
            if (index + 1 >= order.size()) {
                return CompletableFuture.<T>failedFuture(TrackerException.from(tracker, failure));
            }
            return tryFrom(order, index + 1, attempt);
        }).thenCompose(f -> f);
    }
}
