package dev.magnetar.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 *       connections of one address may be new or part-way through a request's headers at once; when
 *       another one opens, the one waiting longest is closed — one that never completed a request
 *       before one that did, so a kept-alive connection whose next request has just begun to arrive
 *       is not the flood's victim ({@link WaitingConnections}). Kept-alive connections idle after a
 *       request do not count (Jetty's idle timeout ends them). Every client of this loopback API shares
 *       127.0.0.1, so a cap that refused new connections would lock out the extension with the
 *       attacker; closing a waiting connection instead keeps room for a client that sends its request at once.</li>
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

    private final Limits limits;
    private final long headerTimeoutNanos;
    /** Guarded by this. */
    private final WaitingConnections<Connection> connections = new WaitingConnections<>(Connection::getBytesIn);
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
        Optional<Connection> evicted;
        synchronized (this) {
            evicted = connections.opened(connection, client, System.nanoTime(), limits.maxWaitingPerClient());
        }
        evicted.ifPresent(c -> {
            LOG.debug("{} has more than {} connections waiting for a request: closing the one waiting longest", client,
                    limits.maxWaitingPerClient());
            c.close();
        });
    }

    @Override
    public void onClosed(Connection connection) {
        synchronized (this) {
            connections.closed(connection);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        synchronized (this) {
            connections.serving(connection);
        }
        return super.handle(request, response, Callback.from(callback, () -> served(connection)));
    }

    /** The connection is back to waiting for its next request; only bytes that come after this start a header clock. */
    private void served(Connection connection) {
        synchronized (this) {
            connections.served(connection);
        }
    }

    void sweep() {
        List<Connection> late;
        synchronized (this) {
            for (Connection c : connections.watched()) {
                if (c.getEndPoint().getConnection() != c) {
                    connections.forget(c); // upgraded (a WebSocket now runs on this endpoint): not an HTTP request any more
                }
            }
            late = connections.late(System.nanoTime(), headerTimeoutNanos);
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
