package dev.magnetar.bench;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.util.JvmFlags;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Benchmark-only (bench/swarm): ONE engine that stays up between rounds, the way the helper daemon
 * holds it, downloading the same torrent from one peer each time it reads a line on stdin. The
 * benchmark alternates these rounds with libtorrent's, so its first round runs on cold code and
 * the later ones on code the JIT has compiled, like a user's first and later downloads in a running
 * helper.
 *
 * <p>Never shipped. bench/swarm compiles it against the jar ({@code javac -cp magnetar.jar -d DIR}) and
 * runs {@code java -cp magnetar.jar:DIR dev.magnetar.bench.LongLivedEngine TORRENT PEER_PORT WORKDIR}:
 * run as a source file it would carry javac in its memory, ~40 MiB the daemon does not have.
 * Prints {@code ready} once the engine is up, then {@code round N: S s} per line read (seconds from
 * adding the torrent to its last piece verified, as the CLI's figure); exits at end of input. A line that
 * holds a port number dials that port instead of PEER_PORT for its round ({@code bench/swarm --utp} puts a
 * fresh relay before the seeder for each download). uTP is on, as the engine's default is, so a peer that
 * speaks only uTP is reached over it. With
 * {@code --print-helper-flags} it only prints the JVM flags the native host starts the daemon with
 * ({@link JvmFlags#HELPER}, {@link JvmFlags#trimNativeHeap}), for the benchmark to start it with them.
 */
public final class LongLivedEngine {

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--print-helper-flags")) {
            // What the native host starts the daemon with, on this same java.
            List<String> flags = new ArrayList<>(JvmFlags.HELPER);
            flags.addAll(JvmFlags.trimNativeHeap(Runtime.version()));
            System.out.println(String.join(" ", flags));
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: LongLivedEngine TORRENT PEER_PORT WORKDIR");
            System.exit(2);
        }
        Metainfo metainfo = MetainfoParser.parse(Files.readAllBytes(Path.of(args[0])));
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        Path work = Path.of(args[2]);
        EngineSettings settings = EngineSettings.builder(work, work.resolve("resume"))
                .listen("127.0.0.1", 0).discovery(PeerDiscoverySettings.offline()).build();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Engine engine = Engine.start(settings)) {
            System.out.println("ready");
            int round = 0;
            String line;
            while ((line = commands.readLine()) != null) {
                round++;
                InetSocketAddress roundPeer = line.isBlank() || line.equals("go") ? peer
                        : new InetSocketAddress("127.0.0.1", Integer.parseInt(line.replace("go", "").trim()));
                Path dir = Files.createDirectories(work.resolve("round-" + round));
                long start = System.nanoTime();
                Torrent t = engine.add(metainfo, dir, new AddOptions(null, false, false));
                t.addPeer(roundPeer);
                t.completion().get();
                double seconds = (System.nanoTime() - start) / 1e9;
                removeWithData(engine, metainfo);
                System.out.println(String.format(Locale.ROOT, "round %d: %.3f s", round, seconds));
            }
        }
    }

    /** Removes the torrent with its data and resume file, and waits for that: the next add reuses the info-hash. */
    private static void removeWithData(Engine engine, Metainfo metainfo) throws Exception {
        CompletableFuture<Void> removed = new CompletableFuture<>();
        try (AutoCloseable sub = engine.subscribe(e -> {
            if (e instanceof EngineEvent.TorrentRemoved) {
                removed.complete(null);
            }
        })) {
            engine.remove(metainfo.info().infoHash().hex(), true);
            removed.get();
        }
    }
}
