package dev.magnetar.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out to every connected WebSocket client. {@link #publish} encodes once and hands the
 * text to each client's bounded outbox; it never waits for a network write, so the engine, the
 * approval store and the wallet can publish from their own threads (even under their locks).
 */
public final class EventHub {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    public static final int DEFAULT_QUEUE_CAPACITY = 256;

    private final List<EventClient> clients = new CopyOnWriteArrayList<>(); // in connection order
    private final Supplier<ApiEvent.Snapshot> snapshots;
    private final int queueCapacity;
    private final Executor sender;

    public EventHub(Supplier<ApiEvent.Snapshot> snapshots, int queueCapacity, Executor sender) {
        this.snapshots = snapshots;
        this.queueCapacity = queueCapacity;
        this.sender = sender;
    }

    /**
     * The events' writer and the resync notice, made when the first client connects or the first event is
     * published to one: building the writer resolves the serializers of every event type, ~17 ms of the
     * daemon's main thread before its API could answer (async-profiler, bench/README.md), for a stream that
     * an idle daemon may never serve. A holder class, so the JVM makes them once, on first use, thread-safely.
     */
    private static final class Encoding {
        static final ObjectWriter WRITER = Json.mapper().writerFor(ApiEvent.class);
        static final String RESYNC = encode(new ApiEvent.Resync("events were dropped because this client read too slowly; a snapshot follows"));
    }

    public void publish(ApiEvent event) {
        if (clients.isEmpty()) {
            return;
        }
        String json = encode(event);
        for (EventClient c : clients) {
            c.offer(json);
        }
    }

    /** Registers a client and starts it with a snapshot taken now. */
    EventClient connect(EventClient.Sink sink) {
        EventClient[] self = new EventClient[1];
        EventClient client = new EventClient(sink, queueCapacity, sender, () -> encode(snapshots.get()), Encoding.RESYNC,
                () -> disconnect(self[0]));
        self[0] = client;
        clients.add(client); // registered before the snapshot is taken, so no event falls between the two
        client.start();
        return client;
    }

    void disconnect(EventClient client) {
        if (client != null && clients.remove(client)) {
            client.close();
        }
    }

    public int clientCount() {
        return clients.size();
    }

    /** Resyncs forced on each connected client, in the order they connected. */
    public List<Long> resyncsByClient() {
        return clients.stream().map(EventClient::resyncs).toList();
    }

    public void closeAll() {
        for (EventClient c : List.copyOf(clients)) {
            disconnect(c);
        }
    }

    private static String encode(ApiEvent event) {
        try {
            return Encoding.WRITER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            LOG.error("cannot encode event {}", event.getClass().getSimpleName(), e);
            throw new IllegalStateException("event records are always encodable", e);
        }
    }
}
