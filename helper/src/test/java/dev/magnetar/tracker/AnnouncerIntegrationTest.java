package dev.magnetar.tracker;

import dev.magnetar.util.TaskScheduler;
import static dev.magnetar.tracker.HttpTrackerClientTest.HASH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two announcers over real clients and real embedded trackers: a dead tracker in tier 1, UDP in tier 2. */
class AnnouncerIntegrationTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private HttpTrackerClient http;
    private UdpTrackerClient udp;
    private EmbeddedUdpTracker tracker;

    @BeforeEach
    void setUp() throws Exception {
        http = new HttpTrackerClient();
        udp = new UdpTrackerClient(new UdpTrackerClient.Settings(Duration.ofMillis(200), 2, Duration.ofMinutes(1),
                new InetSocketAddress("127.0.0.1", 0)), Clock.systemUTC());
        tracker = EmbeddedUdpTracker.startLoopback(Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        http.close();
        udp.close();
        tracker.close();
    }

    private Announcer announcer(int port, CompletableFuture<List<InetSocketAddress>> peers) throws Exception {
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            deadPort = s.getLocalPort();
        }
        List<List<URI>> tiers = List.of(List.of(URI.create("http://127.0.0.1:" + deadPort + "/announce")),
                List.of(tracker.announceUri()));
        Announcer.Identity me = new Announcer.Identity(HASH, HttpTrackerClientTest.request(port, AnnounceEvent.NONE).peerId(),
                port, "k", 50);
        return new Announcer(me, new TrackerTiers(tiers, new Random()), new RoutingTrackerClient(http, udp),
                () -> new TransferStats(0, 0, 100), peers::complete, TaskScheduler.of(executor), Clock.systemUTC(),
                AnnounceSchedule.DEFAULT, Duration.ofSeconds(5));
    }

    @Test
    void announcersFindEachOtherThroughTheSecondTier() throws Exception {
        CompletableFuture<List<InetSocketAddress>> firstPeers = new CompletableFuture<>();
        CompletableFuture<List<InetSocketAddress>> secondPeers = new CompletableFuture<>();
        Announcer first = announcer(7001, firstPeers);
        first.start();
        // Polling with a hang guard: wait until the tracker holds the first announcer.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (tracker.registry().peers(HASH).isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // poll interval
        }
        Announcer second = announcer(7002, secondPeers);
        second.start();
        InetSocketAddress firstAddress = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7001);
        assertEquals(List.of(firstAddress), secondPeers.get(20, TimeUnit.SECONDS));
        TrackerStatus dead = second.statuses().get(0);
        assertTrue(dead.lastError() != null && dead.lastError().contains("unreachable"), dead.lastError());
        assertNull(second.statuses().get(1).lastError());
        assertEquals(1, second.statuses().get(1).peersReceived());

        second.stop().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(firstAddress),
                tracker.registry().peers(HASH).stream().map(SwarmRegistry.Peer::address).toList());
        first.stop().get(10, TimeUnit.SECONDS);
    }
}
