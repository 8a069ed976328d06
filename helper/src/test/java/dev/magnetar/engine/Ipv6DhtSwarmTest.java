package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.dht.DhtNode;
import dev.magnetar.dht.DhtSettings;
import dev.magnetar.dht.IpFamily;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 32 end to end on ::1: two engines listening on ::1 and a DHT node of ours as their router. The
 * seeding engine announces itself into the IPv6 DHT; the other gets a bare magnet, finds the seeder by
 * get_peers over IPv6 and downloads the torrent from it over ::1.
 */
class Ipv6DhtSwarmTest {

    private static final Duration GUARD = Duration.ofSeconds(90);

    @TempDir
    Path root;

    private final List<DhtNode> routers = new ArrayList<>();

    @AfterEach
    void stop() {
        routers.forEach(DhtNode::close);
    }

    @Test
    void aBareMagnetIsFoundThroughTheIpv6DhtAndDownloadedOverIpv6() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "six", 32 * 1024, 400_003, 77_777);
        DhtNode router = new DhtNode(ipv6Dht(List.of()));
        router.start();
        routers.add(router);
        String routerAddress = "[::1]:" + router.port();

        try (Engine seeder = Engine.start(engineOnIpv6("seeder", routerAddress))) {
            DhtNode seederDht = seeder.dhtNode().orElseThrow();
            assertEquals(Set.of(IpFamily.V6), seederDht.families(), "an engine on ::1 keeps its DHT on ::1, not 127.0.0.1");
            Torrent seeding = seeder.add(info, content, List.of(), AddOptions.defaults());
            seeding.completion().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            InetSocketAddress seederPeer = new InetSocketAddress("::1", seeder.listenAddress().getPort());
            Interop.pollUntil(() -> router.storedPeers(info.infoHash()).contains(seederPeer), null,
                    "the seeder's announce_peer over IPv6", GUARD);

            try (Engine leecher = Engine.start(engineOnIpv6("leecher", routerAddress))) {
                Path target = root.resolve("out");
                Torrent t = leecher.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + info.infoHash().hex()), target,
                        AddOptions.defaults());
                List<EngineEvent.PeersFound> found = new CopyOnWriteArrayList<>();
                t.addListener(e -> {
                    if (e instanceof EngineEvent.PeersFound f) {
                        found.add(f);
                    }
                });
                t.completion().get(GUARD.toSeconds(), TimeUnit.SECONDS);

                assertEquals(info.totalLength(), t.verifiedBytes());
                assertTrue(found.stream().anyMatch(f -> f.source() == PeerSource.DHT && f.peers().contains(seederPeer)),
                        "the seeder's IPv6 address came from the DHT: " + found);
                assertTrue(found.stream().flatMap(f -> f.peers().stream()).allMatch(p -> p.getAddress() instanceof Inet6Address),
                        "every peer found is an IPv6 one: " + found);
                for (TorrentFile f : info.files()) {
                    assertArrayEquals(Files.readAllBytes(f.resolveIn(content)), Files.readAllBytes(f.resolveIn(target)),
                            "content of " + f.displayPath());
                }
            }
        }
    }

    private EngineSettings engineOnIpv6(String name, String bootstrap) {
        PeerDiscoverySettings discovery = PeerDiscoverySettings.offline()
                .withDht(ipv6Dht(List.of(bootstrap)))
                .withDhtIntervals(Duration.ofMinutes(5), Duration.ofSeconds(1));
        return EngineSettings.builder(root.resolve(name).resolve("downloads"), root.resolve(name).resolve("resume"))
                .listen("::1", 0).discovery(discovery).build();
    }

    /** ::1 only, never the public routers; one-IP rules relaxed, since every node shares that address. */
    private static DhtSettings ipv6Dht(List<String> bootstrap) {
        return new DhtSettings(true, "::1", 0, bootstrap, true, false, null, 5000, 5000, 20000, Duration.ofSeconds(1));
    }
}
