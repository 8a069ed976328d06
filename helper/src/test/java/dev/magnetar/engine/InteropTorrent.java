package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.tracker.EmbeddedTracker;
import dev.magnetar.tracker.TrackerServerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.List;

/**
 * The acceptance torrent of issue 2 for the real-client interop tests: several files, more than 64 MiB,
 * a final piece shorter than the others; content under {@code content/interop/}, the .torrent beside it.
 */
record InteropTorrent(Path content, Path torrentFile, Metainfo metainfo) {

    static final int PIECE_LENGTH = 256 * 1024;

    /** Writes random content and a .torrent announcing to {@code announceUrl} (none when null). */
    static InteropTorrent create(Path root, String announceUrl) throws Exception {
        List<List<String>> tiers = announceUrl == null ? List.of() : List.of(List.of(announceUrl));
        InteropTorrent t = multiFile(root, "interop", PIECE_LENGTH, tiers, 24_000_000, 30_000_001, 17_000_123);
        assertTrue(t.metainfo().info().totalLength() >= 64L << 20);
        assertTrue(t.metainfo().info().totalLength() % t.metainfo().info().pieceLength() != 0, "odd final piece");
        return t;
    }

    /**
     * Random files of {@code sizes} under {@code content/NAME/} and {@code NAME.torrent} beside
     * {@code content}, without trackers: the peers of an interop test are given by hand.
     */
    static InteropTorrent multiFile(Path root, String name, int pieceLength, long... sizes) throws Exception {
        return multiFile(root, name, pieceLength, List.of(), sizes);
    }

    private static InteropTorrent multiFile(Path root, String name, int pieceLength, List<List<String>> tiers,
            long... sizes) throws Exception {
        Path content = root.resolve("content");
        TestTorrents.multiFile(content, name, pieceLength, sizes);
        byte[] torrent = TorrentCreator.create(content.resolve(name),
                new TorrentCreator.Options(tiers, pieceLength, false, null, "Magnetar test", null), n -> { });
        Path torrentFile = root.resolve(name + ".torrent");
        Files.write(torrentFile, torrent);
        return new InteropTorrent(content, torrentFile, MetainfoParser.parse(torrent));
    }

    /**
     * A loopback tracker that asks for re-announces every few seconds, so a client that announced
     * before its swarm-mates did learns of them soon (the product default is 30 minutes).
     */
    static EmbeddedTracker quickTracker() throws TrackerServerException {
        return EmbeddedTracker.start(new EmbeddedTracker.Settings("127.0.0.1", 0, Duration.ofSeconds(5),
                Duration.ofSeconds(2), 50, 200), Clock.systemUTC());
    }

    /** A TCP port free on 127.0.0.1 right now, for programs that want one on their command line. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
