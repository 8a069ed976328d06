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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine against libtorrent over uTP (BEP 29) on 127.0.0.1, both directions, bytes compared. With
 * libtorrent's TCP off ("utp-only") every byte must cross our uTP stack; with its defaults it dials
 * uTP first as it does in real swarms.
 */
class UtpInteropTest {

    @TempDir
    Path root;

    private Path python;
    private Path content;
    private Path torrentFile;
    private Metainfo metainfo;

    @BeforeEach
    void makeTorrent() throws Exception {
        python = ExternalTools.requireLibtorrentPython();
        InteropTorrent torrent = InteropTorrent.multiFile(root, "utp", 256 * 1024, 9_000_000, 7_000_001);
        content = torrent.content();
        torrentFile = torrent.torrentFile();
        metainfo = torrent.metainfo();
    }

    private static String script() throws Exception {
        return Path.of(UtpInteropTest.class.getResource("/interop/lt_utp.py").toURI()).toString();
    }

    private EngineSettings withUtp(String name) {
        return loopback(root, name).toBuilder().utp(true).build();
    }

    @Test
    void downloadsFromALibtorrentSeederThatSpeaksOnlyUtp() throws Exception {
        downloadFrom("utp-only");
    }

    @Test
    void downloadsFromALibtorrentSeederWithItsDefaults() throws Exception {
        downloadFrom("default");
    }

    /** The dial race: a peer that ignores uTP SYNs is reached over TCP, once, with uTP on. */
    @Test
    void downloadsFromALibtorrentSeederThatSpeaksOnlyTcp() throws Exception {
        downloadFrom("tcp-only");
    }

    /**
     * A peer that ignored our uTP SYNs is dialled over TCP alone the next time, here after the torrent was
     * removed and added again (the benchmark's rounds, a user's re-add): no second head start.
     */
    @Test
    void aSeederThatIgnoredUtpIsDialledOverTcpAloneWhenTheTorrentIsAddedAgain() throws Exception {
        try (ChildProcess seeder = ChildProcess.start(List.of(python.toString(), script(), "seed",
                torrentFile.toString(), content.toString(), "tcp-only"), null);
                Engine engine = Engine.start(withUtp("ours"))) {
            String ready = seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY");
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", Integer.parseInt(ready.substring(6).strip()));
            Torrent first = engine.add(metainfo, root.resolve("first"), AddOptions.defaults());
            first.addPeer(peer);
            await(first.completion(), "first download from the TCP-only seeder");
            assertEquals(0, engine.utpSilentPeers().tcpAloneDials(), "the first dial raced uTP");
            assertEquals(1, engine.utpSilentPeers().size(), "its uTP silence was noted");
            EngineFixtures.removeAndAwait(engine, metainfo.info().infoHash().hex(), true);

            Torrent again = engine.add(metainfo, root.resolve("again"), AddOptions.defaults());
            again.addPeer(peer);
            await(again.completion(), "second download from the TCP-only seeder");
            assertTrue(engine.utpSilentPeers().tcpAloneDials() >= 1, "the second dial skipped uTP");
            assertEquals(0, engine.utp().streamBytesReceived(), "nothing came over uTP");
            seeder.closeStdin();
        }
        assertSameFiles(metainfo.info(), content, root.resolve("again"));
    }

    /**
     * Removed and added again at once, the torrent's new uTP connection reaches a libtorrent seeder that
     * still holds the one we just closed (a uTP close is a FIN datagram, not a reset), and libtorrent drops
     * the newcomer as a duplicate: the peer added by hand must be dialled again until it is reached.
     */
    @Test
    void aPeerAddedByHandIsReachedAgainWhenTheTorrentIsRemovedAndAddedAtOnce() throws Exception {
        try (ChildProcess seeder = ChildProcess.start(List.of(python.toString(), script(), "seed",
                torrentFile.toString(), content.toString(), "utp-only"), null);
                Engine engine = Engine.start(withUtp("ours"))) {
            String ready = seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY");
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", Integer.parseInt(ready.substring(6).strip()));
            Torrent first = engine.add(metainfo, root.resolve("first"), AddOptions.defaults());
            first.addPeer(peer);
            await(first.completion(), "first download from the uTP-only seeder");
            EngineFixtures.removeAndAwait(engine, metainfo.info().infoHash().hex(), true);

            Torrent again = engine.add(metainfo, root.resolve("again"), AddOptions.defaults());
            again.addPeer(peer);
            await(again.completion(), "second download from the same seeder, added again at once");
            seeder.closeStdin();
        }
        assertSameFiles(metainfo.info(), content, root.resolve("again"));
    }

    @Test
    void seedsToALibtorrentDownloaderThatSpeaksOnlyTcp() throws Exception {
        seedTo("tcp-only");
    }

    @Test
    void seedsToALibtorrentDownloaderThatSpeaksOnlyUtp() throws Exception {
        seedTo("utp-only");
    }

    @Test
    void seedsToALibtorrentDownloaderWithItsDefaults() throws Exception {
        seedTo("default");
    }

    private void downloadFrom(String transport) throws Exception {
        try (ChildProcess seeder = ChildProcess.start(List.of(python.toString(), script(), "seed",
                torrentFile.toString(), content.toString(), transport), null);
                Engine engine = Engine.start(withUtp("ours"))) {
            String ready = seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY");
            int port = Integer.parseInt(ready.substring(6).strip());
            List<EngineEvent.PeerConnected> connected = new CopyOnWriteArrayList<>();
            engine.subscribe(e -> {
                if (e instanceof EngineEvent.PeerConnected pc) {
                    connected.add(pc);
                }
            });
            Torrent t = engine.add(metainfo, root.resolve("ours"), AddOptions.defaults());
            t.addPeer(new InetSocketAddress("127.0.0.1", port));
            long start = System.nanoTime();
            await(t.completion(), "download from libtorrent (" + transport + ")");
            Interop.printRate("libtorrent (" + transport + ") -> magnetar, uTP on", metainfo.info().totalLength(), start);
            assertEquals(TorrentState.SEEDING, t.state());
            long overUtp = engine.utp().streamBytesReceived();
            if (transport.equals("tcp-only")) {
                assertEquals(0, overUtp, "nothing came over uTP");
            } else if (transport.equals("utp-only")) {
                assertTrue(overUtp >= metainfo.info().totalLength(), "uTP carried the download: " + overUtp + " B");
                assertEquals(0, engine.utpSilentPeers().size(), "a peer that answers uTP is never dialled over TCP alone");
            } else {
                // Both transports answer, so the dial race picks one (uTP unless TCP, started 250 ms later on a
                // loaded machine, connects first); whichever won carried the whole download.
                assertTrue(overUtp == 0 || overUtp >= metainfo.info().totalLength(),
                        "one transport carried the download, not a mix: " + overUtp + " B over uTP");
            }
            assertEquals(1, connected.size(), "one dial, one connection to the seeder: " + connected);
            seeder.closeStdin();
        }
        assertSameFiles(metainfo.info(), content, root.resolve("ours"));
    }

    private void seedTo(String transport) throws Exception {
        Path target = root.resolve("lt");
        Files.createDirectories(target);
        try (Engine engine = Engine.start(withUtp("ours"))) {
            Torrent t = engine.add(metainfo, content, AddOptions.defaults());
            await(t.completion(), "check of the seeder's data");
            InetSocketAddress us = addressOf(engine);
            try (ChildProcess leecher = ChildProcess.start(List.of(python.toString(), script(), "download",
                    torrentFile.toString(), target.toString(), transport, "127.0.0.1:" + us.getPort()), null)) {
                long start = System.nanoTime();
                String done = leecher.awaitLine(l -> l.startsWith("DONE "), GUARD, "libtorrent download DONE");
                Interop.printRate("magnetar -> libtorrent (" + transport + "), uTP on", metainfo.info().totalLength(), start);
                assertEquals(0, leecher.waitFor(GUARD));
                long overUtp = Long.parseLong(done.replaceAll(".*uTP=(\\d+).*", "$1"));
                if (transport.equals("tcp-only")) {
                    assertEquals(0, overUtp, "libtorrent received nothing over uTP: " + done);
                } else {
                    assertTrue(overUtp > metainfo.info().totalLength() / 2, "libtorrent received most over uTP: " + done);
                }
            }
            assertTrue(t.uploadedBytes() >= metainfo.info().totalLength(), "every byte came from us");
            if (!transport.equals("tcp-only")) {
                assertTrue(engine.utp().streamBytesSent() >= metainfo.info().totalLength() / 2,
                        "uTP carried the upload: " + engine.utp().streamBytesSent() + " B");
            }
        }
        assertSameFiles(metainfo.info(), content, target);
    }
}
