package dev.magnetar.nativehost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.magnetar.daemon.ApiToken;
import dev.magnetar.daemon.DaemonState;
import dev.magnetar.daemon.DaemonStateFile;
import dev.magnetar.spec.SpecValidator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's message handling without a daemon: bad input gets an error reply, never a crash. */
class NativeHostTest {

    @TempDir
    Path dir;

    private List<JsonNode> run(byte[] input, int[] exit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DaemonClient client = new DaemonClient();
        NativeHost host = new NativeHost(new ByteArrayInputStream(input), out, new NativeMessageCodec(),
                new DaemonLocator(dir, client, new DaemonLauncher(dir, "dev.magnetar.cli.Main"), Duration.ofSeconds(1)), client, "chrome-extension://test/");
        exit[0] = host.run();
        List<JsonNode> replies = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        NativeMessageCodec codec = new NativeMessageCodec();
        for (var f = codec.read(in); f.isPresent(); f = codec.read(in)) {
            String text = new String(f.get(), StandardCharsets.UTF_8);
            SpecValidator.shared().nativeMessage(text);
            replies.add(new ObjectMapper().readTree(text));
        }
        return replies;
    }

    static byte[] frames(String... messages) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String m : messages) {
            all.writeBytes(NativeMessageCodecTest.frame(m.getBytes(StandardCharsets.UTF_8), ByteOrder.nativeOrder()));
        }
        return all.toByteArray();
    }

    @Test
    void unknownTypeAndMalformedMessagesGetErrorRepliesAndTheHostGoesOn() throws Exception {
        int[] exit = new int[1];
        List<JsonNode> replies = run(frames("{\"type\":\"format_disk\",\"id\":\"1\"}", "not json", "{\"type\":\"add_magnet\",\"id\":\"3\",\"bogus\":1}"), exit);
        assertEquals(0, exit[0]);
        assertEquals(3, replies.size());
        assertEquals("UNKNOWN_TYPE", replies.get(0).path("code").asText());
        assertEquals("1", replies.get(0).path("id").asText());
        assertEquals("INVALID_MESSAGE", replies.get(1).path("code").asText());
        assertEquals("INVALID_MESSAGE", replies.get(2).path("code").asText());
    }

    @Test
    void anOversizedInboundFrameGetsAnErrorAndACleanExit() throws Exception {
        byte[] header = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(64 << 20).array();
        int[] exit = new int[1];
        List<JsonNode> replies = run(header, exit);
        assertEquals(1, exit[0]);
        assertEquals(1, replies.size());
        assertEquals("MESSAGE_TOO_LARGE", replies.get(0).path("code").asText());
        assertTrue(replies.get(0).path("message").asText().contains("exceeds"));
    }

    @Test
    void aDaemonAnsweringStatusInAnUnexpectedShapeGetsAnErrorReplyAndTheHostGoesOn() throws Exception {
        // A daemon of another version: healthy, but its torrent list is not the shape this host reads.
        HttpServer daemon = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        daemon.createContext("/api/v1/health", ex -> answer(ex, "{\"status\":\"ok\"}"));
        daemon.createContext("/api/v1/torrents", ex -> answer(ex, "{\"torrents\":\"none\"}"));
        daemon.start();
        try {
            ApiToken.write(ApiToken.defaultFile(dir), "A".repeat(43)); // the spec's token shape
            DaemonStateFile.write(DaemonStateFile.defaultFile(dir), new DaemonState(ProcessHandle.current().pid(),
                    daemon.getAddress().getPort(), "other", "2026-01-01T00:00:00Z", ApiToken.defaultFile(dir).toString()));
            int[] exit = new int[1];
            List<JsonNode> replies = run(frames("{\"type\":\"status\",\"id\":\"s\"}", "{\"type\":\"hello\",\"id\":\"h\"}"), exit);
            assertEquals(0, exit[0]);
            assertEquals(2, replies.size());
            assertEquals("DAEMON_UNAVAILABLE", replies.get(0).path("code").asText());
            assertTrue(replies.get(0).path("message").asText().contains("unexpected shape"), replies.get(0).toString());
            assertEquals("hello_reply", replies.get(1).path("type").asText());
        } finally {
            daemon.stop(0);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }
}
