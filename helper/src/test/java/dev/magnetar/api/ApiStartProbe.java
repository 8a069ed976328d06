package dev.magnetar.api;

import dev.magnetar.util.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts the real API server (through {@link ApiHarness}) in a JVM of its own, prints its port and stops. */
public final class ApiStartProbe {

    private ApiStartProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("api-start-probe");
        ApiHarness api = new ApiHarness(dir, 16);
        try {
            System.out.println("API listening on " + api.port());
        } finally {
            api.close();
            FileTrees.delete(dir);
        }
    }
}
