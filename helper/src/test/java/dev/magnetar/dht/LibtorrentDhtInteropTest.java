package dev.magnetar.dht;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.testing.ExternalTools;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 acceptance: a private DHT on 127.0.0.1 of libtorrent 2.0.8 sessions and our nodes, all
 * bootstrapped to each other. Our lookups must work through libtorrent's nodes, and libtorrent's
 * lookups must work through ours.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class LibtorrentDhtInteropTest {

    private static final Duration OVERALL = Duration.ofSeconds(45);
    private static final List<DhtNode> ours = new ArrayList<>();
    private static LibtorrentDhtProcess libtorrent;
    /**
     * Nodes a test adds stay up until the end: a closed node lingers in everyone's routing table, and
     * libtorrent's announce traversal then waits out its full timeout on it.
     */
    private static final List<AutoCloseable> joinedLater = new ArrayList<>();

    @BeforeAll
    static void startMixedNetwork() throws Exception {
        ExternalTools.requireLibtorrentPython();
        DhtNode first = new DhtNode(LoopbackDht.settings(List.of(), null));
        first.start();
        ours.add(first);
        for (int i = 0; i < 2; i++) {
            DhtNode n = new DhtNode(LoopbackDht.settings(List.of(LoopbackDht.address(first)), null));
            n.start();
            ours.add(n);
        }
        libtorrent = new LibtorrentDhtProcess(3, ours.stream().map(DhtNode::port).toList());
        for (DhtNode n : ours) {
            for (int port : libtorrent.ports()) {
                assertTrue(n.addNode(new InetSocketAddress("127.0.0.1", port)).get(20, TimeUnit.SECONDS),
                        "libtorrent node " + port + " answers our ping");
            }
            n.bootstrap().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopMixedNetwork() throws Exception {
        for (AutoCloseable c : joinedLater) {
            c.close();
        }
        if (libtorrent != null) {
            libtorrent.close();
        }
        ours.forEach(DhtNode::close);
    }

    @Test
    void ourLookupFindsAPeerThatLibtorrentAnnounced() throws Exception {
        InfoHash ih = InfoHash.fromHex("aa00000000000000000000000000000000000001");
        libtorrent.send("announce " + ih.hex() + " 1");
        String announcing = libtorrent.awaitLine(l -> l.startsWith("ANNOUNCING " + ih.hex()), OVERALL);
        InetSocketAddress seeder = new InetSocketAddress("127.0.0.1", Integer.parseInt(announcing.split(" ")[2]));

        // A fresh node of ours that knows only one libtorrent node: every hop starts with libtorrent's answers.
        DhtNode searcher = new DhtNode(LoopbackDht.settings(List.of("127.0.0.1:" + libtorrent.ports().get(0)), null));
        joinedLater.add(searcher);
        searcher.start();
        searcher.bootstrap().get(30, TimeUnit.SECONDS);
        // libtorrent announces asynchronously; look again until its announce has landed.
        List<InetSocketAddress> peers = LoopbackDht.lookUpUntilFound(searcher, ih, seeder, OVERALL);
        assertTrue(peers.contains(seeder), "found " + peers + ", wanted " + seeder);
        // libtorrent took a token from one of our get_peers answers and we accepted its announce_peer.
        DhtNodeTest.awaitCondition(() -> ours.stream().anyMatch(n -> n.storedPeers(ih).contains(seeder)),
                "libtorrent's announce is stored on one of our nodes");
    }

    @Test
    void libtorrentLookupThroughOurNodeFindsWhatWeAnnounced() throws Exception {
        InfoHash ih = InfoHash.fromHex("bb00000000000000000000000000000000000002");
        int ourPort = 45678;
        int accepted = ours.get(1).announce(ih, ourPort).get(30, TimeUnit.SECONDS);
        assertTrue(accepted >= 1, "nodes accepted our announce: " + accepted);
        // libtorrent's own nodes accepted our announce_peer, tokens and all.
        libtorrent.awaitLine(l -> l.startsWith("INCOMING_ANNOUNCE ") && l.contains(ih.hex()) && l.endsWith(" " + ourPort), OVERALL);

        // A fresh libtorrent session that knows only our node: its lookup must go through our answers.
        LibtorrentDhtProcess lonely = new LibtorrentDhtProcess(1, List.of(ours.get(0).port()));
        joinedLater.add(lonely);
        long deadline = System.nanoTime() + OVERALL.toNanos();
        String found = null;
        while (found == null && System.nanoTime() < deadline) {
            lonely.send("get_peers " + ih.hex());
            found = lonely.pollLine(l -> l.startsWith("PEERS " + ih.hex()) && l.contains("127.0.0.1:" + ourPort),
                    Duration.ofSeconds(3));
        }
        assertTrue(found != null, "libtorrent found our announced port; its other output: " + lonely.drain());
    }
}
