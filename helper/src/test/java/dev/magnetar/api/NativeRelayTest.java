package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.daemon.ApiToken;
import dev.magnetar.daemon.DaemonState;
import dev.magnetar.daemon.DaemonStateFile;
import dev.magnetar.nativehost.NativeHost;
import dev.magnetar.nativehost.NativeMessageCodec;
import dev.magnetar.spec.SpecValidator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's relay of add_magnet and status to a running API (found through daemon.json), for when HTTP is blocked. */
class NativeRelayTest {

    @Test
    void addMagnetAndStatusAreRelayed(@TempDir Path dir) throws Exception {
        try (ApiHarness api = new ApiHarness(dir.resolve("api"), 16)) {
            Path home = dir.resolve("home");
            ApiToken.write(ApiToken.defaultFile(home), api.token);
            DaemonStateFile.write(DaemonStateFile.defaultFile(home), new DaemonState(ProcessHandle.current().pid(), api.port(), "test",
                    "2026-01-01T00:00:00Z", ApiToken.defaultFile(home).toString()));
            String add = "{\"type\":\"add_magnet\",\"id\":\"a\",\"uri\":\"magnet:?xt=urn:btih:aaaabbbbccccddddeeeeffff0000111122223333\"}";
            String status = "{\"type\":\"status\",\"id\":\"s\"}";
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            for (String m : List.of(add, status)) {
                SpecValidator.shared().nativeMessage(m);
                byte[] b = m.getBytes(StandardCharsets.UTF_8);
                in.writeBytes(ByteBuffer.allocate(4 + b.length).order(ByteOrder.nativeOrder()).putInt(b.length).put(b).array());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, NativeHost.forDataDir(home, new ByteArrayInputStream(in.toByteArray()), out, "chrome-extension://x/",
                    dev.magnetar.cli.Main.class.getName()).run());
            List<JsonNode> replies = new ArrayList<>();
            ByteArrayInputStream r = new ByteArrayInputStream(out.toByteArray());
            NativeMessageCodec codec = new NativeMessageCodec();
            for (var f = codec.read(r); f.isPresent(); f = codec.read(r)) {
                String text = new String(f.get(), StandardCharsets.UTF_8);
                SpecValidator.shared().nativeMessage(text);
                replies.add(new ObjectMapper().readTree(text));
            }
            assertEquals("add_magnet_reply", replies.get(0).path("type").asText());
            assertEquals("aaaabbbbccccddddeeeeffff0000111122223333", replies.get(0).path("torrent").path("infoHash").asText());
            assertEquals("status_reply", replies.get(1).path("type").asText());
            assertEquals(1, replies.get(1).path("torrents").size());
            assertEquals(1, api.torrents.list().size());
        }
    }
}
