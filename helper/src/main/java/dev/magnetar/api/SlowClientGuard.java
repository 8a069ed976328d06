package dev.magnetar.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's defence against slowloris: clients that open connections and send their request headers
 * a byte at a time, each byte just before Jetty's idle timeout, so that the connections never end.
 * Jetty 12 has no header timeout of its own (its rate limits apply to bodies, its DoS handlers to
 * requests already parsed), so this watches connections from outside:
 * <ul>
 *   <li><b>Header timeout</b>: once a connection has sent the first byte of a request, it has
 *       {@link Limits#headerTimeout} to get to the end of the headers; otherwise it is closed. Time
 *       spent handling a request (the body included) and time idle between requests do not count:
 *       idle keep-alive connections are Jetty's idle timeout's job.</li>
 *   <li><b>Connection cap per client address</b>: at most {@link Limits#maxWaitingPerClient}
 *       connections of one address may be new or part-way through a request's headers at once; the
 *       oldest of them is closed when another one opens. Kept-alive connections idle after a request
 *       do not count (Jetty's idle timeout ends them). Every client of this loopback API shares 127.0.0.1, so a cap
 *       that refused new connections would lock out the extension with the attacker; closing the
 *       oldest waiting connection instead keeps room for a client that sends its request at once.</li>
 * </ul>
 * Registered as a connector bean (Jetty then adds it to every connection it opens) and as the first
 * handler (to see when requests start and end).
 */
final class SlowClientGuard extends Handler.Wrapper implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);
    private static final long SWEEP_MILLIS = 250;

    /**
     * @param headerTimeout       how long a request may take from its first byte to the end of its headers
     * @param maxWaitingPerClient connections of one address waiting for (or sending) a request's headers
     */
    record Limits(Duration headerTimeout, int maxWaitingPerClient) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 32);

        Limits {
            if (headerTimeout.isNegative() || headerTimeout.isZero() || maxWaitingPerClient < 1) {
                throw new IllegalArgumentException("header timeout must be positive and the cap at least 1: " + headerTimeout + ", "
                        + maxWaitingPerClient);
            }
        }
    }

    /** What the guard knows of one open HTTP connection; guarded by the guard's lock. */
    private static final class Watched {
        final InetAddress client;
        boolean serving;
        boolean servedBefore;
        long bytesInWhenIdle;
        long requestStartedNanos = -1;

        Watched(InetAddress client) {
            this.client = client;
        }

        /**
         * New and not yet through its first request's headers, or sending the headers of its next one.
         * A kept-alive connection that has been served and sends nothing is not counted: that is the
         * extension between two fetches, which newcomers must not push out.
         */
        boolean awaitsHeaders() {
            return !serving && (!servedBefore || requestStartedNanos >= 0);
        }
    }

    private final Limits limits;
    private final long headerTimeoutNanos;
    /** In the order the connections opened: the first waiting one of a client is its oldest. */
    private final Map<Connection, Watched> connections = new LinkedHashMap<>();
    private ScheduledFuture<?> sweeper;

    SlowClientGuard(Limits limits) {
        this.limits = limits;
        this.headerTimeoutNanos = limits.headerTimeout().toNanos();
    }

    /** Starts looking for connections past their header timeout, every quarter second. */
    void startSweeping(ScheduledExecutorService timer) {
        sweeper = timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = clientOf(connection);
        // HTTP/1.1 connections only: a WebSocket that an upgrade put on the same endpoint sends frames, not headers.
        if (client == null || !(connection instanceof AbstractMetaDataConnection)) {
            return;
        }
        Connection evicted = null;
        synchronized (this) {
            connections.put(connection, new Watched(client));
            int waiting = 0;
            Connection oldest = null;
            for (Map.Entry<Connection, Watched> e : connections.entrySet()) {
                if (e.getValue().client.equals(client) && e.getValue().awaitsHeaders()) {
                    waiting++;
                    if (oldest == null) {
                        oldest = e.getKey();
                    }
                }
            }
            if (waiting > limits.maxWaitingPerClient()) {
                connections.remove(oldest);
                evicted = oldest;
            }
        }
        if (evicted != null) {
            LOG.debug("{} has more than {} connections waiting for a request: closing its oldest", client, limits.maxWaitingPerClient());
            evicted.close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        synchronized (this) {
            connections.remove(connection);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        synchronized (this) {
            Watched w = connections.get(connection);
            if (w != null) {
                w.serving = true;
            }
        }
        return super.handle(request, response, Callback.from(callback, () -> served(connection)));
    }

    /** The connection is back to waiting for its next request; only bytes that come after this start a header clock. */
    private void served(Connection connection) {
        synchronized (this) {
            Watched w = connections.get(connection);
            if (w != null) {
                w.serving = false;
                w.servedBefore = true;
                w.bytesInWhenIdle = connection.getBytesIn();
                w.requestStartedNanos = -1;
            }
        }
    }

    void sweep() {
        long now = System.nanoTime();
        List<Connection> late = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Connection, Watched>> it = connections.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Connection, Watched> e = it.next();
                Connection c = e.getKey();
                Watched w = e.getValue();
                if (c.getEndPoint().getConnection() != c) {
                    it.remove(); // upgraded (a WebSocket now runs on this endpoint): not an HTTP request any more
                    continue;
                }
                if (w.serving) {
                    continue;
                }
                if (w.requestStartedNanos < 0) {
                    if (c.getBytesIn() > w.bytesInWhenIdle) {
                        w.requestStartedNanos = now; // first bytes of a request seen: its headers' clock starts
                    }
                } else if (now - w.requestStartedNanos > headerTimeoutNanos) {
                    it.remove();
                    late.add(c);
                }
            }
        }
        for (Connection c : late) {
            LOG.debug("closing a connection from {} that sent no complete request headers within {}", clientOf(c), limits.headerTimeout());
            c.close();
        }
    }

    private static InetAddress clientOf(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
