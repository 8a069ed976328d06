package dev.magnetar.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One WebSocket subscriber's outbox: a bounded queue drained one message at a time on the sender
 * executor. {@link #offer} never blocks, so a publisher (the engine thread) cannot be stalled by a
 * slow client. When the queue is full everything queued is dropped and replaced by a {@code resync}
 * marker; when the client gets there it is sent {@code resync} and then a snapshot built at that
 * moment, so it catches up without replaying what it missed.
 */
final class EventClient {

    /** Where messages go: a WebSocket session in production. {@code done} runs once the send finished or failed. */
    interface Sink {
        void send(String text, SendResult done);

        void close();
    }

    interface SendResult {
        void sent();

        void failed(Throwable cause);
    }

    private static final Object RESYNC = new Object();
    private static final Object SNAPSHOT = new Object();

    private final Sink sink;
    private final int capacity;
    private final Executor sender;
    private final Supplier<String> snapshot;
    private final String resyncMessage;
    private final Runnable onFailure;

    private final Deque<Object> queue = new ArrayDeque<>(); // guarded by this
    private boolean started; // guarded by this
    private boolean sending; // guarded by this
    private boolean closed; // guarded by this
    private long resyncs; // guarded by this

    EventClient(Sink sink, int capacity, Executor sender, Supplier<String> snapshot, String resyncMessage, Runnable onFailure) {
        this.sink = sink;
        this.capacity = capacity;
        this.sender = sender;
        this.snapshot = snapshot;
        this.resyncMessage = resyncMessage;
        this.onFailure = onFailure;
    }

    /** Begins delivery with the snapshot ahead of anything queued since the client registered. */
    void start() {
        synchronized (this) {
            queue.addFirst(SNAPSHOT);
            started = true;
        }
        pump();
    }

    /** Queues a message; never blocks. */
    void offer(String json) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                queue.clear();
                queue.add(RESYNC);
                resyncs++;
            } else {
                queue.add(json);
            }
        }
        pump();
    }

    synchronized long resyncs() {
        return resyncs;
    }

    void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
        sink.close();
    }

    private void pump() {
        synchronized (this) {
            if (!started || sending || closed || queue.isEmpty()) {
                return;
            }
            sending = true;
        }
        sender.execute(this::sendNext);
    }

    private void sendNext() {
        Object next;
        synchronized (this) {
            next = queue.poll();
            if (next == null || closed) {
                sending = false;
                return;
            }
            if (next == RESYNC) {
                queue.addFirst(SNAPSHOT);
            }
        }
        String text = next == RESYNC ? resyncMessage : next == SNAPSHOT ? snapshot.get() : (String) next;
        sink.send(text, new SendResult() {
            @Override
            public void sent() {
                synchronized (EventClient.this) {
                    sending = false;
                }
                pump();
            }

            @Override
            public void failed(Throwable cause) {
                org.slf4j.LoggerFactory.getLogger(EventClient.class).debug("event client send failed; disconnecting it: {}", cause.toString());
                synchronized (EventClient.this) {
                    sending = false;
                }
                onFailure.run();
            }
        });
    }
}
