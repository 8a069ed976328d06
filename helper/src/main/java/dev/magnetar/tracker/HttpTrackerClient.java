package dev.magnetar.tracker;

import dev.magnetar.metainfo.InfoHash;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces and scrapes over HTTP(S) (BEP 3, BEP 23, BEP 7, BEP 48).
 *
 * <p>Jetty's HttpClient rather than java.net.http: it is already on the classpath for the embedded
 * tracker and the API, it streams the body through a listener so the size limit is enforced while
 * reading (and after gzip decoding) instead of after buffering, and redirects are capped by one
 * setting. The query is built by hand (see {@link PercentEncoding}) because info_hash and peer_id are
 * raw bytes.
 */
public final class HttpTrackerClient implements TrackerClient, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpTrackerClient.class);

    /**
     * @param maxBodyBytes replies larger than this are refused; real ones are a few KiB even with 200 peers
     * @param maxRedirects redirects followed before giving up
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, int maxBodyBytes, int maxRedirects,
            String userAgent) {

        public static final Settings DEFAULTS =
                new Settings(Duration.ofSeconds(10), Duration.ofSeconds(30), 2 << 20, 3, "Magnetar/0.1");

        public Settings {
            Objects.requireNonNull(connectTimeout);
            Objects.requireNonNull(requestTimeout);
            if (maxBodyBytes <= 0 || maxRedirects < 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final Settings settings;
    private final HttpClient http;

    public HttpTrackerClient() {
        this(Settings.DEFAULTS);
    }

    public HttpTrackerClient(Settings settings) {
        this.settings = settings;
        this.http = new HttpClient();
        http.setExecutor(threads());
        http.setFollowRedirects(true);
        http.setMaxRedirects(settings.maxRedirects());
        http.setConnectTimeout(settings.connectTimeout().toMillis());
        http.setIdleTimeout(settings.requestTimeout().toMillis());
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, settings.userAgent()));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
    }

    /**
     * A few announces a minute need few threads: Jetty's default pool keeps 8 threads idle for good (a
     * helper left running for weeks holds their stacks and C-heap arenas); this one keeps one, the
     * selector, and lets the others go after a minute without work.
     */
    private static QueuedThreadPool threads() {
        QueuedThreadPool pool = new QueuedThreadPool(8, 1, 60_000);
        pool.setName("tracker-http");
        pool.setDaemon(true);
        return pool;
    }

    @Override
    public CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest request) {
        try {
            HttpTrackerUrls.requireHttp(tracker);
        } catch (TrackerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return get(tracker, HttpTrackerUrls.announce(tracker, request))
                .thenCompose(body -> parse(() -> HttpTrackerResponses.parseAnnounce(tracker, body)));
    }

    @Override
    public CompletableFuture<ScrapeResponse> scrape(URI tracker, List<InfoHash> infoHashes) {
        URI url;
        try {
            HttpTrackerUrls.requireHttp(tracker);
            url = HttpTrackerUrls.scrape(tracker, infoHashes);
        } catch (TrackerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return get(tracker, url).thenCompose(body -> parse(() -> HttpTrackerResponses.parseScrape(tracker, body)));
    }

    private interface Parser<T> {
        T parse() throws TrackerException;
    }

    private static <T> CompletableFuture<T> parse(Parser<T> parser) {
        try {
            return CompletableFuture.completedFuture(parser.parse());
        } catch (TrackerException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The body of a 200 reply; any other status fails, unless its body is a BEP 3 failure reason. */
    private CompletableFuture<byte[]> get(URI tracker, URI url) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        log.debug("GET {}", url);
        http.newRequest(url)
                .method(HttpMethod.GET)
                .timeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .send(new BoundedBody(tracker, result));
        return result;
    }

    /** Collects the body up to the limit; aborts the exchange as soon as it is exceeded. */
    private final class BoundedBody implements Response.Listener {
        private final URI tracker;
        private final CompletableFuture<byte[]> result;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        BoundedBody(URI tracker, CompletableFuture<byte[]> result) {
            this.tracker = tracker;
            this.result = result;
        }

        @Override
        public void onHeaders(Response response) {
            long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared > settings.maxBodyBytes()) {
                response.abort(tooLarge(declared));
            }
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (body.size() + (long) content.remaining() > settings.maxBodyBytes()) {
                response.abort(tooLarge(body.size() + (long) content.remaining()));
                return;
            }
            byte[] chunk = new byte[content.remaining()];
            content.get(chunk);
            body.writeBytes(chunk);
        }

        private MalformedTrackerResponseException tooLarge(long size) {
            return new MalformedTrackerResponseException(tracker,
                    "reply of " + size + " bytes exceeds the limit of " + settings.maxBodyBytes());
        }

        @Override
        public void onComplete(Result r) {
            if (r.isFailed()) {
                result.completeExceptionally(failure(r.getFailure()));
                return;
            }
            int status = r.getResponse().getStatus();
            byte[] bytes = body.toByteArray();
            if (status == HttpStatus.OK_200) {
                result.complete(bytes);
                return;
            }
            // Some trackers send their failure reason with an error status; that message is worth more
            // than the status code.
            try {
                HttpTrackerResponses.parseAnnounce(tracker, bytes);
            } catch (TrackerRefusedException refused) {
                result.completeExceptionally(refused);
                return;
            } catch (TrackerException notBencode) {
                // fall through to the status
            }
            result.completeExceptionally(new TrackerUnreachableException(tracker,
                    "HTTP " + status + " " + Objects.toString(r.getResponse().getReason(), ""), null));
        }

        private TrackerException failure(Throwable t) {
            if (t instanceof TrackerException te) {
                return te;
            }
            if (t instanceof TimeoutException) {
                return new TrackerTimeoutException(tracker, "no reply within " + settings.requestTimeout());
            }
            return new TrackerUnreachableException(tracker, String.valueOf(t.getMessage()), t);
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            log.debug("stopping the HTTP client failed", e);
        }
    }
}
