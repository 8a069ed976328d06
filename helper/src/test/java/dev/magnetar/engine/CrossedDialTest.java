package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two of our engines told about each other at the same moment dial each other at once. Each side's
 * incoming handshake completes before its own dial's (the acceptor reads the dialler's handshake before
 * the dialler reads the answer), so keeping the first connection admitted keeps a different one on each
 * side, and each refuses the other's: zero connections. {@link CrossedConnections} makes both keep the
 * one the lower peer id dialled.
 */
class CrossedDialTest {

    @TempDir
    Path root;

    @ParameterizedTest(name = "uTP {0}")
    @ValueSource(booleans = {false, true})
    void twoEnginesDiallingEachOtherAtOnceKeepExactlyOneConnection(boolean utp) throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "crossed", 32 * 1024, 600_000);
        try (Engine a = Engine.start(loopback(root, "a").toBuilder().utp(utp).build());
                Engine b = Engine.start(loopback(root, "b").toBuilder().utp(utp).build())) {
            Torrent ta = a.add(info, content, List.of(), AddOptions.defaults());
            await(ta.completion(), "A's check");
            Torrent tb = b.add(info, root.resolve("b-out"), List.of(), AddOptions.defaults());

            ta.addPeer(addressOf(b));
            tb.addPeer(addressOf(a));

            if (utp) {
                // The two uTP SYNs cross on the same pair of UDP ports, and the uTP layer itself makes them one
                // connection (SimultaneousOpen) that both ends count as their own dial.
                Interop.pollUntil(() -> connections(ta) == 1 && connections(tb) == 1, null,
                        "one connection at each end");
            } else {
                Interop.pollUntil(() -> oneConnectionSeenFromBothEnds(ta, tb), null,
                        "one connection between A and B, outgoing at one end and incoming at the other");
                boolean aDialled = flags(ta).contains("O");
                boolean aIsLower = Arrays.compareUnsigned(a.peerId(), b.peerId()) < 0;
                assertEquals(aIsLower, aDialled, "the connection kept is the one the lower peer id dialled");
            }

            await(tb.completion(), "B's download");
            assertEquals(1, ta.peerStatuses().get(5, TimeUnit.SECONDS).size(), "A still has one connection");
            assertEquals(1, tb.peerStatuses().get(5, TimeUnit.SECONDS).size(), "B still has one connection");
        }
        assertSameFiles(info, content, root.resolve("b-out"));
    }

    private static boolean oneConnectionSeenFromBothEnds(Torrent ta, Torrent tb) {
        try {
            List<PeerStatus> atA = ta.peerStatuses().get(5, TimeUnit.SECONDS);
            List<PeerStatus> atB = tb.peerStatuses().get(5, TimeUnit.SECONDS);
            return atA.size() == 1 && atB.size() == 1
                    && atA.get(0).flags().contains("O") != atB.get(0).flags().contains("O");
        } catch (Exception e) {
            throw new AssertionError("peer statuses", e);
        }
    }

    private static int connections(Torrent t) {
        try {
            return t.peerStatuses().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            throw new AssertionError("peer statuses", e);
        }
    }

    private static String flags(Torrent t) throws Exception {
        List<PeerStatus> peers = t.peerStatuses().get(5, TimeUnit.SECONDS);
        assertEquals(1, peers.size(), "one connection: " + peers);
        return peers.get(0).flags();
    }
}
