package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default listener is one dual-stack socket: peers reach the same port over IPv4 and IPv6, and
 * the API shows each by the family it came on ("127.0.0.1:port", "[::1]:port").
 */
class DualStackListenTest {

    @TempDir
    Path root;

    @Test
    void theDefaultListenerTakesIpv4AndIpv6PeersOnOnePort() throws Exception {
        // Only the listener is the default: discovery stays off, so nothing is sent beyond loopback.
        EngineSettings settings = EngineSettings.builder(root.resolve("downloads"), root.resolve("resume"))
                .discovery(PeerDiscoverySettings.offline()).build();
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "dual.bin", 16384, 100_000);
        try (Engine engine = Engine.start(settings)) {
            Torrent t = engine.add(info, root.resolve("content"), List.of(), AddOptions.defaults());
            await(t.completion(), "check of the seeder's data");
            int port = engine.listenAddress().getPort();
            try (Socket v4 = handshake("127.0.0.1", port, info); Socket v6 = handshake("::1", port, info)) {
                Set<String> expected = Set.of("127.0.0.1:" + v4.getLocalPort(), "[::1]:" + v6.getLocalPort());
                Set<String> shown = Set.of();
                long deadline = System.nanoTime() + GUARD.toNanos();
                while (!shown.equals(expected) && System.nanoTime() < deadline) {
                    // The peers were answered; their rows appear once the torrent's loop has taken them.
                    shown = t.peerStatuses().get(GUARD.toSeconds(), TimeUnit.SECONDS).stream()
                            .map(PeerStatus::address).collect(Collectors.toSet());
                }
                assertEquals(expected, shown);
            }
        }
    }

    /** Sends a BitTorrent handshake for {@code info} and reads the answer's info-hash: the engine took us. */
    private static Socket handshake(String host, int port, TorrentInfo info) throws IOException {
        Socket s = new Socket(host, port);
        s.setSoTimeout((int) GUARD.toMillis());
        OutputStream out = s.getOutputStream();
        out.write(19);
        out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[8]);
        out.write(info.infoHash().bytes());
        byte[] peerId = new byte[20];
        Arrays.fill(peerId, (byte) (host.contains(":") ? '6' : '4'));
        out.write(peerId);
        out.flush();
        byte[] answer = new byte[68];
        new DataInputStream(s.getInputStream()).readFully(answer);
        assertArrayEquals(info.infoHash().bytes(), Arrays.copyOfRange(answer, 28, 48), "handshake answered over " + host);
        assertTrue(s.isConnected());
        return s;
    }
}
