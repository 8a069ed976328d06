package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.testing.ExternalTools;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine against a real libtorrent (python3-libtorrent, TCP only, 127.0.0.1) in both directions,
 * with a multi-file torrent of more than 64 MiB whose final piece is short.
 */
class LibtorrentInteropTest {

    @TempDir
    Path root;

    private Path python;
    private Path content;
    private Path torrentFile;
    private Metainfo metainfo;

    @BeforeEach
    void makeTorrent() throws Exception {
        python = ExternalTools.requireLibtorrentPython();
        InteropTorrent torrent = InteropTorrent.create(root, null);
        content = torrent.content();
        torrentFile = torrent.torrentFile();
        metainfo = torrent.metainfo();
    }

    private static String script(String name) throws Exception {
        return Path.of(LibtorrentInteropTest.class.getResource("/interop/" + name).toURI()).toString();
    }

    @Test
    void downloadsFromALibtorrentSeeder() throws Exception {
        downloadFromLibtorrent(List.of());
    }

    /**
     * A seeder that refuses plain connections (RC4 only) closes our first, plain one before its
     * handshake; we dial it again with MSE and download through RC4.
     */
    @Test
    void downloadsFromALibtorrentSeederThatAcceptsOnlyEncryption() throws Exception {
        downloadFromLibtorrent(List.of("0", "rc4"));
    }

    private void downloadFromLibtorrent(List<String> seederOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(python.toString(), script("lt_seed.py"), torrentFile.toString(),
                content.toString(), "0"));
        command.addAll(seederOptions);
        try (ChildProcess seeder = ChildProcess.start(command, null);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String ready = seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY");
            int port = Integer.parseInt(ready.substring(6).strip());

            Path target = root.resolve("ours");
            Torrent t = engine.add(metainfo, target, AddOptions.defaults());
            t.addPeer(new InetSocketAddress("127.0.0.1", port));
            long start = System.nanoTime();
            await(t.completion(), "download from libtorrent " + seederOptions);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("libtorrent %s -> magnetar: %.1f MiB in %.2f s (%.0f MiB/s)%n", seederOptions,
                    metainfo.info().totalLength() / 1048576.0, seconds, metainfo.info().totalLength() / 1048576.0 / seconds);
            assertEquals(TorrentState.SEEDING, t.state());
            seeder.closeStdin();
        }
        assertSameFiles(metainfo.info(), content, root.resolve("ours"));
    }

    /**
     * libtorrent dials with an encrypted (MSE) handshake and offers plain text after it; we answer it
     * and choose plain text. Until session 6 we dropped that first try and libtorrent redialled in
     * plain text a second later.
     */
    @Test
    void seedsToALibtorrentDownloader() throws Exception {
        assertEquals("plaintext", seedToLibtorrent(null), "an encrypted handshake, then plain text");
    }

    /** A libtorrent that allows only RC4-encrypted connections still gets the data, encrypted. */
    @Test
    void seedsToALibtorrentThatForcesEncryption() throws Exception {
        assertEquals("rc4", seedToLibtorrent("rc4"));
    }

    /** Seeds the torrent to lt_download.py with the given encryption mode; how the connection was encrypted. */
    private String seedToLibtorrent(String encryption) throws Exception {
        Path target = root.resolve("lt");
        Files.createDirectories(target);
        String seenEncryption;
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.add(metainfo, content, AddOptions.defaults());
            await(t.completion(), "check of the seeder's data");
            assertEquals(TorrentState.SEEDING, t.state());
            InetSocketAddress us = addressOf(engine);
            List<String> command = new ArrayList<>(List.of(python.toString(), script("lt_download.py"),
                    torrentFile.toString(), target.toString(), "127.0.0.1:" + us.getPort()));
            if (encryption != null) {
                command.add(encryption);
            }
            try (ChildProcess leecher = ChildProcess.start(command, null)) {
                long start = System.nanoTime();
                seenEncryption = leecher.awaitLine(l -> l.startsWith("ENCRYPTION "), GUARD, "the connection's encryption")
                        .substring("ENCRYPTION ".length());
                leecher.awaitLine(l -> l.equals("DONE"), GUARD, "libtorrent download DONE");
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("magnetar -> libtorrent (%s): %.1f MiB in %.2f s%n", seenEncryption,
                        metainfo.info().totalLength() / 1048576.0, seconds);
                assertEquals(0, leecher.waitFor(GUARD));
            }
            assertTrue(t.uploadedBytes() >= metainfo.info().totalLength(), "every byte came from us");
        }
        assertSameFiles(metainfo.info(), content, target);
        return seenEncryption;
    }
}
