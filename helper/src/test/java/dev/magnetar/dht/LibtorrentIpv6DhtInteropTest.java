package dev.magnetar.dht;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.testing.ExternalTools;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BEP 32 against libtorrent 2.0.8: its sessions listen on [::1] and bootstrap from our node on ::1, so
 * every query, token and announce between us goes over IPv6 with "nodes6" and 18-byte peers.
 */
class LibtorrentIpv6DhtInteropTest {

    private static final Duration OVERALL = Duration.ofSeconds(60);

    private DhtNode ours;
    private LibtorrentDhtProcess libtorrent;
    private final List<AutoCloseable> joinedLater = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ExternalTools.requireLibtorrentPython();
        ours = new DhtNode(LoopbackDht.ipv6(List.of()));
        ours.start();
        libtorrent = new LibtorrentDhtProcess(2, List.of(ours.port()), "::1");
        DhtNodeTest.awaitCondition(() -> ours.routingTable(IpFamily.V6).size() >= 2,
                "both libtorrent sessions joined our node over IPv6");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : joinedLater) {
            c.close();
        }
        if (libtorrent != null) {
            libtorrent.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    @Test
    void libtorrentTakesOurIpv6AnnounceAndFindsItThroughItsOwnLookup() throws Exception {
        InfoHash ih = InfoHash.fromHex("6b00000000000000000000000000000000000032");
        int ourPort = 45632;
        int accepted = ours.announce(ih, ourPort).get(30, TimeUnit.SECONDS);
        assertTrue(accepted >= 1, "libtorrent nodes accepted our announce over IPv6: " + accepted);
        libtorrent.awaitLine(l -> l.startsWith("INCOMING_ANNOUNCE ") && l.contains(ih.hex()) && l.contains(" ::1 ")
                && l.endsWith(" " + ourPort), OVERALL);

        long deadline = System.nanoTime() + OVERALL.toNanos();
        String found = null;
        while (found == null && System.nanoTime() < deadline) {
            libtorrent.send("get_peers " + ih.hex() + " 1");
            found = libtorrent.pollLine(l -> l.startsWith("PEERS " + ih.hex()) && l.contains("::1:" + ourPort),
                    Duration.ofSeconds(3));
        }
        assertTrue(found != null, "libtorrent found [::1]:" + ourPort + "; its other output: " + libtorrent.drain());
    }

    @Test
    void ourLookupOverIpv6FindsWhatLibtorrentAnnounced() throws Exception {
        InfoHash ih = InfoHash.fromHex("6c00000000000000000000000000000000000032");
        libtorrent.send("announce " + ih.hex() + " 1");
        String announcing = libtorrent.awaitLine(l -> l.startsWith("ANNOUNCING " + ih.hex()), OVERALL);
        InetSocketAddress seeder = new InetSocketAddress("::1", Integer.parseInt(announcing.split(" ")[2]));

        DhtNode searcher = new DhtNode(LoopbackDht.ipv6(List.of("[::1]:" + libtorrent.ports().get(0))));
        joinedLater.add(searcher);
        searcher.start();
        searcher.bootstrap().get(30, TimeUnit.SECONDS);
        // libtorrent announces asynchronously; look again until its announce has landed.
        List<InetSocketAddress> peers = LoopbackDht.lookUpUntilFound(searcher, ih, seeder, OVERALL);
        assertTrue(peers.contains(seeder), "found " + peers + ", wanted " + seeder);
    }
}
