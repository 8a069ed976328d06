package dev.magnetar.nativehost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.daemon.DaemonState;
import dev.magnetar.daemon.DaemonStateFile;
import dev.magnetar.spec.SpecValidator;
import dev.magnetar.testing.ChildJvm;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser's side of native messaging, for real: the host is a child JVM started the way a browser
 * starts it (origin as first argument, MAGNETAR_HOME for the data directory), spoken to through the
 * framing on its stdin/stdout; it starts a detached daemon, which must outlive it.
 */
class NativeHostAcceptanceTest {

    static final String ORIGIN = "chrome-extension://ighcbjpaekabdiphmkfgookimbgnoogf/";
    static final Duration GUARD = Duration.ofSeconds(90);

    @TempDir
    Path home;
    final List<Process> hosts = new ArrayList<>();
    final NativeMessageCodec codec = new NativeMessageCodec();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void settings() throws Exception {
        Files.writeString(home.resolve("settings.json"), "{\"downloadDir\":\"" + home.resolve("dl") + "\",\"quitWithBrowser\":false,"
                + "\"listenPort\":0,\"network\":\"devnet\",\"devnetPort\":0,\"extensionIds\":[\"ighcbjpaekabdiphmkfgookimbgnoogf\"]}");
    }

    @AfterEach
    void killEverything() throws Exception {
        for (Process p : hosts) {
            p.destroyForcibly();
        }
        DaemonStateFile.read(DaemonStateFile.defaultFile(home)).flatMap(s -> ProcessHandle.of(s.pid())).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        // A daemon that lost the start race exits by itself; make sure no child of this test survives.
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    Process startHost() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command("dev.magnetar.cli.Main", "native-host", ORIGIN));
        pb.environment().put("MAGNETAR_HOME", home.toString());
        pb.redirectError(home.resolve("host-" + hosts.size() + ".log").toFile());
        Process p = pb.start();
        hosts.add(p);
        return p;
    }

    JsonNode exchange(Process host, String message) throws Exception {
        SpecValidator.shared().nativeMessage(message);
        OutputStream toHost = host.getOutputStream();
        toHost.write(NativeMessageCodecTest.frame(message.getBytes(StandardCharsets.UTF_8), ByteOrder.nativeOrder()));
        toHost.flush();
        InputStream fromHost = host.getInputStream();
        byte[] reply = assertTimeoutPreemptively(GUARD, () -> codec.read(fromHost).orElseThrow(() -> new AssertionError("host closed the channel")));
        String text = new String(reply, StandardCharsets.UTF_8);
        SpecValidator.shared().nativeMessage(text);
        return json.readTree(text);
    }

    DaemonState daemon() {
        return DaemonStateFile.read(DaemonStateFile.defaultFile(home)).orElseThrow(() -> new AssertionError("no daemon.json"));
    }

    int health(JsonNode hello) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(hello.path("apiBase").asText() + "/health"))
                .header("Authorization", "Bearer " + hello.path("token").asText()).build();
        HttpResponse<String> resp = HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
        SpecValidator.shared().http("GET", "/api/v1/health", resp.statusCode(), resp.body());
        return resp.statusCode();
    }

    @Test
    void helloGivesAWorkingTokenAndTheDaemonOutlivesItsHost() throws Exception {
        Process first = startHost();
        JsonNode hello = exchange(first, "{\"type\":\"hello\",\"id\":\"h1\",\"extensionVersion\":\"0.1.0\"}");
        assertEquals("hello_reply", hello.path("type").asText());
        assertEquals("h1", hello.path("id").asText());
        assertEquals(200, health(hello));
        DaemonState started = daemon();
        assertEquals("http://127.0.0.1:" + started.port() + "/api/v1", hello.path("apiBase").asText());

        JsonNode status = exchange(first, "{\"type\":\"status\",\"id\":\"s1\"}");
        assertEquals("status_reply", status.path("type").asText());
        JsonNode add = exchange(first, "{\"type\":\"add_magnet\",\"id\":\"a1\",\"uri\":\"magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567\"}");
        assertEquals("add_magnet_reply", add.path("type").asText(), add.toString());
        assertEquals("0123456789abcdef0123456789abcdef01234567", add.path("torrent").path("infoHash").asText(), add.toString());
        JsonNode listed = exchange(first, "{\"type\":\"status\",\"id\":\"s2\"}");
        assertEquals("0123456789abcdef0123456789abcdef01234567", listed.path("torrents").path(0).path("infoHash").asText(),
                "the relayed magnet reached the daemon's engine");

        first.destroyForcibly();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertTrue(ProcessHandle.of(started.pid()).map(ProcessHandle::isAlive).orElse(false), "the daemon died with its host");
        assertEquals(200, health(hello), "the daemon stopped answering when its host was killed");

        Process second = startHost();
        JsonNode again = exchange(second, "{\"type\":\"hello\",\"id\":\"h2\"}");
        assertEquals(hello.path("apiBase").asText(), again.path("apiBase").asText());
        assertEquals(hello.path("token").asText(), again.path("token").asText());
        assertEquals(started.pid(), daemon().pid());
    }

    /** A daemon that stops while starting is reported with its own error, not after the whole start timeout. */
    @Test
    void aDaemonThatCannotStartIsReportedWithItsOwnError() throws Exception {
        Files.writeString(home.resolve("settings.json"), "{ damaged");
        JsonNode reply = exchange(startHost(), "{\"type\":\"hello\",\"id\":\"h1\"}");
        assertEquals("error", reply.path("type").asText(), reply.toString());
        assertEquals("DAEMON_UNAVAILABLE", reply.path("code").asText());
        String message = reply.path("message").asText();
        assertTrue(message.startsWith("the Magnetar daemon stopped while starting: "), message);
        assertTrue(message.contains(home.resolve("settings.json").toString()), "the daemon's own reason names the file: " + message);
        assertTrue(message.contains(home.resolve("logs").resolve("daemon.log").toString()), "and where to read more: " + message);
    }

    @Test
    void twoHostsStartingAtOnceShareOneDaemon() throws Exception {
        Process a = startHost();
        Process b = startHost();
        CompletableFuture<JsonNode> ha = CompletableFuture.supplyAsync(() -> call(a));
        CompletableFuture<JsonNode> hb = CompletableFuture.supplyAsync(() -> call(b));
        JsonNode ra = ha.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        JsonNode rb = hb.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        assertEquals("hello_reply", ra.path("type").asText(), ra.toString());
        assertEquals("hello_reply", rb.path("type").asText(), rb.toString());
        assertEquals(ra.path("apiBase").asText(), rb.path("apiBase").asText());
        assertEquals(ra.path("token").asText(), rb.path("token").asText());
        assertEquals(200, health(ra));
        // Both hosts may have launched a daemon; the lock lets one live and the other exits by itself.
        long winner = daemon().pid();
        List<ProcessHandle> launched = new ArrayList<>();
        a.toHandle().children().forEach(launched::add);
        b.toHandle().children().forEach(launched::add);
        assertTrue(launched.stream().anyMatch(h -> h.pid() == winner), "the daemon in daemon.json was started by one of the hosts");
        for (ProcessHandle h : launched) {
            if (h.pid() != winner) {
                h.onExit().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            }
        }
        assertEquals(1, launched.stream().filter(ProcessHandle::isAlive).count(), "exactly one daemon serves this data directory");
    }

    private JsonNode call(Process host) {
        try {
            return exchange(host, "{\"type\":\"hello\"}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
