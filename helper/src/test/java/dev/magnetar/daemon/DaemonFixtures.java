package dev.magnetar.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared set-up of the daemon tests. */
final class DaemonFixtures {

    private DaemonFixtures() {}

    /**
     * A settings.json for a daemon that stays put and local: downloads under {@code dir/dl}, no quit
     * with the browser, any free peer port, the embedded devnet on any free port, one extension id.
     */
    static void writeLocalSettings(Path dir) throws IOException {
        Files.writeString(dir.resolve("settings.json"), "{\"downloadDir\":\"" + dir.resolve("dl") + "\",\"quitWithBrowser\":false,"
                + "\"listenPort\":0,\"network\":\"devnet\",\"devnetPort\":0,\"extensionIds\":[\"ighcbjpaekabdiphmkfgookimbgnoogf\"]}");
    }
}
