package dev.magnetar.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real Jetty server on 127.0.0.1 serving a folder with HTTP range support (RFC 9110 §14), for web
 * seed (BEP 19) tests — and told to misbehave: lie, be busy, ignore ranges, cut bodies short, redirect.
 * Counts requests and the most it served at once.
 */
public final class WebSeedServer implements AutoCloseable {

    /** How it answers. */
    public enum Mode {
        /** 206 with the asked bytes. */
        HONEST,
        /** 206 with every byte of the range inverted. */
        LIE,
        /** 503 with {@code Retry-After} for the next {@link #busyFor} requests, then honest. */
        BUSY,
        /** 200 with the whole file, whatever the Range. */
        IGNORE_RANGES,
        /** 206 with the right headers, half the body, then the connection dropped. */
        SHORT_BODY,
        /** 206 claiming a terabyte of body for the range. */
        HUGE_LENGTH,
        /** 302 to the same URL, forever. */
        REDIRECT_LOOP,
        /** 302 to {@link #redirectTo} + the path. */
        REDIRECT
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private final Path root;
    private final Server server = new Server();
    private final ServerConnector connector;
    private final String scheme;
    private volatile Mode mode = Mode.HONEST;
    private volatile String redirectTo;
    private volatile long retryAfterSeconds = 1;
    private final AtomicInteger busyFor = new AtomicInteger();
    private volatile long bytesPerSecond;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    /** Serves the files under {@code root} over http; started at once. */
    public WebSeedServer(Path root) throws Exception {
        this(root, null);
    }

    /** Serves the files under {@code root} over https with {@code tls}'s certificate (http if null); started at once. */
    public WebSeedServer(Path root, SslContextFactory.Server tls) throws Exception {
        this.root = root.toAbsolutePath().normalize();
        this.connector = tls == null ? new ServerConnector(server, 1, 1) : new ServerConnector(server, 1, 1, tls);
        this.scheme = tls == null ? "http" : "https";
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                requests.incrementAndGet();
                try {
                    serve(request, response, callback);
                } finally {
                    inFlight.decrementAndGet();
                }
                return true;
            }
        });
        server.start();
    }

    public URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + connector.getLocalPort() + path);
    }

    public WebSeedServer mode(Mode m) {
        this.mode = m;
        return this;
    }

    /** {@link Mode#BUSY} for the next {@code requests} requests, asking for {@code seconds} of patience. */
    public WebSeedServer busy(int requestCount, long seconds) {
        busyFor.set(requestCount);
        retryAfterSeconds = seconds;
        this.mode = Mode.BUSY;
        return this;
    }

    /** {@link Mode#REDIRECT} to {@code base} (scheme://host:port, no trailing slash). */
    public WebSeedServer redirectTo(String base) {
        this.redirectTo = base;
        this.mode = Mode.REDIRECT;
        return this;
    }

    /** Sends at most this many bytes per second per request (0: as fast as it can). */
    public WebSeedServer throttle(long rate) {
        this.bytesPerSecond = rate;
        return this;
    }

    public int requests() {
        return requests.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The decoded paths asked for, in order. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    private void serve(Request request, Response response, Callback callback) throws IOException {
        String rawPath = request.getHttpURI().getPath();
        String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        paths.add(path);
        Mode m = mode;
        if (m == Mode.BUSY) {
            if (busyFor.getAndDecrement() > 0) {
                response.setStatus(503);
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
                callback.succeeded();
                return;
            }
            m = Mode.HONEST;
        }
        if (m == Mode.REDIRECT_LOOP || m == Mode.REDIRECT) {
            response.setStatus(302);
            response.getHeaders().put(HttpHeader.LOCATION, m == Mode.REDIRECT ? redirectTo + rawPath : rawPath);
            callback.succeeded();
            return;
        }
        Path file = root.resolve(path.substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            Response.writeError(request, response, callback, 404);
            return;
        }
        long size = Files.size(file);
        String range = request.getHeaders().get(HttpHeader.RANGE);
        Matcher r = range == null ? null : RANGE.matcher(range);
        long start = 0;
        long end = size - 1;
        if (m != Mode.IGNORE_RANGES && r != null && r.matches()) {
            start = Long.parseLong(r.group(1));
            end = Math.min(size - 1, Long.parseLong(r.group(2)));
            if (start > end) {
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                Response.writeError(request, response, callback, 416);
                return;
            }
            response.setStatus(206);
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
        } else {
            response.setStatus(200);
        }
        long length = end - start + 1;
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, m == Mode.HUGE_LENGTH ? 1L << 40 : length);
        long send = m == Mode.SHORT_BODY ? length / 2 : length;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            OutputStream out = Content.Sink.asOutputStream(response);
            in.seek(start);
            byte[] chunk = new byte[16 * 1024];
            long left = send;
            while (left > 0) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (m == Mode.LIE) {
                    for (int i = 0; i < n; i++) {
                        chunk[i] = (byte) ~chunk[i];
                    }
                }
                out.write(chunk, 0, n);
                left -= n;
                pace(n);
            }
            if (send < length) {
                out.flush();
                callback.failed(new IOException("dropping the connection mid-body, as told"));
                return;
            }
            out.close();
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e); // the client hung up (it had enough): nothing to answer
        }
    }

    /** A slow server: waits as long as {@code n} bytes take at the throttled rate. */
    private void pace(int n) {
        long rate = bytesPerSecond;
        if (rate > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(n * 1_000_000_000L / rate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
