package dev.magnetar.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A running daemon's HTTP API as the extension calls it: the bearer token from its data folder, JSON in and out. */
final class DaemonApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Guards a wait for something the daemon must reach; long, because a loaded machine is slow, never part of an assertion. */
    static final Duration HANG_GUARD = Duration.ofMinutes(3);

    record Answer(int status, JsonNode json) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    DaemonApi(Daemon daemon) throws Exception {
        this(daemon.port(), daemon.dataDir());
    }

    /** The API of a daemon in another process: its port, and its data folder for the token. */
    DaemonApi(int port, java.nio.file.Path dataDir) throws Exception {
        this.base = "http://127.0.0.1:" + port;
        this.token = ApiToken.read(ApiToken.defaultFile(dataDir));
    }

    /** The bearer token, for a WebSocket client of the events. */
    String token() {
        return token;
    }

    Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer delete(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Returns once the daemon's chain (its embedded devnet, its TRON client) has started: a daemon with a
     * wallet starts it after its API is up, and the balance route waits for that start to end.
     */
    void awaitChain() throws Exception {
        Answer balance = get("/api/v1/wallet/balance");
        if (balance.status() != 200) {
            throw new AssertionError("the wallet balance should answer once the chain is up: " + balance);
        }
    }

    /** Adds a .torrent through the API with its data already in {@code downloadDir}; returns once it seeds. */
    void seed(byte[] torrentFile, java.nio.file.Path downloadDir, String infoHash) throws Exception {
        Answer added = post("/api/v1/torrents/file", "{\"torrentBase64\":\"" + java.util.Base64.getEncoder().encodeToString(torrentFile)
                + "\",\"downloadDir\":\"" + downloadDir + "\"}");
        if (added.status() != 201) {
            throw new AssertionError("adding the torrent should answer 201: " + added);
        }
        await("/api/v1/torrents/" + infoHash, t -> t.path("status").path("state").asText().equals("SEEDING"), "the seller to seed");
    }

    /** GET {@code path} until {@code done} holds for its answer; the last answer. */
    JsonNode await(String path, Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (true) {
            JsonNode now = get(path).json();
            if (done.test(now)) {
                return now;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting for " + what + "; last answer " + now);
            }
            Thread.sleep(200); // polling pace only: each round asks the daemon again
        }
    }

    /** GET {@code path}, the whole response (status, headers, body) as it came. */
    HttpResponse<String> getResponse(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
    }
}
