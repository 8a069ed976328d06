package dev.magnetar.api;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * What {@link SlowClientGuard} knows of the open HTTP connections, without Jetty: which of them are
 * waiting for (or part-way through) a request's headers, since when, which one to close when a client
 * has too many waiting, and which are past the header timeout. Times are {@code System.nanoTime()}
 * values given by the caller. Not thread-safe: the guard holds its lock around every call.
 *
 * @param <C> the connection
 */
final class WaitingConnections<C> {

    private static final class State {
        final InetAddress client;
        final long openedNanos;
        boolean serving;
        boolean servedBefore;
        long bytesInWhenIdle;
        long requestStartedNanos = -1;

        State(InetAddress client, long openedNanos) {
            this.client = client;
            this.openedNanos = openedNanos;
        }
    }

    private final ToLongFunction<C> bytesIn;
    private final Map<C, State> states = new LinkedHashMap<>();

    /** @param bytesIn how many bytes a connection has received so far */
    WaitingConnections(ToLongFunction<C> bytesIn) {
        this.bytesIn = bytesIn;
    }

    /**
     * A connection of {@code client} opened. If the client now has more than {@code maxWaiting}
     * connections waiting for request headers, the one to close (already forgotten here): a connection
     * that never completed a request before one that did — the extension's kept-alive connection, whose
     * next request has only just begun to arrive, is the last one a flood of new connections may push
     * out — and among those the one waiting longest.
     */
    Optional<C> opened(C connection, InetAddress client, long nowNanos, int maxWaiting) {
        states.put(connection, new State(client, nowNanos));
        int waiting = 0;
        C victim = null;
        State victimState = null;
        for (Map.Entry<C, State> e : states.entrySet()) {
            State s = e.getValue();
            if (!s.client.equals(client) || !awaitsHeaders(e.getKey(), s)) {
                continue;
            }
            waiting++;
            if (victim == null || evictsBefore(s, victimState, nowNanos)) {
                victim = e.getKey();
                victimState = s;
            }
        }
        if (waiting <= maxWaiting) {
            return Optional.empty();
        }
        states.remove(victim);
        return Optional.of(victim);
    }

    void closed(C connection) {
        states.remove(connection);
    }

    /** A request's headers are complete and it is being handled: no header clock while it is. */
    void serving(C connection) {
        State s = states.get(connection);
        if (s != null) {
            s.serving = true;
        }
    }

    /** The response is done: back to waiting for the next request, whose bytes start a new header clock. */
    void served(C connection) {
        State s = states.get(connection);
        if (s != null) {
            s.serving = false;
            s.servedBefore = true;
            s.bytesInWhenIdle = bytesIn.applyAsLong(connection);
            s.requestStartedNanos = -1;
        }
    }

    /** No longer an HTTP connection to watch (a WebSocket took over its endpoint). */
    void forget(C connection) {
        states.remove(connection);
    }

    /**
     * Starts the header clock of connections whose request bytes have begun to arrive, and returns (and
     * forgets) those whose headers took longer than {@code headerTimeoutNanos}.
     */
    List<C> late(long nowNanos, long headerTimeoutNanos) {
        List<C> late = new ArrayList<>();
        for (Iterator<Map.Entry<C, State>> it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<C, State> e = it.next();
            State s = e.getValue();
            if (s.serving) {
                continue;
            }
            if (s.requestStartedNanos < 0) {
                if (bytesIn.applyAsLong(e.getKey()) > s.bytesInWhenIdle) {
                    s.requestStartedNanos = nowNanos;
                }
            } else if (nowNanos - s.requestStartedNanos > headerTimeoutNanos) {
                it.remove();
                late.add(e.getKey());
            }
        }
        return late;
    }

    /** The connections watched, oldest first (for the guard's sweep, which looks at their endpoints). */
    List<C> watched() {
        return new ArrayList<>(states.keySet());
    }

    /**
     * New and not yet through its first request's headers, or sending the headers of its next one. A
     * kept-alive connection that has been served and sent nothing since is not counted: that is the
     * extension between two fetches, which newcomers must not push out.
     */
    private boolean awaitsHeaders(C connection, State s) {
        return !s.serving && (!s.servedBefore || s.requestStartedNanos >= 0 || bytesIn.applyAsLong(connection) > s.bytesInWhenIdle);
    }

    private static boolean evictsBefore(State a, State b, long nowNanos) {
        if (a.servedBefore != b.servedBefore) {
            return !a.servedBefore;
        }
        return waitingSince(a, nowNanos) - waitingSince(b, nowNanos) < 0; // nanoTime values: compare differences
    }

    /** Since when a connection waits for headers: since it opened, or since its next request began (if seen yet: now). */
    private static long waitingSince(State s, long nowNanos) {
        if (!s.servedBefore) {
            return s.openedNanos;
        }
        return s.requestStartedNanos >= 0 ? s.requestStartedNanos : nowNanos;
    }
}
