package dev.magnetar.tracker;

import dev.magnetar.util.TaskScheduler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.testing.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Announcer logic with time driven by hand; the scheduler and tracker client fakes live only here. */
class AnnouncerTest {

    private static final URI A = URI.create("http://a.example/announce");
    private static final URI B = URI.create("udp://b.example:80");
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeClient client = new FakeClient();
    private final List<List<InetSocketAddress>> delivered = new CopyOnWriteArrayList<>();
    private long left = 1000;
    private Announcer announcer;

    /** Runs tasks when the test advances the clock. */
    private final class ManualScheduler implements TaskScheduler {
        private final class Task {
            final Instant due;
            final Runnable run;
            boolean cancelled;

            Task(Instant due, Runnable run) {
                this.due = due;
                this.run = run;
            }
        }

        private final List<Task> tasks = new ArrayList<>();

        @Override
        public synchronized Cancellable schedule(Runnable task, Duration delay) {
            Task t = new Task(clock.instant().plus(delay), task);
            tasks.add(t);
            return () -> t.cancelled = true;
        }

        void advance(Duration d) {
            Instant end = clock.instant().plus(d);
            while (true) {
                Task t;
                synchronized (this) {
                    tasks.removeIf(x -> x.cancelled);
                    t = tasks.stream().filter(x -> !x.due.isAfter(end)).min(Comparator.comparing(x -> x.due)).orElse(null);
                    if (t == null) {
                        break;
                    }
                    tasks.remove(t);
                }
                if (t.due.isAfter(clock.instant())) {
                    clock.advance(Duration.between(clock.instant(), t.due));
                }
                t.run.run();
            }
            clock.advance(Duration.between(clock.instant(), end));
        }

        void runDue() {
            advance(Duration.ZERO);
        }
    }

    private record Call(URI tracker, AnnounceRequest request, Instant at) {}

    private final class FakeClient implements TrackerClient {
        final List<Call> calls = new CopyOnWriteArrayList<>();
        volatile Function<URI, CompletableFuture<AnnounceResponse>> behaviour = t -> CompletableFuture.completedFuture(ok());

        @Override
        public CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest request) {
            calls.add(new Call(tracker, request, clock.instant()));
            return behaviour.apply(tracker);
        }

        @Override
        public CompletableFuture<ScrapeResponse> scrape(URI tracker, List<InfoHash> infoHashes) {
            throw new UnsupportedOperationException();
        }

        List<AnnounceEvent> events() {
            return calls.stream().map(c -> c.request().event()).toList();
        }
    }

    private static InetSocketAddress peer(int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName("10.0.0.1"), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static AnnounceResponse ok() {
        return new AnnounceResponse(1800, 60, List.of(peer(1)), 1, 2, null);
    }

    private static CompletableFuture<AnnounceResponse> refused(URI tracker) {
        return CompletableFuture.failedFuture(new TrackerRefusedException(tracker, "nope"));
    }

    @BeforeEach
    void setUp() {
        announcer = announcerFor(List.of(List.of(A)));
    }

    private Announcer announcerFor(List<List<URI>> tiers) {
        return announcerFor(tiers, AnnounceSchedule.exact());
    }

    private Announcer announcerFor(List<List<URI>> tiers, AnnounceSchedule schedule) {
        Announcer.Identity me = new Announcer.Identity(InfoHash.fromHex("11".repeat(20)), new byte[20], 6881, "key", 50);
        return new Announcer(me, new TrackerTiers(tiers, new Random(1)), client,
                () -> new TransferStats(5, 6, left), delivered::add, scheduler, clock,
                schedule, Duration.ofSeconds(5));
    }

    @Test
    void startedThenRegularAnnouncesAtTheTrackersInterval() {
        announcer.start();
        scheduler.runDue();
        assertEquals(List.of(AnnounceEvent.STARTED), client.events());
        AnnounceRequest first = client.calls.get(0).request();
        assertEquals(5, first.uploaded());
        assertEquals(6, first.downloaded());
        assertEquals(1000, first.left());
        assertEquals(List.of(List.of(peer(1))), delivered);
        assertEquals(T0.plusSeconds(1800), announcer.nextAnnounce());

        scheduler.advance(Duration.ofSeconds(1799));
        assertEquals(1, client.calls.size());
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.NONE), client.events());
        scheduler.advance(Duration.ofSeconds(1800));
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.NONE, AnnounceEvent.NONE), client.events());
    }

    @Test
    void completedGoesOutOnceWhenTheDownloadFinishes() {
        announcer.start();
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(100));
        left = 0;
        announcer.completed();
        scheduler.runDue();
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.COMPLETED), client.events());
        assertEquals(0, client.calls.get(1).request().left());
        announcer.completed();
        scheduler.advance(Duration.ofSeconds(1800));
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.COMPLETED, AnnounceEvent.NONE), client.events());
    }

    @Test
    void aNewPortIsAnnouncedAtOnceAndAfterTheRoundInFlightIfItCameDuringOne() {
        int[] port = {6881};
        announcer.announcePortFrom(() -> port[0]);
        CompletableFuture<AnnounceResponse> startedAnswer = new CompletableFuture<>();
        client.behaviour = t -> startedAnswer;
        announcer.start();
        scheduler.runDue();
        port[0] = 40_000; // the router mapped us while "started" (at the old port) was on its way
        announcer.portChanged();
        client.behaviour = t -> CompletableFuture.completedFuture(ok());
        startedAnswer.complete(ok());
        scheduler.runDue();
        assertEquals(List.of(6881, 40_000), client.calls.stream().map(c -> c.request().port()).toList());

        scheduler.advance(Duration.ofSeconds(10));
        port[0] = 40_001;
        announcer.portChanged();
        scheduler.runDue();
        assertEquals(List.of(6881, 40_000, 40_001), client.calls.stream().map(c -> c.request().port()).toList(),
                "not half an hour later at the tracker's interval");
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.NONE, AnnounceEvent.NONE), client.events());
    }

    @Test
    void stopSendsStoppedAndEndsTheSchedule() throws Exception {
        announcer.start();
        scheduler.runDue();
        CompletableFuture<Void> stop = announcer.stop();
        assertTrue(stop.isDone());
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.STOPPED), client.events());
        assertEquals(0, client.calls.get(1).request().numWant());
        scheduler.advance(Duration.ofHours(5));
        assertEquals(2, client.calls.size());
        assertNull(announcer.nextAnnounce());
    }

    @Test
    void stopGivesUpAfterTheShortTimeout() {
        announcer.start();
        scheduler.runDue();
        client.behaviour = t -> new CompletableFuture<>(); // the tracker never answers
        CompletableFuture<Void> stop = announcer.stop();
        assertFalse(stop.isDone());
        scheduler.advance(Duration.ofSeconds(4));
        assertFalse(stop.isDone());
        scheduler.advance(Duration.ofSeconds(1));
        assertTrue(stop.isDone());
    }

    @Test
    void stopBeforeAnyTrackerKnewUsSendsNothing() {
        client.behaviour = AnnouncerTest::refused;
        announcer.start();
        scheduler.runDue();
        assertTrue(announcer.stop().isDone());
        assertEquals(List.of(AnnounceEvent.STARTED), client.events());
    }

    @Test
    void failuresBackOffDoublingUpToThirtyMinutesAndResetOnSuccess() {
        client.behaviour = AnnouncerTest::refused;
        announcer.start();
        scheduler.runDue();
        List<Long> expectedGaps = List.of(15L, 30L, 60L, 120L, 240L, 480L, 960L, 1800L, 1800L);
        for (long gap : expectedGaps) {
            int before = client.calls.size();
            scheduler.advance(Duration.ofSeconds(gap - 1));
            assertEquals(before, client.calls.size(), "too early at gap " + gap);
            scheduler.advance(Duration.ofSeconds(1));
            assertEquals(before + 1, client.calls.size(), "retry after " + gap + " s");
        }
        assertTrue(client.events().stream().allMatch(e -> e == AnnounceEvent.STARTED), "started is retried until accepted");

        client.behaviour = t -> CompletableFuture.completedFuture(ok());
        scheduler.advance(Duration.ofSeconds(1800));
        assertEquals(AnnounceEvent.STARTED, client.events().get(client.calls.size() - 1));
        client.behaviour = AnnouncerTest::refused;
        int before = client.calls.size();
        scheduler.advance(Duration.ofSeconds(1800)); // regular announce fails
        scheduler.advance(Duration.ofSeconds(15)); // first backoff step again
        assertEquals(before + 2, client.calls.size());
        assertEquals(AnnounceEvent.NONE, client.events().get(before));
    }

    @Test
    void completedBeforeStartedWasAcceptedFollowsIt() {
        client.behaviour = AnnouncerTest::refused;
        announcer.start();
        scheduler.runDue();
        announcer.completed();
        client.behaviour = t -> CompletableFuture.completedFuture(ok());
        scheduler.advance(Duration.ofSeconds(15));
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.STARTED, AnnounceEvent.COMPLETED), client.events());
    }

    @Test
    void needMorePeersWaitsForTheMinInterval() {
        announcer.start();
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(10));
        announcer.needMorePeers();
        assertEquals(T0.plusSeconds(60), announcer.nextAnnounce());
        scheduler.advance(Duration.ofSeconds(49));
        assertEquals(1, client.calls.size());
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.NONE), client.events());
    }

    @Test
    void withoutAMinIntervalAStarvingTorrentWaitsTheFloorNotItsOwnMinute() {
        client.behaviour = t -> CompletableFuture.completedFuture(new AnnounceResponse(1800, null, List.of(peer(1)), 1, 2, null));
        announcer.start();
        scheduler.runDue();
        for (int minute = 1; minute <= 4; minute++) {
            scheduler.advance(Duration.ofSeconds(60));
            announcer.needMorePeers(); // as the torrent asks, once a minute, while it has too few peers
        }
        assertEquals(1, client.calls.size(), "no extra announce within libtorrent's five-minute floor");
        scheduler.advance(Duration.ofSeconds(60));
        announcer.needMorePeers();
        scheduler.runDue();
        assertEquals(List.of(AnnounceEvent.STARTED, AnnounceEvent.NONE), client.events());
        assertEquals(T0.plusSeconds(300), client.calls.get(1).at());
    }

    @Test
    void aShortIntervalWithoutAMinIntervalIsRaisedToTheFloor() {
        client.behaviour = t -> CompletableFuture.completedFuture(new AnnounceResponse(60, null, List.of(peer(1)), 1, 2, null));
        announcer.start();
        scheduler.runDue();
        assertEquals(T0.plusSeconds(300), announcer.nextAnnounce());
        scheduler.advance(Duration.ofSeconds(299));
        assertEquals(1, client.calls.size());
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(2, client.calls.size());
    }

    @Test
    void aShortIntervalWithAMinIntervalIsTheTrackersToGive() {
        client.behaviour = t -> CompletableFuture.completedFuture(new AnnounceResponse(5, 2, List.of(peer(1)), 1, 2, null));
        announcer.start();
        scheduler.runDue();
        assertEquals(T0.plusSeconds(5), announcer.nextAnnounce());
        scheduler.advance(Duration.ofSeconds(1));
        announcer.needMorePeers();
        assertEquals(T0.plusSeconds(2), announcer.nextAnnounce());
    }

    @Test
    void aThousandTorrentsStartedTogetherSpreadTheirNextAnnounces() {
        startThousand();
        assertEquals(1000, client.calls.size(), "started goes out at once: the user is waiting");
        client.calls.clear();
        scheduler.advance(Duration.ofSeconds(1800 + 180));
        // 10 % of the 1800 s interval is 180 s; spread evenly, a second holds ~6 of them.
        assertSpread(client.calls, T0.plusSeconds(1800), Duration.ofSeconds(1), 180, 30);
    }

    @Test
    void aThousandTorrentsRetryADeadTrackerOutOfStep() {
        client.behaviour = AnnouncerTest::refused;
        startThousand();
        client.calls.clear();
        scheduler.advance(Duration.ofMillis(15_000 + 1_500));
        // 10 % of the 15 s back-off is 1.5 s; spread evenly, 100 ms holds ~67 of them.
        assertSpread(client.calls, T0.plusSeconds(15), Duration.ofMillis(100), 15, 100);
    }

    /** 1000 announcers on one tracker, each stretching its waits by a share from one seeded generator. */
    private void startThousand() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(23); // seeded: the same spread every run
        AnnounceSchedule schedule = AnnounceSchedule.jittered(random::nextDouble);
        for (int i = 0; i < 1000; i++) {
            announcerFor(List.of(List.of(A)), schedule).start();
        }
        scheduler.runDue();
    }

    /** 1000 calls, all in {@code slots} slots of {@code slot} from {@code from}, none holding more than {@code most}. */
    private static void assertSpread(List<Call> calls, Instant from, Duration slot, int slots, int most) {
        assertEquals(1000, calls.size());
        int[] perSlot = new int[slots];
        for (Call c : calls) {
            assertFalse(c.at().isBefore(from), "announce at " + c.at() + ", sooner than the tracker asked");
            long index = Duration.between(from, c.at()).toNanos() / slot.toNanos();
            assertTrue(index < slots, "announce at " + c.at() + " beyond the jitter");
            perSlot[(int) index]++;
        }
        int busiest = java.util.Arrays.stream(perSlot).max().orElseThrow();
        assertTrue(busiest <= most, "the busiest " + slot + " held " + busiest + " of 1000 announces");
    }

    @Test
    void statusPerTrackerAndFallThroughTiers() {
        announcer = announcerFor(List.of(List.of(A), List.of(B)));
        client.behaviour = t -> t.equals(A) ? refused(t) : CompletableFuture.completedFuture(
                new AnnounceResponse(900, null, List.of(peer(1), peer(2)), null, null, "slow down"));
        announcer.start();
        scheduler.runDue();
        assertEquals(List.of(A, B), client.calls.stream().map(Call::tracker).toList());
        List<TrackerStatus> statuses = announcer.statuses();
        TrackerStatus a = statuses.get(0);
        TrackerStatus b = statuses.get(1);
        assertEquals(A, a.url());
        assertEquals(T0, a.lastAnnounce());
        assertTrue(a.lastError().contains("nope"), a.lastError());
        assertNull(b.lastError());
        assertEquals(2, b.peersReceived());
        assertEquals("slow down", b.warning());
        assertEquals(T0.plusSeconds(900), b.nextAnnounce());
        assertNotNull(a.nextAnnounce());
    }
}
