package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.dht.DhtNode;
import dev.magnetar.dht.DhtSettings;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.tracker.EmbeddedTracker;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A helper left running for weeks adds and removes thousands of torrents: once removed, nothing of the
 * engine may keep a torrent reachable (its peers, pieces, storage and metadata with it) — not the DHT's
 * next lookup, not the tracker's last announce, not an event loop task. Each source of peers a torrent
 * can have is in use here: a tracker, the DHT (a loopback one, so lookups are scheduled), peers added by
 * hand and a magnet's x.pe.
 */
class RemovedTorrentReleaseTest {

    /**
     * Far less than the DHT's intervals below (a torrent held until its next lookup would still be held),
     * and generous for a loaded CI machine: it bounds how long the collector is asked, not a speed.
     */
    private static final long GIVE_UP_NANOS = 60_000_000_000L;

    @TempDir
    Path root;

    @Test
    void aRemovedTorrentIsNoLongerReachableFromTheEngine() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo file = TestTorrents.singleFile(content, "from-a-file", 32 * 1024, 600_000, 41);
        TorrentInfo magnet = TestTorrents.singleFile(content, "from-a-magnet", 32 * 1024, 400_000, 42);
        ReferenceQueue<Torrent> released = new ReferenceQueue<>();
        List<Reference<Torrent>> removed = new ArrayList<>();
        try (DhtNode router = new DhtNode(loopbackDht(List.of()));
                EmbeddedTracker tracker = InteropTorrent.quickTracker()) {
            router.start();
            // Bootstrapped from a node that answers, the leecher's DHT looks its torrents up at once and
            // schedules their next lookups minutes ahead.
            EngineSettings withDht = loopback(root, "leecher").toBuilder()
                    .discovery(PeerDiscoverySettings.offline().withDht(loopbackDht(List.of("127.0.0.1:" + router.port())))
                            .withDhtIntervals(Duration.ofMinutes(5), Duration.ofMinutes(5)))
                    .build();
            run(withDht, router, tracker, file, magnet, released, removed);
        }
    }

    private void run(EngineSettings withDht, DhtNode router, EmbeddedTracker tracker, TorrentInfo file, TorrentInfo magnet,
            ReferenceQueue<Torrent> released, List<Reference<Torrent>> removed) throws Exception {
        Path content = root.resolve("content");
        try (Engine seeder = Engine.start(loopback(root, "seeder"));
                Engine leecher = Engine.start(withDht)) {
            await(leecher.dhtNode().orElseThrow().bootstrapped(), "the leecher's DHT bootstrap");
            await(seeder.add(file, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");
            await(seeder.add(magnet, content, List.of(), AddOptions.defaults()).completion(), "the seeder's check");

            downloadAndRemove(leecher, seeder, router, file, tracker, released, removed);
            downloadAndRemove(leecher, seeder, router, magnet, null, released, removed);

            int cleared = 0;
            long deadline = System.nanoTime() + GIVE_UP_NANOS;
            while (cleared < removed.size() && System.nanoTime() < deadline) {
                System.gc(); // a request; the queue below says when a torrent was actually collected
                if (released.remove(500) != null) {
                    cleared++;
                }
            }
            assertTrue(cleared == removed.size(), (removed.size() - cleared) + " removed torrents are still reachable");
        }
    }

    /** A DHT node on 127.0.0.1 with the one-IP rules relaxed (every node of the test shares the address). */
    private static DhtSettings loopbackDht(List<String> bootstrap) {
        return new DhtSettings(true, "127.0.0.1", 0, bootstrap, true, false, null, 5000, 5000, 20000, Duration.ofSeconds(1));
    }

    /** In a method of its own, so that no local variable of the test keeps the torrent. */
    private void downloadAndRemove(Engine leecher, Engine seeder, DhtNode router, TorrentInfo info, EmbeddedTracker tracker,
            ReferenceQueue<Torrent> released, List<Reference<Torrent>> removed) throws Exception {
        Path dl = root.resolve("dl-" + info.name());
        Torrent t;
        if (tracker == null) {
            t = leecher.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + info.infoHash().hex() + "&x.pe=127.0.0.1:"
                    + addressOf(seeder).getPort()), dl, AddOptions.defaults());
        } else {
            t = leecher.add(info, dl, List.of(List.of(tracker.announceUri().toString())), AddOptions.defaults());
            t.addPeer(addressOf(seeder));
        }
        await(t.completion(), "the download of " + info.name());
        // Its DHT round has run (it announced itself to the router) and the next is scheduled minutes ahead.
        Interop.pollUntil(() -> !router.storedPeers(info.infoHash()).isEmpty(), null, "the DHT announce of " + info.name());
        removed.add(new WeakReference<>(t, released));
        // Until its removal has run on the loop, the engine holds the torrent by right.
        EngineFixtures.removeAndAwait(leecher, info.infoHash().hex(), true);
    }
}
