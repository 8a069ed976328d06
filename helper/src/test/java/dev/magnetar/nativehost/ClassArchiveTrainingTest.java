package dev.magnetar.nativehost;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.daemon.ApiToken;
import dev.magnetar.daemon.Daemon;
import dev.magnetar.daemon.EngineLauncher;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.wallet.ScryptParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run's requests reach a real daemon's API as a client's do (the security checks pass), so
 * the archive holds the request path; one the API refuses fails the training instead of archiving the
 * refusal's path.
 */
class ClassArchiveTrainingTest {

    @TempDir
    Path dir;

    @Test
    void theTrainingAsksTheHealthAndTheTorrentListAsAClientDoes() throws Exception {
        try (Daemon daemon = startDaemon()) {
            ClassArchiveTraining.askLikeAClient(daemon.port(), ApiToken.read(ApiToken.defaultFile(dir)));
        }
    }

    @Test
    void aRefusedRequestFailsTheTraining() throws Exception {
        try (Daemon daemon = startDaemon()) {
            IOException refused = assertThrows(IOException.class, () -> ClassArchiveTraining.askLikeAClient(daemon.port(), "not-the-token"));
            assertTrue(refused.getMessage().contains("/api/v1/health"), refused.getMessage());
        }
    }

    private Daemon startDaemon() throws Exception {
        Files.writeString(dir.resolve("settings.json"), "{\"downloadDir\":\"" + dir.resolve("dl") + "\",\"quitWithBrowser\":false,"
                + "\"listenPort\":0,\"network\":\"devnet\",\"devnetPort\":0}");
        Daemon.EngineFactory offline = (dataDir, s) -> Engine.open(EngineLauncher.settingsFor(dataDir, s).toBuilder()
                .discovery(PeerDiscoverySettings.offline()).build());
        return Daemon.start(new Daemon.Options(dir, 0, offline, new ScryptParams(1 << 4, 8, 1)));
    }
}
