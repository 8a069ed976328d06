package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.spec.SpecValidator;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A test subscriber of /api/v1/events over a real WebSocket. When {@code reading} is false its Jetty
 * thread is held at the first message until {@link #startReading()}, so the server's writes back up.
 */
public final class EventsClient implements AutoCloseable {

    static final long HANG_GUARD_SECONDS = 30;

    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final ObjectMapper json = new ObjectMapper();
    private final WebSocketClient client = new WebSocketClient();
    private volatile Session session;
    private final java.util.concurrent.CountDownLatch readGate = new java.util.concurrent.CountDownLatch(1);
    private volatile Throwable failure;

    private EventsClient(boolean reading) {
        if (reading) {
            readGate.countDown();
        }
    }

    static EventsClient connect(int port, String token, boolean reading) throws Exception {
        EventsClient c = new EventsClient(reading);
        c.client.setMaxTextMessageSize(64L << 20);
        c.client.start();
        ClientUpgradeRequest req = new ClientUpgradeRequest();
        req.setSubProtocols("magnetar.v1", "bearer." + token);
        Object listener = c.new AutoReader();
        c.client.connect(listener, URI.create("ws://127.0.0.1:" + port + "/api/v1/events"), req).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        return c;
    }

    /** A connection attempt that should be refused; returns the failure. */
    static Throwable refused(int port, ClientUpgradeRequest req) throws Exception {
        EventsClient c = new EventsClient(true);
        c.client.start();
        try {
            c.client.connect(c.new AutoReader(), URI.create("ws://127.0.0.1:" + port + "/api/v1/events"), req).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            fail("the WebSocket upgrade was accepted");
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } finally {
            c.close();
        }
    }

    /** A client that reads everything as it comes, as a browser does. */
    public final class AutoReader implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String text) {
            receive(text);
        }
    }

    private void receive(String text) {
        try {
            // A stalled reader: Jetty's thread waits here, so nothing more is read from the socket and the
            // server's writes back up in TCP exactly as with a frozen browser tab.
            readGate.await();
            SpecValidator.shared().event(text);
            received.add(json.readTree(text));
        } catch (Throwable e) { // surfaced by await(); throwing here would only make Jetty drop the connection
            failure = e;
        }
    }

    /** Starts reading what the server has been trying to send. */
    void startReading() {
        readGate.countDown();
    }

    /** Sends a WebSocket ping: bytes from the client, as a browser's keep-alive sends. */
    void ping() {
        session.sendPing(java.nio.ByteBuffer.allocate(0), org.eclipse.jetty.websocket.api.Callback.NOOP);
    }

    /** The next event matching {@code p} within {@code wait}, skipping others; null if none came. */
    JsonNode poll(Predicate<JsonNode> p, java.time.Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            JsonNode n = received.poll(left, TimeUnit.NANOSECONDS);
            if (failure != null) {
                throw new AssertionError("an event failed: " + failure, failure);
            }
            if (n != null && p.test(n)) {
                return n;
            }
        }
        return null;
    }

    /** The next event matching {@code p}, skipping others; fails after the hang guard. */
    JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode n = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (failure != null) {
                throw new AssertionError("an event failed: " + failure, failure);
            }
            if (n == null) {
                fail("no event: " + what);
            }
            if (p.test(n)) {
                return n;
            }
        }
    }

    static Predicate<JsonNode> type(String t) {
        return n -> n.path("type").asText().equals(t);
    }

    @Override
    public void close() throws Exception {
        readGate.countDown();
        client.stop();
    }
}
