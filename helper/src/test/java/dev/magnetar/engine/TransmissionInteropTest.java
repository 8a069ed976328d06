package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.TransmissionCli;
import dev.magnetar.tracker.EmbeddedTracker;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine against a real Transmission (transmission-cli 3.00) in both directions, with the ≥ 64 MiB
 * multi-file torrent whose final piece is short.
 *
 * <p>{@link TransmissionCli} runs it on loopback only with DHT, LPD, PEX and uTP off. It finds peers through
 * our {@link EmbeddedTracker}; because Transmission has been seen to wait minutes before its first
 * peer (shared/TESTING.md), our engine ALSO dials Transmission as soon as its port listens, and every
 * wait is on a condition (its status lines, its done-script) under a 5-minute hang guard.
 */
class TransmissionInteropTest {

    private static final Duration TRANSMISSION_GUARD = Duration.ofMinutes(5);

    @TempDir
    Path root;

    private Path transmission;
    private EmbeddedTracker tracker;
    private InteropTorrent torrent;

    @BeforeEach
    void setUp() throws Exception {
        transmission = ExternalTools.requireExecutable("transmission-cli");
        tracker = InteropTorrent.quickTracker();
        torrent = InteropTorrent.create(root, tracker.announceUri().toString());
    }

    @AfterEach
    void tearDown() {
        if (tracker != null) {
            tracker.close();
        }
    }

    /** Settings for transmission-cli on {@code port} saving to {@code dir}; its done marker appears when it finishes. */
    private TransmissionCli prepare(int port, Path dir) throws Exception {
        return TransmissionCli.prepare(transmission, Files.createDirectories(root.resolve("transmission-home-" + port)), port, dir,
                torrent.torrentFile());
    }

    private static ChildProcess start(TransmissionCli cli) throws Exception {
        return ChildProcess.startMerged(cli.command(), cli.environment());
    }

    @Test
    void downloadsFromATransmissionSeeder() throws Exception {
        int port = InteropTorrent.freePort();
        // Transmission checks the existing files and then says "Seeding".
        try (ChildProcess seeder = TransmissionSeeder.start(prepare(port, torrent.content()), TRANSMISSION_GUARD)) {
            Path target = root.resolve("ours");
            try (Engine engine = Engine.start(loopback(root, "ours"))) {
                Torrent t = engine.add(torrent.metainfo(), target, AddOptions.defaults());
                t.addPeer(new InetSocketAddress("127.0.0.1", port));
                long start = System.nanoTime();
                t.completion().get(TRANSMISSION_GUARD.toSeconds(), TimeUnit.SECONDS);
                Interop.printRate("transmission -> magnetar", torrent.metainfo().info().totalLength(), start);
                assertEquals(TorrentState.SEEDING, t.state());
                assertTrue(t.downloadedBytes() >= torrent.metainfo().info().totalLength(), "the bytes came over the wire");
            }
        }
        assertSameFiles(torrent.metainfo().info(), torrent.content(), root.resolve("ours"));
    }

    @Test
    void seedsToATransmissionDownloader() throws Exception {
        Path target = Files.createDirectories(root.resolve("transmission"));
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.add(torrent.metainfo(), torrent.content(), AddOptions.defaults());
            EngineFixtures.await(t.completion(), "check of the seeder's data");
            assertEquals(TorrentState.SEEDING, t.state());
            InetSocketAddress us = addressOf(engine);
            Interop.pollUntil(() -> tracker.peers(torrent.metainfo().info().infoHash()).contains(us), null,
                    "our engine announced to the tracker");
            int port = InteropTorrent.freePort();
            TransmissionCli cli = prepare(port, target);
            Path doneMarker = cli.doneMarker();
            try (ChildProcess leecher = start(cli)) {
                long start = System.nanoTime();
                // Don't wait for Transmission's own tracker cycle: dial it once it listens. It binds its port
                // when its session starts, before it prints its first status line. (No probe connection:
                // Transmission 3.00 refuses a second incoming connection from an address whose first
                // handshake is still pending, and on loopback every peer is 127.0.0.1.)
                leecher.awaitLine(TransmissionCli::isStatusLine, TRANSMISSION_GUARD, "Transmission's first status line");
                t.addPeer(new InetSocketAddress("127.0.0.1", port));
                Interop.pollUntil(() -> Files.exists(doneMarker), leecher, "Transmission ran its done-script",
                        TRANSMISSION_GUARD);
                Interop.printRate("magnetar -> transmission", torrent.metainfo().info().totalLength(), start);
            }
            assertTrue(t.uploadedBytes() >= torrent.metainfo().info().totalLength(), "every byte came from us");
        }
        assertSameFiles(torrent.metainfo().info(), torrent.content(), target);
    }
}
