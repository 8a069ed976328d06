package dev.magnetar.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.engine.PeerSource;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentState;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.StateHistory;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 acceptance: a private DHT of 8 nodes on 127.0.0.1 — four plain {@link DhtNode}s of ours,
 * three libtorrent sessions (one of them seeding, which announces the torrent into the DHT) and our
 * engine's own node. The engine gets a bare magnet (info-hash only: no tr, no x.pe) and ONE bootstrap
 * node, finds the seeder through get_peers and downloads the torrent byte for byte.
 */
class PrivateDhtSwarmTest {

    private static final Duration GUARD = Duration.ofSeconds(120);

    @TempDir
    Path root;

    private final List<DhtNode> ours = new ArrayList<>();
    private LibtorrentDhtProcess libtorrent;

    @AfterEach
    void stop() {
        if (libtorrent != null) {
            libtorrent.close();
        }
        ours.forEach(DhtNode::close);
    }

    @Test
    void bareMagnetIsDownloadedThroughTheDhtAlone() throws Exception {
        ExternalTools.requireLibtorrentPython();
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "dht-swarm", 64 * 1024, 1_500_000, 333_333);
        Path torrentFile = TorrentFiles.write(info, root.resolve("dht-swarm.torrent"));

        for (int i = 0; i < 4; i++) {
            List<String> bootstrap = ours.isEmpty() ? List.of() : List.of(LoopbackDht.address(ours.get(0)));
            DhtNode n = new DhtNode(LoopbackDht.settings(bootstrap, null));
            n.start();
            ours.add(n);
        }
        libtorrent = new LibtorrentDhtProcess(3, ours.stream().map(DhtNode::port).toList());
        libtorrent.send("seed " + torrentFile + " " + content + " 0");
        String seeding = libtorrent.awaitLine(l -> l.startsWith("SEEDING "), GUARD);
        int seederPort = Integer.parseInt(seeding.substring(seeding.lastIndexOf(' ') + 1));
        assertEquals(info.infoHash().hex(), seeding.split(" ")[1]);

        // One bootstrap node only: the engine has to find the rest (and the seeder) by itself.
        DhtSettings engineDht = LoopbackDht.settings(List.of(LoopbackDht.address(ours.get(3))),
                root.resolve("resume").resolve("dht.state"));
        PeerDiscoverySettings discovery = PeerDiscoverySettings.offline().withDht(engineDht)
                .withDhtIntervals(Duration.ofMinutes(5), Duration.ofSeconds(1));
        EngineSettings settings = EngineSettings.builder(root.resolve("downloads"), root.resolve("resume"))
                .listen("127.0.0.1", 0).discovery(discovery).build();
        Path target = root.resolve("out");
        try (Engine engine = Engine.start(settings)) {
            assertTrue(engine.dhtNode().isPresent(), "the engine runs a DHT node");
            StateHistory history = StateHistory.of(engine, info.infoHash().hex());
            // Subscribed before the add: the DHT can answer before a listener added to the torrent afterwards.
            List<EngineEvent.PeersFound> found = new CopyOnWriteArrayList<>();
            AutoCloseable peersFound = engine.subscribe(e -> {
                if (e instanceof EngineEvent.PeersFound f && f.infoHash().equals(info.infoHash())) {
                    found.add(f);
                }
            });
            Torrent t = engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + info.infoHash().hex()), target,
                    AddOptions.defaults());
            t.completion().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            // Fetched from the DHT's peers; it may already be CHECKING by the time this thread looks.
            assertEquals(List.of(TorrentState.FETCHING_METADATA, TorrentState.CHECKING), history.states().subList(0, 2));
            history.close();

            assertEquals(info.infoHash(), t.info().infoHash());
            assertEquals(info.totalLength(), t.verifiedBytes());
            InetSocketAddress seeder = new InetSocketAddress("127.0.0.1", seederPort);
            assertTrue(found.stream().anyMatch(f -> f.source() == PeerSource.DHT && f.peers().contains(seeder)),
                    "the seeder's address came from the DHT: " + found);
            peersFound.close();
            assertTrue(engine.dhtNode().get().routingTableSize() >= 3,
                    "the engine's node learnt the network beyond its one bootstrap node");
        }
        assertTrue(Files.exists(root.resolve("resume").resolve("dht.state")), "routing table saved in the resume dir");
        for (TorrentFile f : info.files()) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(f.resolveIn(content)), Files.readAllBytes(f.resolveIn(target))),
                    "content of " + f.displayPath());
        }
    }
}
