package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A route that needs a stage of the daemon's start waits for it, and says "ask again" rather than answer wrongly. */
class StartupGateTest {

    private static final Duration GUARD = Duration.ofMinutes(3);
    private static final Route LIST = Route.get("/api/v1/torrents", call -> Reply.ok("listed"));

    @Test
    void aRouteThatNeedsNoStageIsLeftAsItIs() {
        assertSame(LIST, new StartupGate(Duration.ZERO).guard(LIST, StartupGate.Stage.NONE));
    }

    @Test
    void aStageNotReachedWithinTheWaitIsAHelperStartingRefusal() {
        Route guarded = new StartupGate(Duration.ZERO).guard(LIST, StartupGate.Stage.SESSION);
        ApiException refused = assertThrows(ApiException.class, () -> guarded.handler().handle(new ApiCall(Map.of(), null)));
        assertEquals(ErrorCode.HELPER_STARTING, refused.code());
        assertEquals(503, refused.code().httpStatus());
    }

    @Test
    void anOpenEngineIsNotYetARestoredSession() throws Exception {
        StartupGate gate = new StartupGate(Duration.ZERO);
        gate.engineOpened();
        assertEquals("listed", gate.guard(LIST, StartupGate.Stage.ENGINE).handler().handle(new ApiCall(Map.of(), null)).body());
        assertThrows(ApiException.class, () -> gate.guard(LIST, StartupGate.Stage.SESSION).handler().handle(new ApiCall(Map.of(), null)));
        gate.sessionRestored();
        assertEquals("listed", gate.guard(LIST, StartupGate.Stage.SESSION).handler().handle(new ApiCall(Map.of(), null)).body());
    }

    @Test
    void aRequestWaitingForTheSessionIsAnsweredWhenItIsBack() throws Exception {
        StartupGate gate = new StartupGate(GUARD);
        Route guarded = gate.guard(LIST, StartupGate.Stage.SESSION);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<Reply> reply = client.submit(() -> guarded.handler().handle(new ApiCall(Map.of(), null)));
            gate.sessionRestored();
            assertEquals("listed", reply.get(GUARD.toSeconds(), TimeUnit.SECONDS).body());
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    void aFailedStartTellsWhoeverWaitsWhyAtOnce() throws Exception {
        StartupGate gate = new StartupGate(GUARD);
        Route guarded = gate.guard(LIST, StartupGate.Stage.ENGINE);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<Reply> reply = client.submit(() -> guarded.handler().handle(new ApiCall(Map.of(), null)));
            gate.failed("cannot listen for peers on port 6881");
            Exception e = assertThrows(Exception.class, () -> reply.get(GUARD.toSeconds(), TimeUnit.SECONDS));
            ApiException refused = (ApiException) e.getCause();
            assertEquals(ErrorCode.ENGINE_UNAVAILABLE, refused.code());
            assertTrue(refused.getMessage().contains("cannot listen for peers on port 6881"), refused.getMessage());
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    void theRouteTableGuardsTorrentAndStreamRoutesByTheSessionAndTheNetworkByTheEngine() {
        assertEquals(StartupGate.Stage.SESSION, ApiRoutes.stageNeeded(Route.get("/api/v1/torrents/{infoHash}", c -> null)));
        assertEquals(StartupGate.Stage.SESSION, ApiRoutes.stageNeeded(Route.post("/api/v1/torrents/magnet", c -> null)));
        assertEquals(StartupGate.Stage.SESSION, ApiRoutes.stageNeeded(Route.get("/api/v1/streams/{id}", c -> null)));
        assertEquals(StartupGate.Stage.ENGINE, ApiRoutes.stageNeeded(Route.get("/api/v1/network", c -> null)));
        assertEquals(StartupGate.Stage.NONE, ApiRoutes.stageNeeded(Route.get("/api/v1/health", c -> null)));
        assertEquals(StartupGate.Stage.NONE, ApiRoutes.stageNeeded(Route.get("/api/v1/wallet", c -> null)));
    }
}
