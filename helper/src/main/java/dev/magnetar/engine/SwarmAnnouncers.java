package dev.magnetar.engine;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.tracker.Announcer;
import dev.magnetar.tracker.TrackerStatus;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A torrent's tracker announces, one {@link Announcer} per swarm it belongs to: one for a v1 or v2-only
 * torrent, two for a hybrid (BEP 52), which announces its SHA-1 and its truncated SHA-256 alike — as
 * libtorrent does, since a client that knows only one of them asks the tracker under that one. Both
 * report their peers with the hash they were found under, so the torrent dials each with it.
 *
 * <p>The first announcer (the torrent's own hash) is the one whose per-tracker statuses the UI shows;
 * the other swarm's rounds reach the same trackers and would only repeat them.
 */
final class SwarmAnnouncers {

    private final BiFunction<InfoHash, Consumer<List<InetSocketAddress>>, Announcer> announcerFor;
    private final BiConsumer<InfoHash, List<InetSocketAddress>> peersFound;
    private final List<Announcer> announcers = new CopyOnWriteArrayList<>();
    private final List<InfoHash> swarms = new CopyOnWriteArrayList<>();
    private volatile boolean completed;
    private volatile boolean stopped;

    /**
     * @param announcerFor makes the announcer of one swarm hash that reports its peers to the listener given
     * @param peersFound where the peers of every swarm go, with the hash they were found under
     */
    SwarmAnnouncers(BiFunction<InfoHash, Consumer<List<InetSocketAddress>>, Announcer> announcerFor, BiConsumer<InfoHash, List<InetSocketAddress>> peersFound) {
        this.announcerFor = announcerFor;
        this.peersFound = peersFound;
    }

    /** Starts announcing {@code swarm} (once; a hash already announced is ignored). */
    synchronized void announce(InfoHash swarm) {
        if (stopped || swarm == null || swarms.contains(swarm)) {
            return;
        }
        Announcer a = announcerFor.apply(swarm, found -> peersFound.accept(swarm, found));
        swarms.add(swarm);
        announcers.add(a);
        a.start();
        if (completed) {
            a.completed();
        }
    }

    /** BEP 3 {@code completed}, in every swarm. */
    void completed() {
        completed = true;
        announcers.forEach(Announcer::completed);
    }

    void needMorePeers() {
        announcers.forEach(Announcer::needMorePeers);
    }

    /** Our announced port changed: every swarm tells its trackers at once. */
    void portChanged() {
        announcers.forEach(Announcer::portChanged);
    }

    /** The first swarm's per-tracker statuses (the torrent's own hash). */
    List<TrackerStatus> statuses() {
        return announcers.isEmpty() ? List.of() : announcers.get(0).statuses();
    }

    /** Stops every swarm's announces; completes when each has sent its best-effort {@code stopped}. */
    synchronized CompletableFuture<Void> stop() {
        stopped = true;
        return CompletableFuture.allOf(announcers.stream().map(Announcer::stop).toArray(CompletableFuture[]::new));
    }
}
