package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.approval.ApprovalStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon binds the API's port and announces it before the server has started ({@link ApiServer#listen}):
 * requests sent in between wait unread in the kernel, and the server that later starts on that port answers them
 * with every check in place — none of them is answered by anything less than the finished server.
 */
class ApiServerOnABoundPortTest {

    private static final String TOKEN = "test-token-" + Long.toHexString(new SecureRandom().nextLong());
    private static final int READ_GUARD_MILLIS = 60_000;

    @TempDir
    Path dir;

    private final ScheduledExecutorService walletTimer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        walletTimer.shutdownNow();
    }

    @Test
    void requestsSentBeforeTheServerStartedAreAnsweredByItWithItsChecks() throws Exception {
        ServerSocketChannel listening = ApiServer.listen(0);
        int port = listening.socket().getLocalPort();
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        String bearer = "Authorization: Bearer " + TOKEN + "\r\n";
        // All three are connected and sent before any server object exists.
        try (Socket good = send(port, host + bearer); Socket noToken = send(port, host);
                Socket rebinding = send(port, "Host: evil.example:" + port + "\r\n" + bearer)) {
            try (ApiServer server = ApiServer.start(ApiServer.Config.of(0, TOKEN, List.of(Settings.MAGNETAR_EXTENSION_ID)), services(),
                    listening)) {
                assertEquals(port, server.port(), "the server serves the port that was bound and announced");
                String answer = readAll(good);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
                assertTrue(answer.contains("\"status\":\"ok\""), answer);
                assertTrue(readAll(noToken).startsWith("HTTP/1.1 401 "), "the token check was in place for the first request");
                assertTrue(readAll(rebinding).startsWith("HTTP/1.1 403 "), "so was the Host check");
            }
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "closing the server closed the bound port");
    }

    @Test
    void aPortInUseIsAClearErrorNamingIt() throws Exception {
        try (ServerSocketChannel first = ApiServer.listen(0)) {
            int port = first.socket().getLocalPort();
            IOException e = assertThrows(IOException.class, () -> ApiServer.listen(port).close());
            assertTrue(e.getMessage().contains("cannot start the API on 127.0.0.1:" + port), e.getMessage());
        }
    }

    private ApiServices services() throws Exception {
        Clock system = Clock.systemUTC();
        WalletService wallet = ApiHarness.walletWithoutChain(dir, walletTimer, system);
        return new ApiServices("test", new InMemoryTorrentControl(), ApprovalStore.open(ApprovalStore.defaultFile(dir), system), wallet,
                SettingsStore.open(SettingsStore.defaultFile(dir), Settings.defaults(dir.resolve("Downloads"))), () -> { });
    }

    private static Socket send(int port, String headers) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(READ_GUARD_MILLIS); // a hang guard: an unanswered request fails the test instead of blocking it
        s.getOutputStream().write(("GET /api/v1/health HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
