package dev.magnetar.api;

import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineFixtures;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The real engine (peers on 127.0.0.1, no trackers or DHT) behind a real API server on 127.0.0.1, with
 * a wallet that has no key and no chain: for tests of what the engine tells WebSocket clients.
 */
final class EngineApiHarness implements AutoCloseable {

    final Engine engine;
    final ApiServer server;
    final String token = "test-token-" + Long.toHexString(new SecureRandom().nextLong());
    private final ScheduledExecutorService walletTimer = Executors.newSingleThreadScheduledExecutor();

    EngineApiHarness(Path dir) throws Exception {
        this(dir, SlowClientGuard.Limits.DEFAULT);
    }

    EngineApiHarness(Path dir, SlowClientGuard.Limits clientLimits) throws Exception {
        Clock clock = Clock.systemUTC();
        WalletService wallet = ApiHarness.walletWithoutChain(dir, walletTimer, clock);
        ApprovalStore approvals = ApprovalStore.open(ApprovalStore.defaultFile(dir), clock);
        SettingsStore settings = SettingsStore.open(SettingsStore.defaultFile(dir), Settings.defaults(dir.resolve("Downloads")));
        engine = Engine.start(EngineFixtures.loopback(dir, "engine"));
        ApiServer started;
        try {
            started = ApiServer.start(new ApiServer.Config(0, token, List.of(Settings.MAGNETAR_EXTENSION_ID),
                    EventHub.DEFAULT_QUEUE_CAPACITY, clientLimits),
                    new ApiServices("test", engine, approvals, wallet, settings, () -> { }));
        } catch (Exception e) {
            engine.close();
            walletTimer.shutdownNow();
            throw e;
        }
        server = started;
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        walletTimer.shutdownNow();
    }
}
