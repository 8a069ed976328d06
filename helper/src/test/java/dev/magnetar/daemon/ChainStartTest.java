package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.api.ChainState;
import dev.magnetar.devnet.DevnetEndpointFile;
import dev.magnetar.wallet.ChainNotStartedException;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start of the TRON connection that hangs is given up after its patience; what it still opens later is not kept. */
class ChainStartTest {

    private static final Duration PATIENCE = Duration.ofMillis(200);
    private static final Path DEVNET_HOME = Path.of("/nonexistent/magnetar-data");

    @Test
    void aStartThatNeverEndsIsGivenUpAndTheWaitersLearnWhy() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (ChainStart start = new ChainStart(TronNetwork.byName("devnet"), null, DEVNET_HOME, PATIENCE, () -> {
            never.await(); // a start that hangs (a stalled disk, a devnet holder that never says where it serves)
            throw new AssertionError("unreachable");
        })) {
            CompletableFuture<Optional<ChainStart.Chain>> ended = new CompletableFuture<>();
            start.whenEnded(ended::complete);
            start.begin();

            assertEquals(Optional.empty(), ended.get(30, TimeUnit.SECONDS), "the torrents waiting for the chain go on without it");
            ChainNotStartedException why = assertThrows(ChainNotStartedException.class, start::client);
            assertTrue(why.getMessage().contains("cannot start the embedded devnet in " + DEVNET_HOME.resolve("devnet")), why.getMessage());
            assertTrue(why.getMessage().contains("did not finish within"), why.getMessage());
        }
    }

    /** A real embedded devnet that finishes starting only after the start was given up: it must not stay up unowned. */
    @Test
    void aStartThatEndsAfterItWasGivenUpIsClosedAndNotHandedOut(@TempDir Path dataDir) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> servedAt = new CompletableFuture<>();
        TronNetwork devnet = TronNetwork.byName("devnet");
        try (ChainStart start = new ChainStart(devnet, null, dataDir, PATIENCE, () -> {
            release.await();
            ChainStart.Started late = ChainStart.start(devnet, null, dataDir, 0);
            servedAt.complete(DevnetEndpointFile.read(dataDir.resolve("devnet")).orElse("no endpoint recorded"));
            return late;
        })) {
            CompletableFuture<Optional<ChainStart.Chain>> ended = new CompletableFuture<>();
            start.whenEnded(ended::complete);
            start.begin();
            assertEquals(Optional.empty(), ended.get(30, TimeUnit.SECONDS));

            release.countDown();
            assertTrue(servedAt.get(60, TimeUnit.SECONDS).startsWith("127.0.0.1:"), "the late start did serve a devnet");
            // The start's thread closes it right after handing it over; the endpoint file goes with the devnet.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (DevnetEndpointFile.read(dataDir.resolve("devnet")).isPresent()) {
                assertTrue(System.nanoTime() < deadline, "the late devnet is still served");
                TimeUnit.MILLISECONDS.sleep(20); // polling interval, not synchronisation
            }
            assertThrows(ChainNotStartedException.class, start::client, "and never handed to a wallet route");
        }
    }

    /** The health route reports this while the API already answers: off until needed, starting, then ready. */
    @Test
    void itsStateGoesFromOffThroughStartingToReady() throws Exception {
        TronNetwork network = TronNetwork.devnet("127.0.0.1:9");
        TronChainClient client = new TronChainClient(network);
        CountDownLatch release = new CountDownLatch(1);
        try (ChainStart start = new ChainStart(network, null, DEVNET_HOME, Duration.ofMinutes(5), () -> {
            release.await();
            return new ChainStart.Started(new ChainStart.Chain(network, client), Optional.empty());
        })) {
            assertEquals(ChainState.OFF, start.state());
            start.begin();
            assertEquals(ChainState.STARTING, start.state(), "held by the latch: still starting");
            release.countDown();
            assertTrue(client == start.client());
            assertEquals(ChainState.READY, start.state());
        }
    }

    @Test
    void aStartThatFailedIsUnavailable() throws Exception {
        try (ChainStart start = new ChainStart(TronNetwork.byName("devnet"), null, DEVNET_HOME, Duration.ofMinutes(5), () -> {
            throw new java.io.IOException("the devnet's folder is a file");
        })) {
            assertThrows(ChainNotStartedException.class, start::client);
            assertEquals(ChainState.UNAVAILABLE, start.state());
        }
    }

    @Test
    void aStartWithinItsPatienceIsHandedOut() throws Exception {
        TronNetwork network = TronNetwork.devnet("127.0.0.1:9");
        TronChainClient client = new TronChainClient(network);
        try (ChainStart start = new ChainStart(network, null, DEVNET_HOME, Duration.ofMinutes(5),
                () -> new ChainStart.Started(new ChainStart.Chain(network, client), Optional.empty()))) {
            assertTrue(client == start.client());
        }
    }
}
