package dev.magnetar.tracker;

import dev.magnetar.util.TaskScheduler;
import dev.magnetar.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one torrent announced over its {@link TrackerTiers}: {@code started} first (repeated until a
 * tracker accepts it), then a regular announce every {@code interval} the tracker asked for,
 * {@code completed} once when the download finishes, and a best-effort {@code stopped} with a short
 * timeout on stop (BEP 3). A failed round is retried after a backoff that doubles. The waits, their
 * floors and their jitter are the {@link AnnounceSchedule}'s. New peers go to the listener.
 */
public final class Announcer {

    private static final Logger log = LoggerFactory.getLogger(Announcer.class);

    /** Who we are in announces. {@code numWant} negative lets the tracker choose. */
    /** @param ipv6 our IPv6 address for BEP 7's {@code ipv6=}, or null */
    public record Identity(InfoHash infoHash, byte[] peerId, int port, String key, int numWant, java.net.Inet6Address ipv6) {
        public Identity {
            Objects.requireNonNull(infoHash);
            peerId = peerId.clone();
        }

        public Identity(InfoHash infoHash, byte[] peerId, int port, String key, int numWant) {
            this(infoHash, peerId, port, key, numWant, null);
        }
    }

    private final Identity identity;
    private volatile java.util.function.IntSupplier port;
    private final TrackerTiers tiers;
    private final TrackerClient client;
    private final StatsSupplier stats;
    private final Consumer<List<InetSocketAddress>> peerListener;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final AnnounceSchedule schedule;
    private final Duration stopTimeout;

    // Guarded by this.
    private final Map<URI, TrackerStatus> statuses = new LinkedHashMap<>();
    private boolean running;
    private boolean stopped;
    private boolean startAcknowledged;
    private boolean completedPending;
    /** Our port changed while a round was in flight: that round may have carried the old one. */
    private boolean portChangePending;
    /** completed() was called; BEP 3 "completed" is sent once per download, never again. */
    private boolean completionSeen;
    private boolean inFlight;
    private int failures;
    /** When an early announce (for more peers) may go out; null until a tracker answered. */
    private Instant earlyAllowedAt;
    private Instant nextAnnounce;
    private TaskScheduler.Cancellable next;

    public Announcer(Identity identity, TrackerTiers tiers, TrackerClient client, StatsSupplier stats,
            Consumer<List<InetSocketAddress>> peerListener, TaskScheduler scheduler, Clock clock, AnnounceSchedule schedule,
            Duration stopTimeout) {
        this.identity = identity;
        this.tiers = tiers;
        this.client = client;
        this.stats = stats;
        this.peerListener = peerListener;
        this.scheduler = scheduler;
        this.clock = clock;
        this.schedule = schedule;
        this.stopTimeout = stopTimeout;
        tiers.inOrder().forEach(u -> statuses.put(u, TrackerStatus.fresh(u)));
    }

    /** Sends {@code started} now (and keeps retrying it with backoff until a tracker accepts it). */
    public synchronized void start() {
        if (running || stopped) {
            return;
        }
        running = true;
        announceAfter(Duration.ZERO);
    }

    /**
     * The download finished: {@code completed} goes out now — it is a one-off event, not a regular
     * announce, so the min interval does not hold it back — or right after {@code started} if that
     * has not been accepted yet.
     */
    public synchronized void completed() {
        if (stopped || completionSeen) {
            return;
        }
        completionSeen = true;
        completedPending = true;
        if (running && startAcknowledged && !inFlight) {
            announceAfter(Duration.ZERO);
        }
    }

    /**
     * The engine wants more peers: announce as soon as the schedule allows an early announce after the last
     * answer ({@link AnnounceSchedule}), unless a round is already underway or due sooner.
     */
    public synchronized void needMorePeers() {
        if (!running || stopped || inFlight || !startAcknowledged) {
            return;
        }
        Instant allowed = earlyAllowedAt == null ? clock.instant() : earlyAllowedAt;
        Duration wait = Duration.between(clock.instant(), allowed);
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        if (nextAnnounce == null || clock.instant().plus(wait).isBefore(nextAnnounce)) {
            announceAfter(wait);
        }
    }

    /**
     * The port we announce changed (a router mapped ours to another, or dropped the mapping): peers outside
     * can reach us only at the new one, and the tracker hands out what it last heard, so a regular announce
     * goes out now — or right after the round in flight, which may carry the old port. Between the retries
     * of an unanswered {@code started}, nothing to do: the next one reads the port of its moment.
     */
    public synchronized void portChanged() {
        if (!running || stopped) {
            return;
        }
        if (inFlight) {
            portChangePending = true;
        } else if (startAcknowledged) {
            announceAfter(Duration.ZERO);
        }
    }

    /**
     * Stops announcing; if a tracker knows us, tells it {@code stopped}, once, without retries. The
     * future completes when that announce finished or after the stop timeout, whichever is first; it
     * never fails.
     */
    public CompletableFuture<Void> stop() {
        boolean tellTracker;
        synchronized (this) {
            if (stopped) {
                return CompletableFuture.completedFuture(null);
            }
            stopped = true;
            running = false;
            cancelNext();
            tellTracker = startAcknowledged;
        }
        if (!tellTracker) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        TaskScheduler.Cancellable timeout = scheduler.schedule(() -> done.complete(null), stopTimeout);
        AnnounceRequest request = request(AnnounceEvent.STOPPED);
        tiers.firstSuccess(tracker -> attempt(tracker, request)).whenComplete((r, failure) -> {
            if (failure != null) {
                log.debug("stopped announce for {} failed: {}", identity.infoHash(), failure.getMessage());
            }
            timeout.cancel();
            done.complete(null);
        });
        return done;
    }

    /** Per-tracker status in tier order, for the UI. */
    public synchronized List<TrackerStatus> statuses() {
        return new ArrayList<>(statuses.values());
    }

    /** When the next announce round is due, or null if none is scheduled. */
    public synchronized Instant nextAnnounce() {
        return nextAnnounce;
    }

    private void announceAfter(Duration delay) {
        cancelNext();
        nextAnnounce = clock.instant().plus(delay);
        statuses.replaceAll((u, s) -> s.next(nextAnnounce));
        next = scheduler.schedule(this::announceRound, delay);
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel();
            next = null;
        }
        nextAnnounce = null;
    }

    private void announceRound() {
        AnnounceEvent event;
        synchronized (this) {
            if (!running || stopped || inFlight) {
                return;
            }
            next = null;
            nextAnnounce = null;
            inFlight = true;
            portChangePending = false; // this round's request reads the port as it is now
            event = !startAcknowledged ? AnnounceEvent.STARTED
                    : completedPending ? AnnounceEvent.COMPLETED : AnnounceEvent.NONE;
        }
        AnnounceRequest request = request(event);
        tiers.firstSuccess(tracker -> attempt(tracker, request))
                .whenComplete((response, failure) -> roundFinished(event, response, failure));
    }

    private CompletableFuture<AnnounceResponse> attempt(URI tracker, AnnounceRequest request) {
        synchronized (this) {
            statuses.computeIfPresent(tracker, (u, s) -> s.asked(clock.instant()));
        }
        return client.announce(tracker, request).whenComplete((r, failure) -> {
            synchronized (this) {
                if (failure == null) {
                    statuses.computeIfPresent(tracker, (u, s) -> s.answered(r));
                } else {
                    statuses.computeIfPresent(tracker, (u, s) -> s.failed(TrackerException.from(tracker, failure).getMessage()));
                }
            }
        });
    }

    private void roundFinished(AnnounceEvent event, AnnounceResponse response, Throwable failure) {
        List<InetSocketAddress> peers = List.of();
        synchronized (this) {
            inFlight = false;
            if (failure != null) {
                failures++;
                Duration delay = schedule.retry(failures);
                if (failures == 1 || log.isDebugEnabled()) {
                    // Once per streak: a dead tracker of a thousand idle torrents would otherwise write a line
                    // for each of them at every retry, for as long as the helper runs. The torrent's tracker
                    // status keeps the latest error for whoever looks.
                    String line = "announce ({}) of {} failed on every tracker, retrying in {}{}: {}";
                    Object[] args = {event, identity.infoHash(), delay, failures == 1 ? " (later failures of this streak are logged at debug)" : "",
                            TrackerException.from(null, failure).getMessage()};
                    if (failures == 1) {
                        log.info(line, args);
                    } else {
                        log.debug(line, args);
                    }
                }
                if (running && !stopped) {
                    announceAfter(delay);
                }
                return;
            }
            failures = 0;
            earlyAllowedAt = clock.instant().plus(schedule.early(response));
            if (event == AnnounceEvent.STARTED) {
                startAcknowledged = true;
            } else if (event == AnnounceEvent.COMPLETED) {
                completedPending = false;
            }
            if (running && !stopped) {
                announceAfter(completedPending || portChangePending ? Duration.ZERO : schedule.regular(response));
            }
            peers = response.peers();
        }
        if (!peers.isEmpty()) {
            peerListener.accept(peers);
        }
    }

    /**
     * Announces the port {@code port} gives at each announce instead of the identity's: the external port
     * a router mapped for us (UPnP/NAT-PMP), which can differ from the one we listen on and can change.
     */
    public Announcer announcePortFrom(java.util.function.IntSupplier port) {
        this.port = port;
        return this;
    }

    private AnnounceRequest request(AnnounceEvent event) {
        TransferStats s = stats.current();
        return new AnnounceRequest(identity.infoHash(), identity.peerId(), port != null ? port.getAsInt() : identity.port(), s.uploaded(), s.downloaded(),
                s.left(), event, event == AnnounceEvent.STOPPED ? 0 : identity.numWant(), identity.key(), identity.ipv6());
    }
}
