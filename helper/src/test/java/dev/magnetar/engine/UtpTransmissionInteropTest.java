package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TransmissionCli;
import dev.magnetar.tracker.EmbeddedTracker;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine against Transmission 3.00 the way Transmission meets real swarms: uTP on (it dials uTP
 * first) and encryption required, so every byte crosses MSE's RC4 on top of our uTP stack — a plaintext
 * handshake is refused by Transmission, so a finished transfer is proof MSE ran over uTP. Both
 * directions, bytes compared, and the uTP multiplexer's counters show uTP carried them.
 *
 * <p>As in {@link TransmissionInteropTest}, every wait is on a condition under a 5-minute guard.
 */
class UtpTransmissionInteropTest {

    private static final Duration TRANSMISSION_GUARD = Duration.ofMinutes(5);

    @TempDir
    Path root;

    private Path transmission;
    private EmbeddedTracker tracker;
    private Path content;
    private Path torrentFile;
    private Metainfo metainfo;

    @BeforeEach
    void setUp() throws Exception {
        transmission = ExternalTools.requireExecutable("transmission-cli");
        tracker = InteropTorrent.quickTracker();
        content = root.resolve("content");
        TestTorrents.multiFile(content, "utp-rc4", 256 * 1024, 9_000_000, 7_000_001);
        byte[] torrent = TorrentCreator.create(content.resolve("utp-rc4"), new TorrentCreator.Options(
                List.of(List.of(tracker.announceUri().toString())), 256 * 1024, false, null, "Magnetar uTP+MSE test", null),
                n -> { });
        torrentFile = root.resolve("utp-rc4.torrent");
        Files.write(torrentFile, torrent);
        metainfo = MetainfoParser.parse(torrent);
    }

    @AfterEach
    void tearDown() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private TransmissionCli prepare(int port, Path dir) throws Exception {
        return TransmissionCli.prepare(transmission, Files.createDirectories(root.resolve("transmission-home-" + port)), port,
                dir, torrentFile, TransmissionCli.Transport.UTP_ENCRYPTED);
    }

    private EngineSettings ours() {
        return loopback(root, "ours").toBuilder().utp(true).build();
    }

    @Test
    void downloadsFromATransmissionSeederOverEncryptedUtp() throws Exception {
        int port = InteropTorrent.freePort();
        TransmissionCli cli = prepare(port, content);
        try (ChildProcess seeder = TransmissionSeeder.start(cli, TRANSMISSION_GUARD)) {
            try (Engine engine = Engine.start(ours())) {
                Torrent t = engine.add(metainfo, root.resolve("ours"), AddOptions.defaults());
                // uTP alone: in the usual dial race a TCP leg starts 250 ms after uTP's and, on a loaded machine,
                // can win. Our first uTP dial is plain; Transmission hangs up on it and the retry brings MSE.
                assertTrue(t.dialOverUtpOnly(new InetSocketAddress("127.0.0.1", port)).get(30, TimeUnit.SECONDS),
                        "the uTP dial started");
                long start = System.nanoTime();
                t.completion().get(TRANSMISSION_GUARD.toSeconds(), TimeUnit.SECONDS);
                Interop.printRate("transmission -> magnetar over uTP + MSE", metainfo.info().totalLength(), start);
                assertEquals(TorrentState.SEEDING, t.state());
                assertTrue(engine.utp().streamBytesReceived() >= metainfo.info().totalLength(),
                        "uTP carried the download: " + engine.utp().streamBytesReceived() + " B");
            }
        }
        assertSameFiles(metainfo.info(), content, root.resolve("ours"));
    }

    @Test
    void seedsToATransmissionDownloaderOverEncryptedUtp() throws Exception {
        Path target = Files.createDirectories(root.resolve("transmission"));
        try (Engine engine = Engine.start(ours())) {
            Torrent t = engine.add(metainfo, content, AddOptions.defaults());
            EngineFixtures.await(t.completion(), "check of the seeder's data");
            InetSocketAddress us = addressOf(engine);
            Interop.pollUntil(() -> tracker.peers(metainfo.info().infoHash()).contains(us), null,
                    "our engine announced to the tracker");
            int port = InteropTorrent.freePort();
            TransmissionCli cli = prepare(port, target);
            try (ChildProcess leecher = ChildProcess.startMerged(cli.command(), cli.environment())) {
                long start = System.nanoTime();
                // Transmission finds us through the tracker and dials uTP; we dial it too once it
                // listens (it has been seen to wait minutes for its first announce, shared/TESTING.md).
                leecher.awaitLine(TransmissionCli::isStatusLine, TRANSMISSION_GUARD, "Transmission's first status line");
                t.addPeer(new InetSocketAddress("127.0.0.1", port));
                Interop.pollUntil(() -> Files.exists(cli.doneMarker()), leecher, "Transmission ran its done-script",
                        TRANSMISSION_GUARD);
                Interop.printRate("magnetar -> transmission over uTP + MSE", metainfo.info().totalLength(), start);
            }
            assertTrue(t.uploadedBytes() >= metainfo.info().totalLength(), "every byte came from us");
            assertTrue(engine.utp().streamBytesSent() >= metainfo.info().totalLength(),
                    "uTP carried the upload: " + engine.utp().streamBytesSent() + " B");
        }
        assertSameFiles(metainfo.info(), content, target);
    }
}
