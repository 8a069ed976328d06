package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.dht.DhtNode;
import dev.magnetar.dht.DhtSettings;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.LibtorrentTorrents;
import dev.magnetar.testing.TestTorrents;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52's hybrid swarms in a private DHT on 127.0.0.1: a seeder announced only under a hybrid's
 * truncated v2 hash is found by our engine, which holds the torrent by its SHA-1, and the engine puts
 * itself in both swarms.
 */
class HybridDhtSwarmTest {

    private static final Duration GUARD = Duration.ofSeconds(90);

    @TempDir
    Path root;

    private final List<DhtNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(DhtNode::close);
    }

    @Test
    void aSeederAnnouncedOnlyUnderTheV2HashIsFoundAndTheEngineJoinsBothSwarms() throws Exception {
        Path content = root.resolve("content");
        TestTorrents.multiFile(content, "pack", 64 * 1024, 500_001, 70_000);
        LibtorrentTorrents.Made made = LibtorrentTorrents.make(content.resolve("pack"), root.resolve("hybrid.torrent"), 64 * 1024,
                "hybrid");
        TorrentInfo info = MetainfoParser.parse(Files.readAllBytes(made.file())).info();
        InfoHash v1 = InfoHash.fromHex(made.v1Hash());
        InfoHash v2 = InfoHash.fromHex(made.v2Hash().substring(0, 40));
        for (int i = 0; i < 3; i++) {
            List<String> bootstrap = nodes.isEmpty() ? List.of() : List.of(addressOf(nodes.get(0)));
            DhtNode n = new DhtNode(loopbackDht(bootstrap, null));
            n.start();
            nodes.add(n);
        }
        nodes.get(2).bootstrapped().get(GUARD.toSeconds(), TimeUnit.SECONDS);
        try (ChildProcess seeder = ChildProcess.start(List.of(ExternalTools.requireLibtorrentPython().toString(),
                script("lt_seed.py"), made.file().toString(), content.toString(), "0"), null)) {
            int seederPort = Integer.parseInt(seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY").substring(6).strip());
            // The seeder itself is in no DHT: a node of ours puts its port in the v2 swarm, and there only.
            assertTrue(nodes.get(2).announce(v2, seederPort).get(GUARD.toSeconds(), TimeUnit.SECONDS) > 0);

            PeerDiscoverySettings discovery = PeerDiscoverySettings.offline()
                    .withDht(loopbackDht(List.of(addressOf(nodes.get(1))), null))
                    .withDhtIntervals(Duration.ofMinutes(5), Duration.ofSeconds(1));
            EngineSettings settings = EngineSettings.builder(root.resolve("downloads"), root.resolve("resume"))
                    .listen("127.0.0.1", 0).discovery(discovery).build();
            try (Engine engine = Engine.start(settings)) {
                Torrent t = engine.add(info, root.resolve("out"), List.of(), AddOptions.defaults());
                assertEquals(v1, t.infoHash());
                t.completion().get(GUARD.toSeconds(), TimeUnit.SECONDS);
                assertEquals(info.totalLength(), t.verifiedBytes());
                int ourPort = engine.listenAddress().getPort();
                DhtNode observer = nodes.get(0);
                awaitTrue(() -> lists(observer, v1, ourPort) && lists(observer, v2, ourPort),
                        "the engine announced itself under the SHA-1 and the truncated SHA-256");
            }
            seeder.closeStdin();
        }
    }

    /** Whether a get_peers lookup of {@code swarm} names our port (false while the announce is on its way). */
    private static boolean lists(DhtNode node, InfoHash swarm, int port) {
        try {
            return node.getPeers(swarm).get(GUARD.toSeconds(), TimeUnit.SECONDS).stream().map(InetSocketAddress::getPort)
                    .anyMatch(p -> p == port);
        } catch (Exception e) {
            throw new AssertionError("lookup of " + swarm + " failed", e);
        }
    }

    /** Asks again until true: each try is a real round of lookups, so no sleep sets the pace. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + GUARD);
            }
        }
    }

    /** 127.0.0.1 only, never the public routers; one-IP rules relaxed, since every node shares that address. */
    private static DhtSettings loopbackDht(List<String> bootstrap, Path stateFile) {
        return new DhtSettings(true, "127.0.0.1", 0, bootstrap, true, false, stateFile, 5000, 5000, 20000, Duration.ofSeconds(1));
    }

    private static String addressOf(DhtNode node) {
        return "127.0.0.1:" + node.port();
    }

    private static String script(String name) throws Exception {
        return Path.of(HybridDhtSwarmTest.class.getResource("/interop/" + name).toURI()).toString();
    }
}
