package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code daemon.json} written with the streaming generator is what data binding wrote, and the readers read it back. */
class DaemonStateFileEncodingTest {

    @TempDir
    Path dir;

    @Test
    void theStreamingEncodingIsByteForByteDataBindings() throws Exception {
        ObjectMapper binding = new ObjectMapper();
        for (DaemonState state : List.of(new DaemonState(12345, 41234, "0.9.0+abc", "2026-12-07T23:45:01.123456Z", "/home/u/.magnetar/api-token"),
                new DaemonState(Long.MAX_VALUE, 0, "v\"quoted\" \u00e9", "", "C:\\Users\\u\\token"),
                new DaemonState(1, 65535, null, null, null))) {
            byte[] written = DaemonStateFile.encode(state);
            assertArrayEquals(binding.writerWithDefaultPrettyPrinter().writeValueAsBytes(state), written,
                    () -> new String(written, StandardCharsets.UTF_8));
            Path file = DaemonStateFile.defaultFile(dir);
            DaemonStateFile.write(file, state);
            assertEquals(state, DaemonStateFile.read(file).orElseThrow());
        }
    }
}
