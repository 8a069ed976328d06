package dev.magnetar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.speed.SpeedSettings;
import dev.magnetar.spec.SpecValidator;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.LedgerStorageException;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.ScryptParams;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.TronNetwork;
import dev.magnetar.wallet.WalletSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real API server on 127.0.0.1 with the in-memory engine double, a real approval store and settings
 * file, and a real wallet on an embedded devnet. Every exchange made through it is checked against
 * protocol-spec/http-api.yaml.
 */
final class ApiHarness implements AutoCloseable {

    static final String PASSWORD = "correct horse battery staple";
    static final String EXTENSION_ORIGIN = "chrome-extension://" + Settings.MAGNETAR_EXTENSION_ID;
    static final ScryptParams FAST = new ScryptParams(1 << 4, 8, 1);

    final Path dir;
    final Devnet devnet;
    final InMemoryTorrentControl torrents = new InMemoryTorrentControl();
    final ApprovalStore approvals;
    final WalletService wallet;
    final SettingsStore settings;
    final ApiServer server;
    final String token = "test-token-" + Long.toHexString(new SecureRandom().nextLong());
    final AtomicInteger shutdownRequests = new AtomicInteger();
    final java.util.concurrent.CountDownLatch shutdownRequested = new java.util.concurrent.CountDownLatch(1);
    final String walletAddress;
    private final ScheduledExecutorService walletTimer = Executors.newSingleThreadScheduledExecutor();
    private final TronChainClient chain;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    final SpecValidator spec = SpecValidator.shared();

    /**
     * A wallet with no key and no chain, for harnesses whose tests never reach the TRON network: any call that
     * would needs a chain and fails loudly.
     */
    static WalletService walletWithoutChain(Path dir, ScheduledExecutorService timer, Clock clock)
            throws IOException, LedgerStorageException {
        Keystore keystore = new Keystore(Keystore.defaultFile(dir), FAST, new SecureRandom());
        return new WalletService(keystore, new WalletSession(keystore, Duration.ofMinutes(10), clock, timer, Duration.ofMinutes(1)),
                "devnet", () -> {
                    throw new IllegalStateException("these tests have no chain");
                }, PaymentLedger.open(dir.resolve("ledger.json"), clock));
    }

    ApiHarness(Path dir, int eventQueueSize) throws Exception {
        this(dir, eventQueueSize, SlowClientGuard.Limits.DEFAULT);
    }

    ApiHarness(Path dir, int eventQueueSize, SlowClientGuard.Limits clientLimits) throws Exception {
        this(dir, eventQueueSize, clientLimits, true, false);
    }

    /** A harness whose helper has no wallet yet (it is made through the API), or whose devnet has a faucet for the API. */
    static ApiHarness withWalletAndFaucet(Path dir, boolean walletExists, boolean faucet) throws Exception {
        return new ApiHarness(dir, 16, SlowClientGuard.Limits.DEFAULT, walletExists, faucet);
    }

    private ApiHarness(Path dir, int eventQueueSize, SlowClientGuard.Limits clientLimits, boolean walletExists, boolean faucet)
            throws Exception {
        this.dir = dir;
        devnet = Devnet.start(Devnet.Config.onDemand(dir.resolve("devnet")));
        chain = new TronChainClient(TronNetwork.devnet(devnet.endpoint()));
        Keystore keystore = new Keystore(Keystore.defaultFile(dir), FAST, new SecureRandom());
        if (walletExists) {
            TronKey key = TronKey.generate(new SecureRandom());
            walletAddress = keystore.create(key, null, PASSWORD.toCharArray()).toBase58();
            devnet.faucet(ByteString.copyFrom(key.address().bytes()), 5_000_000L, BttAmount.parseBtt("250.5"));
            devnet.produceBlock();
            key.destroy();
        } else {
            walletAddress = null;
        }
        WalletSession session = new WalletSession(keystore, Duration.ofMinutes(10), Clock.systemUTC(), walletTimer, Duration.ofMinutes(1));
        DevnetFaucet devnetFaucet = (to, sun, btt) -> devnet.faucet(ByteString.copyFrom(to.bytes()), sun, btt);
        wallet = new WalletService(keystore, session, "devnet", () -> chain, PaymentLedger.open(dir.resolve("ledger.json"), Clock.systemUTC()),
                SpeedSettings.defaults().paymentThreshold(), () -> faucet ? Optional.of(devnetFaucet) : Optional.empty());
        approvals = ApprovalStore.open(ApprovalStore.defaultFile(dir), Clock.systemUTC());
        settings = SettingsStore.open(SettingsStore.defaultFile(dir), Settings.defaults(dir.resolve("Downloads")));
        ApiServices services = new ApiServices("test", torrents, approvals, wallet, settings, () -> {
            shutdownRequests.incrementAndGet();
            shutdownRequested.countDown();
        });
        server = ApiServer.start(new ApiServer.Config(0, token, List.of(Settings.MAGNETAR_EXTENSION_ID), eventQueueSize, clientLimits),
                services);
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** A response: status, headers of interest and body. */
    record Answer(int status, String body, java.util.Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String code() {
            return json().path("code").asText();
        }

        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET(), "GET", path, null, true);
    }

    Answer post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "POST", path, body, true);
    }

    /** A POST whose body the test means to be invalid: the response is still checked, the request is not. */
    Answer postInvalid(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "POST", path, body, false);
    }

    Answer delete(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body)), "DELETE", path, body, true);
    }

    Answer send(HttpRequest.Builder request, String method, String path, String body, boolean validRequest) throws Exception {
        if (validRequest && body != null) {
            spec.httpRequest(method, path, body);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Answer a = new Answer(r.statusCode(), r.body(), lower(r.headers().map()));
        spec.http(method, path, a.status(), a.body());
        return a;
    }

    /**
     * A hand-written HTTP/1.1 request over a socket, for what java.net.http will not send (a forged Host).
     * {@code head} is the request line and headers without the final blank line.
     */
    Answer raw(String method, String path, String head, byte[] body) throws IOException {
        return raw(method, path, head, body, body.length);
    }

    /**
     * Sends {@code body} under a declared {@code Content-Length} that may differ from it: an empty body
     * with a huge declared length checks that the server refuses on the header alone, without the
     * client racing a TCP reset while it still writes bytes the server will never read.
     */
    Answer raw(String method, String path, String head, byte[] body, long declaredLength) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            String full = method + " " + path + " HTTP/1.1\r\n" + head + "Content-Length: " + declaredLength + "\r\nConnection: close\r\n\r\n";
            out.write(full.getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (java.net.SocketException e) {
                // The server may refuse (413) and close before reading an oversized body: its answer is still there to read.
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, split).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            java.util.Map<String, List<String>> headers = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                        .add(lines[i].substring(c + 1).trim());
            }
            String respBody = text.substring(split + 4);
            if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", List.of("")).get(0))) {
                respBody = dechunk(respBody);
            }
            Answer a = new Answer(status, respBody, headers);
            if (!respBody.isEmpty()) {
                spec.http(method, path, status, respBody);
            }
            return a;
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int nl = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, nl).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, nl + 2, nl + 2 + size);
            i = nl + 2 + size + 2;
        }
    }

    private static java.util.Map<String, List<String>> lower(java.util.Map<String, List<String>> headers) {
        java.util.Map<String, List<String>> m = new java.util.HashMap<>();
        headers.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return m;
    }

    /** Torrents and approvals as JSON text: compared before and after a refused request. */
    String state() throws Exception {
        return get("/api/v1/torrents").body() + get("/api/v1/approvals").body() + json.writeValueAsString(settings.get());
    }

    @Override
    public void close() {
        server.close();
        wallet.session().close();
        walletTimer.shutdownNow();
        chain.close();
        devnet.close();
    }
}
