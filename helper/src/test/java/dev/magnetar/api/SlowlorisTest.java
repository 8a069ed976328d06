package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.metainfo.MagnetParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris against the API: clients that open many connections and send their headers a byte at a
 * time are closed, and the extension's requests are answered meanwhile.
 */
class SlowlorisTest {

    private static final int ATTACKERS = 100;
    /** Hang guard for the whole attack, not a measurement: the header timeout in these tests is 1 s. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(90);

    @TempDir
    Path dir;

    @Test
    void connectionsDribblingTheirHeadersAreClosedWhileANormalClientIsAnswered() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, 16, new SlowClientGuard.Limits(Duration.ofSeconds(1), 1000))) {
            List<SocketChannel> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < ATTACKERS; i++) {
                    SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", api.port()));
                    c.write(ascii("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:" + api.port() + "\r\n"));
                    c.configureBlocking(false);
                    attackers.add(c);
                }
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, api.get("/api/v1/health").status(), "the extension's request during the attack");
                }
                int closedByServer = dribbleUntilClosed(attackers);
                assertEquals(ATTACKERS, closedByServer, "connections still open while dribbling headers");
                assertEquals(200, api.get("/api/v1/health").status(), "the extension's request after the attack");
            } finally {
                for (SocketChannel c : attackers) {
                    c.close();
                }
            }
        }
    }

    @Test
    void beyondTheCapTheOldestWaitingConnectionsOfAClientAreClosedAndTheOthersStillServed() throws Exception {
        int cap = 16;
        try (ApiHarness api = new ApiHarness(dir, 16, new SlowClientGuard.Limits(Duration.ofHours(1), cap))) {
            List<SocketChannel> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < ATTACKERS; i++) {
                    SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", api.port()));
                    c.write(ascii("GET /api/v1/health HTTP/1.1\r\n"));
                    c.configureBlocking(false);
                    attackers.add(c);
                }
                boolean[] closed = waitUntilClosed(attackers, ATTACKERS - cap);
                int count = 0;
                for (boolean b : closed) {
                    count += b ? 1 : 0;
                }
                assertEquals(ATTACKERS - cap, count, "connections closed beyond the cap of " + cap);
                // A kept one can still finish its request. Which ones are kept follows the order Jetty's
                // selectors registered the connections, not quite the order they were made in.
                int kept = ATTACKERS - 1;
                while (closed[kept]) {
                    kept--;
                }
                SocketChannel newest = attackers.get(kept);
                newest.configureBlocking(true);
                newest.write(ascii("Host: 127.0.0.1:" + api.port() + "\r\nAuthorization: Bearer " + api.token
                        + "\r\nConnection: close\r\n\r\n"));
                newest.socket().setSoTimeout(30_000);
                String answer = new String(newest.socket().getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                assertEquals(200, api.get("/api/v1/health").status(), "a client that sends its request at once");
            } finally {
                for (SocketChannel c : attackers) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aKeptAliveClientBetweenRequestsIsNotPushedOutByNewcomers() throws Exception {
        int cap = 16;
        try (ApiHarness api = new ApiHarness(dir, 16, new SlowClientGuard.Limits(Duration.ofHours(1), cap))) {
            SocketChannel extension = SocketChannel.open(new InetSocketAddress("127.0.0.1", api.port()));
            List<SocketChannel> attackers = new ArrayList<>();
            try {
                String request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:" + api.port() + "\r\nAuthorization: Bearer "
                        + api.token + "\r\n\r\n";
                extension.write(ascii(request));
                assertTrue(readResponseHead(extension).startsWith("HTTP/1.1 200"));
                for (int i = 0; i < ATTACKERS; i++) {
                    SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", api.port()));
                    c.write(ascii("GET /api/v1/health HTTP/1.1\r\n"));
                    c.configureBlocking(false);
                    attackers.add(c);
                }
                waitUntilClosed(attackers, ATTACKERS - cap);

                extension.write(ascii(request)); // the same kept-alive connection, after the newcomers
                assertTrue(readResponseHead(extension).startsWith("HTTP/1.1 200"), "the kept-alive connection was closed");
            } finally {
                extension.close();
                for (SocketChannel c : attackers) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aWebSocketOutlivesTheHeaderTimeout() throws Exception {
        String hash = "0123456789abcdef0123456789abcdef01234567";
        try (EngineApiHarness api = new EngineApiHarness(dir, new SlowClientGuard.Limits(Duration.ofSeconds(1), 4));
                EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            // The client is registered once its first snapshot is on the way: an add before that could fall
            // between the upgrade's answer and the registration, and its event would never come.
            events.await(n -> n.path("type").asText().equals("snapshot"), "the first snapshot");
            api.engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + hash), dir.resolve("out"),
                    AddOptions.defaults());
            events.await(n -> n.path("type").asText().equals("torrent_added"), "the torrent's arrival");
            // Four header timeouts pass while the client sends pings: the time passing is what is tested.
            for (int i = 0; i < 4; i++) {
                Thread.sleep(1000);
                events.ping(); // bytes in: what would start a header clock on an HTTP connection
            }
            api.engine.pause(hash);
            events.await(n -> n.path("type").asText().equals("torrent_state_changed")
                    && n.path("torrent").path("state").asText().equals("PAUSED"), "an event after four header timeouts");
        }
    }

    /** Reads one response (headers and a Content-Length body) from a blocking channel; returns its head. */
    private static String readResponseHead(SocketChannel c) throws IOException {
        c.socket().setSoTimeout(30_000);
        java.io.InputStream in = c.socket().getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
        }
        return head.toString();
    }

    @Test
    void limitsThatCannotWorkAreRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SlowClientGuard.Limits(Duration.ZERO, 8));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SlowClientGuard.Limits(Duration.ofSeconds(5), 0));
    }

    /**
     * The attacker's loop: one more header byte on every connection every 100 ms (its pace, not a wait
     * for the server), until the server has closed each of them; returns how many it closed.
     */
    private static int dribbleUntilClosed(List<SocketChannel> attackers) throws InterruptedException {
        boolean[] closed = new boolean[attackers.size()];
        int count = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        while (count < attackers.size() && System.nanoTime() < deadline) {
            for (int i = 0; i < attackers.size(); i++) {
                if (closed[i]) {
                    continue;
                }
                SocketChannel c = attackers.get(i);
                try {
                    sink.clear();
                    if (c.read(sink) < 0) {
                        closed[i] = true;
                        count++;
                        continue;
                    }
                    c.write(ascii("X"));
                } catch (IOException e) { // reset by the server
                    closed[i] = true;
                    count++;
                }
            }
            Thread.sleep(100); // the attacker's pace
        }
        return count;
    }

    /** Polls every connection until at least {@code wanted} of them were closed by the server; which ones. */
    private static boolean[] waitUntilClosed(List<SocketChannel> channels, int wanted) throws InterruptedException {
        boolean[] closed = new boolean[channels.size()];
        int count = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        while (count < wanted && System.nanoTime() < deadline) {
            for (int i = 0; i < channels.size(); i++) {
                if (closed[i]) {
                    continue;
                }
                try {
                    sink.clear();
                    if (channels.get(i).read(sink) < 0) {
                        closed[i] = true;
                        count++;
                    }
                } catch (IOException e) { // reset by the server
                    closed[i] = true;
                    count++;
                }
            }
            Thread.sleep(20); // polling sockets the server closes on its own threads; the deadline bounds it
        }
        return closed;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
