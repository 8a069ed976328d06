package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the engine's loopback tests. */
public final class EngineFixtures {

    /** Hang guard only: every wait ends as soon as its condition holds. */
    public static final Duration GUARD = Duration.ofSeconds(90);

    private EngineFixtures() {}

    /**
     * Whether engines built from these fixtures speak uTP. Off unless {@code -Dmagnetar.test.utp=true}:
     * between two of our engines on loopback uTP wins every dial race, and its LEDBAT makes the many
     * swarm tests crawl; the Utp* tests turn it on themselves, and the property runs everything over it.
     */
    public static final boolean UTP = Boolean.getBoolean("magnetar.test.utp");

    public static EngineSettings loopback(Path root, String name) {
        return EngineSettings.builder(root.resolve(name + "-downloads"), root.resolve(name + "-resume"))
                .listen("127.0.0.1", 0).discovery(PeerDiscoverySettings.offline()).utp(UTP).build();
    }

    /** Like {@link #loopback} without BEP 11 PEX: for tests whose peers must not learn of each other. */
    static EngineSettings loopbackWithoutPex(Path root, String name) {
        return loopback(root, name).toBuilder().discovery(PeerDiscoverySettings.offline()
                .withPex(false, dev.magnetar.metadata.PexTracker.Options.defaults())).build();
    }

    public static InetSocketAddress addressOf(Engine e) {
        return new InetSocketAddress("127.0.0.1", e.listenAddress().getPort());
    }

    /** Removes the torrent held by {@code infoHashHex} and waits until the engine reports it removed. */
    static void removeAndAwait(Engine engine, String infoHashHex, boolean deleteData) throws Exception {
        CompletableFuture<Void> removed = new CompletableFuture<>();
        try (AutoCloseable sub = engine.subscribe(e -> {
            if (e instanceof EngineEvent.TorrentRemoved) {
                removed.complete(null);
            }
        })) {
            engine.remove(infoHashHex, deleteData);
            await(removed, "the removal");
        }
    }

    /**
     * A single-file torrent of {@code content}'s bytes, written to {@code root/content/name}, the way a user's
     * client would make it (the metainfo parsed back, so the stream tests see what the engine sees).
     */
    static Metainfo singleFileTorrent(Path root, String name, byte[] content, int pieceLength) throws Exception {
        Path file = Files.createDirectories(root.resolve("content")).resolve(name);
        Files.write(file, content);
        return MetainfoParser.parse(TorrentCreator.create(file,
                new TorrentCreator.Options(List.of(), pieceLength, false, null, "Magnetar/test", null), b -> { }));
    }

    /** The picker's time-critical pieces, read on the torrent's loop after every task queued before. */
    static List<Integer> timeCriticalPieces(Torrent t) throws Exception {
        return t.loop().submit(() -> t.picker().deadlines()).get(GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Adds {@code metainfo} to {@code engine} with its data in {@code downloads} and waits until the check is
     * done and it downloads: the picker exists from then on.
     */
    static Torrent addAndAwaitDownloading(Engine engine, dev.magnetar.metainfo.Metainfo metainfo, Path downloads) throws Exception {
        String hash = metainfo.info().infoHash().hex();
        CompletableFuture<Void> downloading = new CompletableFuture<>();
        try (AutoCloseable sub = engine.subscribe(e -> {
            if (e instanceof EngineEvent.StateChanged c && c.infoHash().hex().equals(hash) && c.status().state() == TorrentState.DOWNLOADING) {
                downloading.complete(null);
            }
        })) {
            Torrent t = engine.add(metainfo, downloads, AddOptions.defaults());
            await(downloading, "the check");
            return t;
        }
    }

    static void await(CompletableFuture<?> f, String what) throws Exception {
        try {
            f.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what + " did not happen within the " + GUARD + " hang guard", e);
        }
    }

    /**
     * Tears down what a test that plays a peer by hand opened: its channel, then its own event loops,
     * then the engine. Any of them may be null (set-up failed before it).
     */
    static void closeAll(Channel peerChannel, EventLoopGroup peerLoops, Engine engine) throws InterruptedException {
        if (peerChannel != null) {
            peerChannel.close();
        }
        if (peerLoops != null) {
            peerLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        if (engine != null) {
            engine.close();
        }
    }

    /** Every data file of {@code info} under {@code actualDir} has the same bytes as under {@code expectedDir}. */
    static void assertSameFiles(TorrentInfo info, Path expectedDir, Path actualDir) throws IOException {
        for (TorrentFile f : info.files()) {
            if (f.padding()) {
                continue;
            }
            Path expected = f.resolveIn(expectedDir);
            Path actual = f.resolveIn(actualDir);
            assertEquals(Files.size(expected), Files.size(actual), "size of " + f.displayPath());
            assertArrayEquals(sha256(expected), sha256(actual), "content of " + f.displayPath());
        }
    }

    static byte[] sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
