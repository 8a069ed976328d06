package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static dev.magnetar.engine.EngineFixtures.loopbackWithoutPex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.HolepunchMessage;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 55 between three of our engines on loopback: A relays; B and C are connected to A only (no PEX,
 * so neither learns of the other any other way). B asks A to introduce it to C; A sends a connect to
 * both; B and C dial each other over uTP and end with one connection, over which C downloads the
 * torrent from B.
 */
class HolepunchEngineTest {

    @TempDir
    Path root;

    private EngineSettings withUtp(String name) {
        return loopbackWithoutPex(root, name).toBuilder().utp(true).build();
    }

    @Test
    void everyTorrentOffersUtHolepunch() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "offer", 16 * 1024, 40_000);
        try (Engine e = Engine.start(withUtp("offer"))) {
            Torrent t = e.add(info, content, List.of(), AddOptions.defaults());
            assertTrue(t.extensions().handshake("x", 1, 1).idOf(HolepunchMessage.EXTENSION_NAME).isPresent(),
                    "ut_holepunch is in the BEP 10 m dictionary");
        }
    }

    @Test
    void relayIntroducesTwoPeersThatThenShareOneUtpConnectionAndTheTorrent() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "punch", 16 * 1024, 150_000, 33_333);
        try (Engine a = Engine.start(withUtp("a"));
                Engine b = Engine.start(withUtp("b"));
                Engine c = Engine.start(withUtp("c"))) {
            Torrent ta = a.add(info, root.resolve("a-out"), List.of(), AddOptions.defaults());
            for (int i = 0; i < info.files().size(); i++) {
                ta.setFilePriority(i, 0).get(10, TimeUnit.SECONDS); // the relay takes nothing, so it has nothing to give C
            }
            Torrent tb = b.add(info, content, List.of(), AddOptions.defaults());
            await(tb.completion(), "B's check");
            Torrent tc = c.add(info, root.resolve("c-out"), List.of(), AddOptions.defaults());

            CompletableFuture<Void> aHasBoth = new CompletableFuture<>();
            ta.addListener(e -> {
                if (e instanceof EngineEvent.PeerConnected && ta.peerCount() == 2) {
                    aHasBoth.complete(null);
                }
            });
            InetSocketAddress addressOfB = addressOf(b);
            InetSocketAddress addressOfC = addressOf(c);
            CompletableFuture<EngineEvent.PeerConnected> bSawC = new CompletableFuture<>();
            tb.addListener(e -> {
                if (e instanceof EngineEvent.PeerConnected pc && pc.peer().address().getPort() == addressOfC.getPort()) {
                    bSawC.complete(pc);
                }
            });
            CompletableFuture<EngineEvent.PeerConnected> cSawB = new CompletableFuture<>();
            tc.addListener(e -> {
                if (e instanceof EngineEvent.PeerConnected pc && pc.peer().address().getPort() == addressOfB.getPort()) {
                    cSawB.complete(pc);
                }
            });
            // Each extension handshake follows its BitTorrent one, so a peer is connected before its
            // extensions are known: B can ask A only once it has read A's, and A can introduce C only once
            // it has read C's (before that A answers as libtorrent does, with an error, and B waits in vain).
            CompletableFuture<Void> bKnowsARelays = ExtensionHandshakeWatch.offering(tb, HolepunchMessage.EXTENSION_NAME, addressOf(a));
            CompletableFuture<Void> aKnowsCCanBeIntroduced = ExtensionHandshakeWatch.offering(ta, HolepunchMessage.EXTENSION_NAME, addressOfC);
            tb.addPeer(addressOf(a));
            tc.addPeer(addressOf(a));
            await(aHasBoth, "B and C connecting to A");
            await(bKnowsARelays, "A's extension handshake reaching B");
            await(aKnowsCCanBeIntroduced, "C's extension handshake reaching A");

            assertEquals(1, tb.holepunch(addressOfC).get(10, TimeUnit.SECONDS), "B asks its one relay, A");
            await(bSawC, "B connected to C after A's introduction");
            await(cSawB, "C connected to B after A's introduction");
            // Which end's connection the other sees as outgoing depends on whose connect arrived first (on
            // loopback one SYN is often answered before the other end dials); SimultaneousOpenTest pins
            // down the crossing case.

            await(tc.completion(), "C's download from B");
            assertTrue(c.utp().streamBytesReceived() >= info.totalLength(),
                    "the torrent came to C over uTP, from B: " + c.utp().streamBytesReceived() + " B");
            assertEquals(0, ta.status().downloadedBytes(), "not through the relay");
            assertEquals(1, tb.peerStatuses().get(5, TimeUnit.SECONDS).stream()
                    .filter(p -> p.address().endsWith(":" + addressOfC.getPort())).count(), "one connection B–C, not two");
        }
        assertSameFiles(info, root.resolve("content"), root.resolve("c-out"));
    }

    /**
     * The product's own trigger: C tells peers to dial a port where it cannot be reached (its {@code p}
     * names a port held by a silent UDP socket and a TCP socket that is bound but not listening, as a
     * NAT'd peer's address is). A tells B of C through PEX; B's dial goes unanswered over uTP and
     * refused over TCP, so B asks A, the peer that named C, for a rendezvous; A's connect makes C dial
     * B, and B downloads the torrent from C. C does no PEX, so the introduction is the only way it
     * learns of B.
     */
    @Test
    void aPeerPexNamedThatDoesNotAnswerOurDialIsReachedThroughARendezvousWithThePeerThatNamedIt() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "trigger", 16 * 1024, 120_000, 7_777);
        try (UnreachablePort dead = UnreachablePort.open();
                Engine a = Engine.start(loopback(root, "a").toBuilder().utp(true).build());
                Engine b = Engine.start(loopback(root, "b").toBuilder().utp(true).build());
                Engine c = Engine.start(withUtp("c"))) {
            c.externalPort(dead.port);
            Torrent ta = a.add(info, root.resolve("a-out"), List.of(), AddOptions.defaults());
            for (int i = 0; i < info.files().size(); i++) {
                ta.setFilePriority(i, 0).get(10, TimeUnit.SECONDS);
            }
            Torrent tc = c.add(info, content, List.of(), AddOptions.defaults());
            await(tc.completion(), "C's check");
            Torrent tb = b.add(info, root.resolve("b-out"), List.of(), AddOptions.defaults());

            CompletableFuture<Void> foundC = new CompletableFuture<>();
            tb.addListener(e -> {
                if (e instanceof EngineEvent.PeersFound f && f.source() == PeerSource.PEX
                        && f.peers().contains(new InetSocketAddress("127.0.0.1", dead.port))) {
                    foundC.complete(null);
                }
            });
            int cPort = c.listenAddress().getPort();
            CompletableFuture<EngineEvent.PeerConnected> bSawC = new CompletableFuture<>();
            tb.addListener(e -> {
                if (e instanceof EngineEvent.PeerConnected pc && pc.peer().address().getPort() == cPort) {
                    bSawC.complete(pc);
                }
            });
            tc.addPeer(addressOf(a));
            tb.addPeer(addressOf(a));
            await(foundC, "A telling B of C (at the port C names) through PEX");
            await(bSawC, "C reaching B after B's dial failed and B asked A for a rendezvous");
            assertFalse(bSawC.join().outgoing(), "C dialled B, as A's connect told it to");

            await(tb.completion(), "B's download from C");
            assertTrue(b.utp().streamBytesReceived() >= info.totalLength(),
                    "over uTP: " + b.utp().streamBytesReceived() + " B");
            assertEquals(0, ta.status().downloadedBytes(), "not through the relay");
        }
        assertSameFiles(info, content, root.resolve("b-out"));
    }

    /** A loopback port where TCP is refused (bound, not listening) and UDP swallowed (bound, never read), held until closed. */
    private static final class UnreachablePort implements AutoCloseable {
        final int port;
        private final DatagramSocket udp;
        private final Socket tcp;

        private UnreachablePort(DatagramSocket udp, Socket tcp) {
            this.udp = udp;
            this.tcp = tcp;
            this.port = udp.getLocalPort();
        }

        static UnreachablePort open() throws Exception {
            for (int attempt = 0; ; attempt++) {
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                Socket tcp = new Socket();
                try {
                    tcp.bind(new InetSocketAddress("127.0.0.1", udp.getLocalPort()));
                    return new UnreachablePort(udp, tcp);
                } catch (java.net.BindException taken) {
                    tcp.close();
                    udp.close();
                    if (attempt == 100) {
                        throw taken;
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            tcp.close();
            udp.close();
        }
    }
}
