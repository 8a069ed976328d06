package dev.magnetar.bench;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.engine.Torrent;
import dev.magnetar.engine.TorrentEvent;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Benchmark-only (bench/swarm {@code --warm-rounds}): downloads the same torrent from one peer several
 * times in ONE engine, so that every round after the first runs on code the JIT has already compiled.
 * Comparing its later rounds with a fresh {@code java -jar … download} separates the engine's
 * steady-state speed from the JVM's warm-up. Never shipped; run from source with the jar on the
 * class path: {@code java -cp helper/target/magnetar.jar bench/WarmDownload.java TORRENT PORT ROUNDS WORKDIR}.
 * Prints one line per round: {@code warm round N: S s}.
 */
public final class WarmDownload {

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: WarmDownload TORRENT PEER_PORT ROUNDS WORKDIR");
            System.exit(2);
        }
        Metainfo metainfo = MetainfoParser.parse(Files.readAllBytes(Path.of(args[0])));
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        int rounds = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]);
        EngineSettings settings = EngineSettings.defaults(work, work.resolve("resume"))
                .withListen("127.0.0.1", 0).withDiscovery(PeerDiscoverySettings.offline());
        try (Engine engine = Engine.start(settings)) {
            for (int round = 1; round <= rounds; round++) {
                Path dir = Files.createDirectories(work.resolve("round-" + round));
                long start = System.nanoTime();
                Torrent t = engine.add(metainfo, dir, new AddOptions(null, false, false));
                t.addPeer(peer);
                t.completion().get();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.println(String.format(Locale.ROOT, "warm round %d: %.3f s", round, seconds));
                // Remove it with its data and resume file, and wait for that before the next add,
                // which reuses the info-hash.
                CompletableFuture<Void> removed = new CompletableFuture<>();
                try (AutoCloseable sub = engine.subscribe(e -> {
                    if (e instanceof TorrentEvent.Removed) {
                        removed.complete(null);
                    }
                })) {
                    engine.remove(metainfo.info().infoHash().hex(), true);
                    removed.get();
                }
            }
        }
    }

}
