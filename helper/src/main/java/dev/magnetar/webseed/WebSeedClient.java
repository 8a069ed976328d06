package dev.magnetar.webseed;

import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches byte ranges of web-seed files over HTTP(S) (RFC 9110 §14 range requests), for BEP 19.
 *
 * <p>Jetty's HttpClient, as for HTTP trackers: it is on the classpath already (the API server), it
 * streams the body through a listener so a reply is never buffered past the bytes asked for — a lying
 * {@code Content-Length} or a server sending a whole ISO instead of a range costs nothing — and it
 * bounds connections per server. Redirects are followed here rather than by Jetty so that each hop is
 * checked: http(s) only, at most {@link Settings#maxRedirects}, and in the {@link AddressScope} the
 * seed started in.
 *
 * <p>What a reply means: 206 with the asked {@code Content-Range} → the bytes; 200 (the server ignores
 * ranges) → the first bytes of the file are usable when the range starts at 0, otherwise the seed is
 * refused; 503/429 → {@link WebSeedBusyException} with its {@code Retry-After}; a 206 for another range,
 * or more bytes than asked → {@link WebSeedRefusedException}; anything else, a short body, a timeout,
 * a refused connection → a plain {@link WebSeedException} (try later).
 */
public final class WebSeedClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebSeedClient.class);
    /** A server's Retry-After beyond this is not believed: a seed is tried again within the hour. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    /**
     * @param maxConnectionsPerServer connections to one host:port at once (Jetty queues the rest)
     * @param maxRedirects redirects followed for one request before it counts as failed (a loop)
     */
    public record Settings(Duration connectTimeout, Duration idleTimeout, int maxConnectionsPerServer, int maxRedirects,
            String userAgent) {

        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(30), 4, 5, "Magnetar/0.1");

        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (maxConnectionsPerServer <= 0 || maxRedirects < 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final Settings settings;
    private final HttpClient http;

    /** A client that trusts the TLS certificates the Java runtime trusts (its {@code cacerts}). */
    public WebSeedClient(Settings settings) {
        this(settings, null);
    }

    /**
     * @param trustStore the only certificates (or CAs) an https web seed may present; null = the Java
     *     runtime's. Either way the chain and the host name (RFC 9110 §4.3.4) are checked: a mirror is
     *     used only once it is authenticated, since anyone on the path could otherwise feed it bytes
     *     that cost a hash failure each.
     */
    public WebSeedClient(Settings settings, KeyStore trustStore) {
        this.settings = settings;
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        if (trustStore != null) {
            tls.setTrustStore(trustStore);
        }
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        this.http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads());
        http.setFollowRedirects(false);
        http.setMaxConnectionsPerDestination(settings.maxConnectionsPerServer());
        http.setConnectTimeout(settings.connectTimeout().toMillis());
        http.setIdleTimeout(settings.idleTimeout().toMillis());
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, settings.userAgent()));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for web seeds", e);
        }
    }

    /**
     * Daemon threads that go after a minute without work (Jetty's default pool keeps eight for good):
     * most torrents have no web seed, and a helper runs for weeks.
     */
    private static QueuedThreadPool threads() {
        QueuedThreadPool pool = new QueuedThreadPool(8, 1, 60_000);
        pool.setName("web-seed-http");
        pool.setDaemon(true);
        return pool;
    }

    /** Exactly {@code range.length()} bytes of the file at {@code range.url()} from {@code range.offset()}. */
    public CompletableFuture<byte[]> fetch(FileRange range) {
        if (range.padding()) {
            return CompletableFuture.completedFuture(new byte[range.length()]);
        }
        Executor blocking = http.getExecutor();
        return CompletableFuture.supplyAsync(() -> scopeOf(range.url()), blocking)
                .thenCompose(scope -> get(range, range.url(), scope, settings.maxRedirects()));
    }

    private static AddressScope scopeOf(URI url) {
        try {
            return AddressScope.of(url.getHost());
        } catch (UnknownHostException e) {
            throw new java.util.concurrent.CompletionException(
                    new WebSeedException("cannot resolve " + url.getHost() + ": " + e.getMessage(), e));
        }
    }

    private CompletableFuture<byte[]> get(FileRange range, URI url, AddressScope scope, int redirectsLeft) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        long last = range.offset() + range.length() - 1;
        log.debug("GET {} bytes={}-{}", url, range.offset(), last);
        http.newRequest(url)
                .method(HttpMethod.GET)
                .headers(h -> h.put(HttpHeader.RANGE, "bytes=" + range.offset() + "-" + last))
                .timeout(settings.idleTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                .send(new RangeBody(range, url, result));
        return result.handle((bytes, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(bytes);
            }
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof Redirect r) {
                return redirect(range, url, r.location, scope, redirectsLeft);
            }
            return CompletableFuture.<byte[]>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<byte[]> redirect(FileRange range, URI from, String location, AddressScope scope, int redirectsLeft) {
        if (redirectsLeft <= 0) {
            return CompletableFuture.failedFuture(new WebSeedException(from + " redirected more than "
                    + settings.maxRedirects() + " times (a redirect loop?)", null));
        }
        URI to;
        try {
            to = WebSeedUrl.parse(from.resolve(location.strip()).toString());
        } catch (IllegalArgumentException | WebSeedRefusedException e) {
            return CompletableFuture.failedFuture(new WebSeedRefusedException(from + " redirects to \"" + location
                    + "\", which is not an http(s) URL"));
        }
        return CompletableFuture.supplyAsync(() -> scopeOf(to), http.getExecutor()).thenCompose(toScope -> {
            if (toScope != scope) {
                return CompletableFuture.failedFuture(new WebSeedRefusedException(from + " redirects from a "
                        + describe(scope) + " address to a " + describe(toScope) + " one (" + to.getHost()
                        + "); a web seed's redirects must stay where it started"));
            }
            return get(range, to, scope, redirectsLeft - 1);
        });
    }

    private static String describe(AddressScope scope) {
        return scope == AddressScope.LOCAL ? "local (loopback or private)" : "public";
    }

    /** Not an error: the reply was a redirect to {@code location}, to be checked and followed. */
    private static final class Redirect extends Exception {
        final String location;

        Redirect(String location) {
            super(null, null, false, false);
            this.location = location;
        }
    }

    /** Collects exactly the asked bytes, checking status and headers first; aborts as soon as the reply is wrong. */
    private final class RangeBody implements Response.Listener {
        private final FileRange range;
        private final URI url;
        private final CompletableFuture<byte[]> result;
        private final byte[] body;
        private int filled;
        private boolean done;

        RangeBody(FileRange range, URI url, CompletableFuture<byte[]> result) {
            this.range = range;
            this.url = url;
            this.result = result;
            this.body = new byte[range.length()];
        }

        @Override
        public void onHeaders(Response response) {
            int status = response.getStatus();
            switch (status) {
                case 206 -> checkContentRange(response);
                case 200 -> wholeFile(response);
                case 301, 302, 303, 307, 308 -> {
                    String location = response.getHeaders().get(HttpHeader.LOCATION);
                    finish(response, location == null
                            ? new WebSeedException(url + " answered " + status + " without a Location", null)
                            : new Redirect(location));
                }
                case 503, 429 -> finish(response, new WebSeedBusyException(url + " is busy (HTTP " + status + ")",
                        retryAfter(response.getHeaders().get(HttpHeader.RETRY_AFTER))));
                default -> finish(response, new WebSeedException(url + " answered HTTP " + status + " "
                        + Objects.toString(response.getReason(), ""), null));
            }
        }

        private void checkContentRange(Response response) {
            String contentRange = response.getHeaders().get(HttpHeader.CONTENT_RANGE);
            String expected = "bytes " + range.offset() + "-" + (range.offset() + range.length() - 1) + "/";
            if (contentRange == null || !contentRange.strip().startsWith(expected)) {
                finish(response, new WebSeedRefusedException(url + " sent the range \"" + contentRange + "\" when asked for "
                        + expected + "…: it does not serve ranges correctly"));
                return;
            }
            long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared >= 0 && declared != range.length()) {
                finish(response, new WebSeedRefusedException(url + " declared " + declared + " bytes for a range of "
                        + range.length()));
            }
        }

        private void wholeFile(Response response) {
            // RFC 9110 §14.2: a server may ignore Range and send the whole file. Its head is still the
            // range that starts at 0; reading up to a later range would download what we did not ask for.
            if (range.offset() != 0) {
                finish(response, new WebSeedRefusedException(url + " ignores HTTP range requests (it answered 200 with"
                        + " the whole file, not 206 with the range): Magnetar cannot fetch pieces from it"));
                return;
            }
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (done) {
                return;
            }
            int n = content.remaining();
            if (response.getStatus() == 200) {
                int take = Math.min(n, body.length - filled);
                content.get(body, filled, take);
                filled += take;
                if (filled == body.length) {
                    done = true;
                    result.complete(body); // the rest of the file is not wanted
                    response.abort(new WebSeedException("enough of " + url, null));
                }
                return;
            }
            if (filled + (long) n > body.length) {
                finish(response, new WebSeedRefusedException(url + " sent more than the " + range.length()
                        + " bytes asked for"));
                return;
            }
            content.get(body, filled, n);
            filled += n;
        }

        @Override
        public void onComplete(Result r) {
            if (done) {
                return;
            }
            done = true;
            if (r.isFailed()) {
                Throwable t = r.getFailure();
                CertificateException untrusted = certificateProblem(t);
                if (untrusted != null) {
                    result.completeExceptionally(new WebSeedRefusedException(url + " presented a TLS certificate this"
                            + " helper does not trust (" + whyUntrusted(untrusted) + "); Magnetar does not use"
                            + " an https web seed it cannot authenticate"));
                    return;
                }
                String what = t instanceof TimeoutException ? "did not answer in time" : describe(t);
                result.completeExceptionally(new WebSeedException(r.getResponse().getStatus() > 0
                        ? url + " sent " + filled + " of the " + body.length + " bytes asked for, then failed: " + what
                        : url + ": " + what, t));
            } else if (filled != body.length) {
                result.completeExceptionally(new WebSeedException(url + " sent " + filled + " of the " + body.length
                        + " bytes asked for", null));
            } else {
                result.complete(body);
            }
        }

        private void finish(Response response, Exception why) {
            if (!done) {
                done = true;
                result.completeExceptionally(why);
                response.abort(why);
            }
        }
    }

    /**
     * The certificate check that failed a TLS handshake (an unknown issuer, a self-signed or expired
     * certificate, a host name it does not name), or null if the failure was something else: no retry
     * mends those, while a refused connection or a timeout may pass.
     */
    private static CertificateException certificateProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CertificateException ce) {
                return ce;
            }
        }
        return null;
    }

    /** Why, in words: the JDK's own messages name its internal classes when no CA vouches for the certificate. */
    private static String whyUntrusted(CertificateException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CertificateExpiredException) {
                return "it has expired";
            }
            if (c instanceof CertificateNotYetValidException) {
                return "it is not valid yet";
            }
            if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException) {
                return "no certificate authority this helper trusts vouches for it: self-signed, or from an unknown CA";
            }
        }
        String m = e.getMessage();
        // e.g. "No subject alternative names matching IP address 127.0.0.1 found": the name check failed
        return m == null ? "no reason given" : m.length() > 160 ? m.substring(0, 157) + "…" : m;
    }

    /** A failure in words a user can read (Jetty's messages can be a dump of the connection's state). */
    private static String describe(Throwable t) {
        String m = t.getMessage();
        String kind = t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException
                ? "the connection was closed" : t.getClass().getSimpleName();
        return m == null || m.length() > 160 || m.contains("@") ? kind : kind + ": " + m;
    }

    /** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; null if absent or unreadable; at most an hour. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            log.debug("stopping the web seed HTTP client failed", e);
        }
    }
}
