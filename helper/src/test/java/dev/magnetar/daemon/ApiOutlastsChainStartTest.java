package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.api.ApiServer;
import dev.magnetar.api.StartupGate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A wallet route may wait for the chain's start for its whole patience, then do its own work, before
 * it answers; a connection the API closes as idle meanwhile loses the answer (an approval's, seen in a
 * full run at load 32 with Jetty's default 30 s). The API's connections must outlast every bounded wait
 * of a route with room for the route's work on a loaded machine.
 */
class ApiOutlastsChainStartTest {

    /** Room for what a route does after its wait (an approval's key derivation, under load). */
    private static final Duration WORK_AFTER_THE_WAIT = Duration.ofSeconds(30);

    @Test
    void theApisConnectionsOutlastTheChainsPatienceAndTheStartupGate() {
        Duration longestWait = ChainStart.DEFAULT_PATIENCE.compareTo(StartupGate.DEFAULT_WAIT) > 0
                ? ChainStart.DEFAULT_PATIENCE : StartupGate.DEFAULT_WAIT;
        assertTrue(ApiServer.CONNECTION_IDLE_TIMEOUT.compareTo(longestWait.plus(WORK_AFTER_THE_WAIT)) >= 0,
                "connections idle out after " + ApiServer.CONNECTION_IDLE_TIMEOUT + " but a route may wait " + longestWait);
    }
}
