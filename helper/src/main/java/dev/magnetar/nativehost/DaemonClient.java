package dev.magnetar.nativehost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;

/**
 * The native host's HTTP client for the daemon's API on loopback: plain HTTP/1.1 to 127.0.0.1, all
 * the daemon's Jetty speaks, with the JDK's persistent connections (a connection is reused when its
 * body was read to the end, which every call here does).
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the host starts on every
 * connect of the extension, and the newer client's construction — a selector thread, and the
 * default TLS context with the system trust store even for http — cost ~0.3 s of that start
 * (bench/api --first-hello); this client sets up nothing before its first request.
 */
public final class DaemonClient {

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * An HTTP answer: status and the raw JSON body, parsed only as far as the caller asks — straight into
     * a record with {@link #read}, or as a tree with {@link #body}. The status relay reads ~30 KB per
     * request with 100 torrents; going through a tree and converting it cost a third of the host's CPU
     * (JFR profile, bench/README.md).
     */
    public record Answer(int status, byte[] raw, ObjectMapper json) {
        public boolean ok() {
            return status / 100 == 2;
        }

        /** The body as a tree; an empty or unreadable body reads as a JSON null (errors use it for code and message only). */
        public JsonNode body() {
            if (raw.length == 0) {
                return json.nullNode();
            }
            try {
                return json.readTree(raw);
            } catch (IOException e) {
                return json.nullNode();
            }
        }

        <T> T read(Class<T> type, ObjectMapper mapper) throws IOException {
            return mapper.readValue(raw, type);
        }
    }

    public Answer get(int port, String token, String path) throws IOException {
        return send(open(port, token, path, "GET"), null);
    }

    public Answer post(int port, String token, String path, Object body) throws IOException {
        return withBody(port, token, path, "POST", body);
    }

    public Answer delete(int port, String token, String path, Object body) throws IOException {
        return withBody(port, token, path, "DELETE", body);
    }

    private Answer withBody(int port, String token, String path, String method, Object body) throws IOException {
        HttpURLConnection c = open(port, token, path, method);
        c.setRequestProperty("Content-Type", "application/json");
        return send(c, json.writeValueAsBytes(body));
    }

    private static HttpURLConnection open(int port, String token, String path, String method) throws IOException {
        // Loopback never goes through a proxy, whatever the JVM's proxy properties say.
        HttpURLConnection c = (HttpURLConnection) url(port, path).openConnection(Proxy.NO_PROXY);
        c.setRequestMethod(method);
        c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        c.setReadTimeout(READ_TIMEOUT_MILLIS);
        c.setUseCaches(false);
        c.setRequestProperty("Authorization", "Bearer " + token);
        return c;
    }

    private Answer send(HttpURLConnection c, byte[] body) throws IOException {
        if (body != null) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length); // also: a streamed POST is never silently re-sent
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            return new Answer(status, new byte[0], json);
        }
        try (in) {
            return new Answer(status, in.readAllBytes(), json);
        }
    }

    private static URL url(int port, String path) throws IOException {
        return new URL("http", "127.0.0.1", port, "/api/v1" + path);
    }
}
