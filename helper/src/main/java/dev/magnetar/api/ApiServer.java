package dev.magnetar.api;

import dev.magnetar.api.ApiMessages.Approval;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The helper's HTTP + WebSocket API on loopback only: 127.0.0.1, and ::1 on the same port when the
 * machine has IPv6. Handler chain: {@link SlowClientGuard} → {@link SecurityHandler} → WebSocket upgrade for
 * {@code /api/v1/events} → {@link Router} over {@link ApiRoutes#table}.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /**
     * @param port           0 = any free port
     * @param eventQueueSize per-client outbox size before drop-and-resync
     * @param clientLimits   the header timeout and the per-client cap on waiting connections (slowloris)
     */
    public record Config(int port, String token, List<String> chromeExtensionIds, int eventQueueSize,
            SlowClientGuard.Limits clientLimits, Streams streams) {
        public Config(int port, String token, List<String> chromeExtensionIds, int eventQueueSize) {
            this(port, token, chromeExtensionIds, eventQueueSize, SlowClientGuard.Limits.DEFAULT);
        }

        public Config(int port, String token, List<String> chromeExtensionIds, int eventQueueSize, SlowClientGuard.Limits clientLimits) {
            this(port, token, chromeExtensionIds, eventQueueSize, clientLimits, Streams.DEFAULT);
        }

        public Config withStreams(Streams s) {
            return new Config(port, token, chromeExtensionIds, eventQueueSize, clientLimits, s);
        }

        public static Config of(int port, String token, List<String> chromeExtensionIds) {
            return new Config(port, token, chromeExtensionIds, EventHub.DEFAULT_QUEUE_CAPACITY);
        }
    }

    /**
     * The player's capability URLs.
     *
     * @param pieceWait how long a read waits for a missing piece before answering 503
     * @param clock     when grants expire
     */
    public record Streams(Duration pieceWait, java.time.Clock clock) {
        public static final Streams DEFAULT = new Streams(StreamContentHandler.DEFAULT_PIECE_WAIT, java.time.Clock.systemUTC());
    }

    /**
     * How long a connection may sit without a byte either way. Jetty counts a route that is still working
     * as idle and, at its default 30 s, fails the request and closes the connection without an answer; a
     * wallet route waits up to the chain's start patience (30 s) before it answers, so under load a client
     * lost an approval's answer that way (DaemonRestartTest, load 32). Longer than any route's bounded wait;
     * clients that dawdle over their headers are {@link SlowClientGuard}'s, not this timeout's.
     */
    public static final Duration CONNECTION_IDLE_TIMEOUT = Duration.ofMinutes(2);

    /** The most threads the API runs on; nothing may hold one while it waits (a stream waits for pieces without one). */
    static final int THREADS = 32;

    /** The threads the API keeps when nothing asks it anything. */
    static final int IDLE_THREADS = 4;

    /**
     * The API's threads: up to {@link #THREADS}, and back to {@link #IDLE_THREADS} once a busy spell is over. Jetty's
     * pool ends an idle thread after its idle timeout (60 s) but, by default, one thread per idle timeout, so the
     * threads a burst of requests started outlived it by minutes: a soak's daemon had 11 API threads as its final idle
     * began and still 7 five minutes later, against 5 at its warm idle, with their stacks and native thread state (NMT
     * "Thread" +1.0 MiB over the hour, bench/README.md). Every thread idle for the timeout may now end at once.
     */
    static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(THREADS, IDLE_THREADS);
        pool.setName("api");
        pool.setMaxEvictCount(THREADS - IDLE_THREADS);
        return pool;
    }

    private final Server server;
    private final EventHub hub;
    private final ExecutorService eventSender;
    private final ScheduledExecutorService sweeps;
    private final List<AutoCloseable> subscriptions;
    private final Router router;
    private final int port;

    private ApiServer(Server server, EventHub hub, ExecutorService eventSender, ScheduledExecutorService sweeps,
            List<AutoCloseable> subscriptions, Router router, int port) {
        this.server = server;
        this.hub = hub;
        this.eventSender = eventSender;
        this.sweeps = sweeps;
        this.subscriptions = subscriptions;
        this.router = router;
        this.port = port;
    }

    /**
     * Jetty's thread pool queue pads its slots to a cache line, and unless this property is set it
     * asks the platform MBean server whether references are compressed: that first MBean server use
     * loads ~290 JMX classes and registers every platform MXBean, ~0.1–0.2 s on the daemon's start-up
     * path (async-profiler, wall clock). 16 references per 64-byte line is right with compressed
     * references (heaps under 32 GiB, the helper's case) and only pads more than needed without them.
     */
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    /**
     * Jetty's {@code MimeTypes}, which every {@link Server} sets up, lists every locale the JVM has
     * ({@code Locale.getAvailableLocales()}) in its static initialiser: 0.1–0.3 s of one core on a cold
     * JVM, on the start's critical path. Called first thing in a start, this does it on a thread of
     * its own while the caller reads its files and opens the engine; {@link #start} then finds it done
     * (or waits for it, as class initialisation does).
     *
     * <p>Only once Logback is configured (the daemon's main thread does that first): a thread that touches SLF4J
     * while another one initialises it gets SLF4J's substitute factory, and {@code DaemonLogFile}'s cast to Logback's
     * context then fails the start. A warm-up thread begun first thing in {@code main} (Jetty's loggers, Jackson's
     * settings reader) did exactly that: exit 1 with a {@code ClassCastException} in 2 of its 3 starts (session 18).
     */
    public static void prepareInBackground() {
        Thread t = new Thread(() -> {
            for (String name : PREPARED_CLASSES) {
                try {
                    Class.forName(name, true, ApiServer.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) { // the server's own start reports a broken class path
                    LOG.debug("preloading {} failed: {}", name, e.toString());
                }
            }
            // The first SecureRandom reads the security providers' configuration: ~9 ms of the main thread (the API token's) otherwise.
            new SecureRandom().nextInt();
        }, "api-prepare");
        t.setDaemon(true);
        t.start();
    }

    /** How many connections the kernel queues before the server accepts them: Jetty's own default (acceptQueueSize 0). */
    private static final int BACKLOG = 50;

    /**
     * Binds the API's port on 127.0.0.1 without serving it yet, so that the daemon can announce the port
     * while the server still starts ({@link #start(Config, ApiServices, ServerSocketChannel)}). A client that
     * connects meanwhile waits in the kernel's backlog: nothing reads its request until the finished server
     * (its Host, Origin and token checks included) accepts the connection.
     *
     * @param port 0 = any free port
     */
    public static ServerSocketChannel listen(int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as Jetty binds: a restart reuses a port in TIME_WAIT
            channel.bind(new InetSocketAddress("127.0.0.1", port), BACKLOG);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot start the API on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * What {@link #prepareInBackground} initialises: MIME types for the server, then what the first request's path
     * initialises in its accept-to-handler ~50 ms (session 19's marks: the queued connection reached the security
     * handler 50–60 ms after the connector started) — the parser's and generator's tables, URI and compliance modes.
     * With the SecureRandom below, against the same build without (bench/api --startup-only --rt-priority, 8 alternating
     * rounds, load 11–12): API ready 559 vs 589 ms (medians), lower or equal in 7 of 8 rounds, CPU to ready 0.82 vs 0.88 s.
     */
    private static final List<String> PREPARED_CLASSES = List.of("org.eclipse.jetty.http.MimeTypes", "org.eclipse.jetty.http.HttpParser",
            "org.eclipse.jetty.http.HttpGenerator", "org.eclipse.jetty.http.HttpURI", "org.eclipse.jetty.http.UriCompliance",
            "org.eclipse.jetty.server.internal.HttpConnection", "org.eclipse.jetty.server.internal.HttpChannelState");

    /** Binds and starts serving; the port is listening when this returns. */
    public static ApiServer start(Config config, ApiServices services) throws IOException {
        return start(config, services, listen(config.port()));
    }

    /**
     * Starts serving on a channel {@link #listen} bound ({@link Config#port} is not used); connections that
     * waited in its backlog are answered from here on. Owns the channel: closes it on failure and on {@link #close}.
     */
    public static ApiServer start(Config config, ApiServices services, ServerSocketChannel listening) throws IOException {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
        }
        ExecutorService eventSender = Executors.newFixedThreadPool(2, new DefaultThreadFactory("api-event-sender", true));
        EventHub hub = new EventHub(() -> snapshot(services), config.eventQueueSize(), eventSender);

        Server server = new Server(threadPool());
        StreamGrants grants = new StreamGrants(config.streams().clock(), new java.security.SecureRandom());
        java.util.concurrent.atomic.AtomicInteger boundPort = new java.util.concurrent.atomic.AtomicInteger();
        Router router = new Router(ApiRoutes.table(services, new StreamRoutes(services.torrents(), grants, services.opener(), boundPort::get)));
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.setMaxTextMessageSize(64 * 1024);
            container.addMapping(EventSocket.PATH, (req, resp, cb) -> {
                if (!req.hasSubProtocol(EventSocket.SUBPROTOCOL)) {
                    resp.setStatus(400);
                    cb.succeeded();
                    return null;
                }
                resp.setAcceptedSubProtocol(EventSocket.SUBPROTOCOL);
                return new EventSocket(hub);
            });
        });
        ws.setHandler(router);
        StreamContentHandler content = new StreamContentHandler(services.torrents(), grants, config.streams().pieceWait());
        SecurityHandler security = new SecurityHandler(config.token(), new OriginPolicy(config.chromeExtensionIds()), content, ws);
        SlowClientGuard guard = new SlowClientGuard(config.clientLimits());
        guard.setHandler(security);
        server.setHandler(guard);

        ServerConnector v4 = new ServerConnector(server);
        v4.setIdleTimeout(CONNECTION_IDLE_TIMEOUT.toMillis());
        v4.addBean(guard);
        server.addConnector(v4);
        List<AutoCloseable> subscriptions;
        ScheduledExecutorService sweeps = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("api-client-sweeper", true));
        int bound = listening.socket().getLocalPort();
        try {
            // Known before the start: the Host check is in place before the first connection is accepted.
            security.setPort(bound);
            boundPort.set(bound);
            v4.open(listening);
            server.start();
            addIpv6(server, bound, guard);
            guard.startSweeping(sweeps);
            subscriptions = new java.util.ArrayList<>(subscribe(services, hub));
            subscriptions.add(services.torrents().subscribe(e -> {
                if (e instanceof dev.magnetar.engine.EngineEvent.TorrentRemoved removed) {
                    grants.revokeTorrent(removed.infoHash().hex());
                }
            }));
        } catch (Exception e) {
            stopQuietly(server);
            closeQuietly(listening); // Jetty closes it only once it opened it
            eventSender.shutdownNow();
            sweeps.shutdownNow();
            throw new IOException("cannot start the API on 127.0.0.1:" + bound + ": " + e.getMessage(), e);
        }
        LOG.info("API listening on 127.0.0.1:{}", bound);
        return new ApiServer(server, hub, eventSender, sweeps, subscriptions, router, bound);
    }

    public int port() {
        return port;
    }

    public EventHub events() {
        return hub;
    }

    public List<Route> routes() {
        return router.routes();
    }

    @Override
    public void close() {
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) { // closing a subscription must not stop the rest of the shutdown
                LOG.warn("unsubscribe failed", e);
            }
        }
        hub.closeAll();
        stopQuietly(server);
        sweeps.shutdownNow();
        eventSender.shutdownNow();
    }

    /**
     * Engine, approvals and wallet feed the hub; each source only enqueues. Progress too comes from the
     * engine (once a second per active torrent), so each {@code torrent_updated} has one producer.
     */
    private static List<AutoCloseable> subscribe(ApiServices s, EventHub hub) {
        AutoCloseable engine = s.torrents().subscribe(e -> EngineEventMapping.toApi(e).ifPresent(hub::publish));
        s.approvals().addListener(b -> {
            Approval a = Approval.of(b, s.approvals().clock().instant());
            hub.publish(new ApiEvent.ApprovalChanged(a, a.state().equals("PENDING")));
        });
        s.wallet().addListener(w -> hub.publish(new ApiEvent.WalletChanged(w)));
        return List.of(engine);
    }

    static ApiEvent.Snapshot snapshot(ApiServices s) {
        Instant now = s.approvals().clock().instant();
        return new ApiEvent.Snapshot(s.torrents().list(), s.approvals().budgets().stream().map(b -> Approval.of(b, now)).toList(),
                s.wallet().status());
    }

    private static void addIpv6(Server server, int port, SlowClientGuard guard) {
        try {
            InetAddress.getByName("::1");
            ServerConnector v6 = new ServerConnector(server);
            v6.setIdleTimeout(CONNECTION_IDLE_TIMEOUT.toMillis());
            v6.setHost("::1");
            v6.setPort(port);
            v6.addBean(guard);
            server.addConnector(v6);
            try {
                v6.start();
            } catch (Exception e) {
                server.removeConnector(v6);
                throw e;
            }
        } catch (Exception e) { // no IPv6 loopback here: 127.0.0.1 alone is fine
            LOG.debug("not listening on [::1]:{}: {}", port, e.toString());
        }
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) { // failing anyway; the start's error says why
            LOG.debug("closing the API's channel: {}", e.toString());
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) { // shutting down anyway
            LOG.warn("API server did not stop cleanly", e);
        }
    }
}
