package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metadata.PexPeer;
import dev.magnetar.metadata.PexTracker;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 11 between three engines: C is told only about B; B knows A; C learns A's address from B's
 * ut_pex and connects to it. A reached B by connecting IN, so B can list A only thanks to the listen
 * port ({@code p}) in A's extension handshake.
 */
class PexTest {

    @TempDir
    Path root;

    /** PEX every 200 ms instead of every minute, so the test does not wait a minute. */
    private EngineSettings fastPex(String name) {
        PeerDiscoverySettings d = PeerDiscoverySettings.offline()
                .withPex(true, new PexTracker.Options(Duration.ofMillis(200), Duration.ZERO, 50, 500, 4096));
        return loopback(root, name).toBuilder().discovery(d).build();
    }

    @Test
    void downloaderLearnsTheThirdPeerOnlyThroughPexAndConnectsToIt() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "pex", 32 * 1024, 300_000, 77_777);
        // A does no PEX itself: otherwise B would tell A about C and A might dial C first, and C's own
        // connection to A would then be refused as a duplicate. A still sends its listen port (BEP 10 "p").
        EngineSettings noPex = loopback(root, "a").toBuilder()
                .discovery(PeerDiscoverySettings.offline().withPex(false, PexTracker.Options.defaults())).build();
        try (Engine a = Engine.start(noPex);
                Engine b = Engine.start(fastPex("b"));
                Engine c = Engine.start(fastPex("c"))) {
            Torrent ta = a.add(info, content, List.of(), AddOptions.defaults());
            Torrent tb = b.add(info, content, List.of(), AddOptions.defaults());
            await(ta.completion(), "A's check");
            await(tb.completion(), "B's check");

            // A dials B: at B, A is an incoming peer.
            CompletableFuture<Void> bSawA = new CompletableFuture<>();
            tb.addListener(e -> {
                if (e instanceof EngineEvent.PeerConnected pc && !pc.outgoing()) {
                    bSawA.complete(null);
                }
            });
            ta.addPeer(addressOf(b));
            await(bSawA, "A connecting to B");

            InetSocketAddress addressOfA = addressOf(a);
            List<EngineEvent.PeersFound> found = new CopyOnWriteArrayList<>();
            List<EngineEvent> cEvents = new CopyOnWriteArrayList<>();
            CompletableFuture<EngineEvent.PeerConnected> cConnectedToA = new CompletableFuture<>();
            Torrent tc = c.add(info, root.resolve("c-out"), List.of(), AddOptions.defaults());
            tc.addListener(e -> {
                if (!(e instanceof EngineEvent.PieceVerified)) {
                    cEvents.add(e);
                }
                if (e instanceof EngineEvent.PeersFound f) {
                    found.add(f);
                } else if (e instanceof EngineEvent.PeerConnected pc && pc.outgoing()
                        && pc.peer().address().getPort() == addressOfA.getPort()) {
                    cConnectedToA.complete(pc);
                }
            });
            tc.addPeer(addressOf(b)); // the only address C is given
            try {
                cConnectedToA.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("C never connected to A at " + addressOfA + "; C's events: " + cEvents
                        + "; B's peers: " + tb.peerStatuses().get(5, TimeUnit.SECONDS), e);
            }

            assertTrue(found.stream().anyMatch(f -> f.source() == PeerSource.PEX && f.peers().contains(addressOfA)),
                    "A's address came to C through ut_pex: " + found);
            assertTrue(found.stream().noneMatch(f -> f.source() != PeerSource.PEX && f.peers().contains(addressOfA)),
                    "and from nowhere else: " + found);
            // BEP 11 flags: B knew A's bitfield and extension handshake before listing it; A dialled B.
            int flags = tc.pexFlags(addressOfA).get(GUARD.toSeconds(), TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("C kept no PEX flags for A"));
            assertEquals(PexPeer.SEED | PexPeer.SUPPORTS_HOLEPUNCH, flags & (PexPeer.SEED | PexPeer.SUPPORTS_HOLEPUNCH | PexPeer.REACHABLE),
                    "B told C that A seeds and speaks ut_holepunch, and not that B reached it: " + Integer.toBinaryString(flags));
            await(tc.completion(), "C's download");
        }
        assertSameFiles(info, content, root.resolve("c-out"));
    }

    @Test
    void pexOffMeansNoUtPexInTheHandshake() throws Exception {
        PeerDiscoverySettings off = PeerDiscoverySettings.offline().withPex(false, PexTracker.Options.defaults());
        try (Engine e = Engine.start(loopback(root, "nopex").toBuilder().discovery(off).build())) {
            Torrent t = e.addMagnet(dev.magnetar.metainfo.MagnetParser.parse("magnet:?xt=urn:btih:" + "cd".repeat(20)),
                    root.resolve("m"), AddOptions.defaults());
            assertTrue(t.extensions().handshake("x", 1, 1).idOf(PexTracker.EXTENSION).isEmpty(),
                    "ut_pex not offered when PEX is off");
            assertTrue(t.extensions().handshake("x", 1, 1).idOf("ut_metadata").isPresent());
        }
    }
}
