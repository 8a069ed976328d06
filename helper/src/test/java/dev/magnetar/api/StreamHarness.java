package dev.magnetar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineFixtures;
import dev.magnetar.spec.SpecValidator;
import dev.magnetar.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The real engine (peers on 127.0.0.1, no trackers or DHT) behind a real API server whose stream grants
 * expire by a clock the test moves, whose reads give up on a missing piece after {@code pieceWait}, and
 * whose "open in your player" only records what it would open. Every exchange is checked against
 * protocol-spec/http-api.yaml; requests go over a plain socket so the test controls every byte (Host,
 * encoded paths) and sees the body as bytes.
 */
final class StreamHarness implements AutoCloseable {

    final Engine engine;
    final ApiServer server;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    final List<String> opened = new CopyOnWriteArrayList<>();
    final String token = "test-token-" + Long.toHexString(new SecureRandom().nextLong());
    private final ScheduledExecutorService walletTimer = Executors.newSingleThreadScheduledExecutor();
    private final SpecValidator spec = SpecValidator.shared();

    StreamHarness(Path dir, Duration pieceWait) throws Exception {
        this(dir, pieceWait, SlowClientGuard.Limits.DEFAULT);
    }

    StreamHarness(Path dir, Duration pieceWait, SlowClientGuard.Limits clientLimits) throws Exception {
        Clock system = Clock.systemUTC();
        WalletService wallet = ApiHarness.walletWithoutChain(dir, walletTimer, system);
        ApprovalStore approvals = ApprovalStore.open(ApprovalStore.defaultFile(dir), system);
        SettingsStore settings = SettingsStore.open(SettingsStore.defaultFile(dir), Settings.defaults(dir.resolve("Downloads")));
        engine = Engine.start(EngineFixtures.loopback(dir, "engine"));
        try {
            server = ApiServer.start(new ApiServer.Config(0, token, List.of(Settings.MAGNETAR_EXTENSION_ID), EventHub.DEFAULT_QUEUE_CAPACITY,
                    clientLimits).withStreams(new ApiServer.Streams(pieceWait, clock)),
                    new ApiServices("test", engine, approvals, wallet, settings, () -> { }, opened::add));
        } catch (Exception e) {
            engine.close();
            walletTimer.shutdownNow();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    String host() {
        return "127.0.0.1:" + port();
    }

    /** An answer as bytes, with lower-case header names. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String code() {
            return json().path("code").asText();
        }
    }

    /** An API call with the token; the body (may be null) is JSON. */
    Answer api(String method, String path, String body) throws IOException {
        if (body != null) {
            spec.httpRequest(method, path, body);
        }
        String head = "Authorization: Bearer " + token + "\r\n" + (body == null ? "" : "Content-Type: application/json\r\n");
        Answer a = raw(method, path, "Host: " + host() + "\r\n" + head, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        spec.http(method, path, a.status(), a.text());
        return a;
    }

    /** A request for stream content, without the token; {@code extraHeaders} end in CRLF each. */
    Answer content(String method, String path, String extraHeaders) throws IOException {
        Answer a = raw(method, path, "Host: " + host() + "\r\n" + extraHeaders, new byte[0]);
        boolean binary = a.status() == 200 || a.status() == 206;
        spec.http(method, path, a.status(), binary || method.equals("HEAD") ? "" : a.text());
        return a;
    }

    /** A request for stream content sent without waiting for its answer; close it if {@link #answer} is never read. */
    Pending send(String method, String path, String extraHeaders) throws IOException {
        Socket s = new Socket("127.0.0.1", port());
        try {
            s.setSoTimeout(120_000);
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: " + host() + "\r\n" + extraHeaders
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new Pending(s, method, path);
    }

    /** A request on its way; {@link #answer} reads the whole response (the server closes the connection). */
    final class Pending implements AutoCloseable {
        private final Socket socket;
        private final String method;
        private final String path;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        private Pending(Socket socket, String method, String path) {
            this.socket = socket;
            this.method = method;
            this.path = path;
        }

        Answer answer() throws IOException {
            socket.getInputStream().transferTo(received);
            Answer a = parse(received.toByteArray(), method.equals("HEAD"));
            boolean binary = a.status() == 200 || a.status() == 206;
            spec.http(method, path, a.status(), binary || method.equals("HEAD") ? "" : a.text());
            return a;
        }

        /** The response so far, once at least {@code bytes} bytes of it (status line and headers included) came. */
        byte[] readAtLeast(int bytes) throws IOException {
            byte[] buffer = new byte[8192];
            while (received.size() < bytes) {
                int n = socket.getInputStream().read(buffer);
                if (n < 0) {
                    throw new IOException("the response ended after " + received.size() + " bytes");
                }
                received.write(buffer, 0, n);
            }
            return received.toByteArray();
        }

        /**
         * Whether the server still holds the response open: it reads what has come (kept for {@link #answer})
         * until nothing more comes for {@code quiet}, and is false if the connection ended meanwhile. For a
         * response that must be waiting, so a quiet connection is the expected case, not a race.
         */
        boolean stillOpen(Duration quiet) throws IOException {
            byte[] buffer = new byte[8192];
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout((int) quiet.toMillis());
            try {
                while (true) {
                    int n = socket.getInputStream().read(buffer);
                    if (n < 0) {
                        return false;
                    }
                    received.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                return true;
            } finally {
                socket.setSoTimeout(timeout);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The path part of a grant's URL. */
    static String pathOf(String url) {
        return url.substring(url.indexOf('/', "http://".length()));
    }

    /** {@code head} holds every header line (CRLF-terminated) but Content-Length and Connection. */
    Answer raw(String method, String path, String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\n" + head + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return parse(all.toByteArray(), method.equals("HEAD"));
        }
    }

    private static Answer parse(byte[] response, boolean head) {
        int split = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        String[] lines = new String(response, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(c + 1).trim());
        }
        byte[] body = head ? new byte[0] : Arrays.copyOfRange(response, split + 4, response.length);
        if (headers.containsKey("transfer-encoding")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int nl = indexOf(Arrays.copyOfRange(chunked, i, chunked.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1)) + i;
            int size = Integer.parseInt(new String(chunked, i, nl - i, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, nl + 2, size);
            i = nl + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no end of headers in the response");
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        walletTimer.shutdownNow();
    }
}
