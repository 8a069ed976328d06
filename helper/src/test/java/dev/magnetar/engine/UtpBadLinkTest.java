package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.BadLinkRelay;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.TestTorrents;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download over uTP across a bad link: libtorrent speaking only uTP on one side of a
 * {@link BadLinkRelay} with 40 ms RTT and 1 % loss each way, our engine on the other. It must finish
 * with every byte right; how fast is bench/utp's business.
 */
class UtpBadLinkTest {

    @TempDir
    Path root;

    @Test
    void aDownloadOverALossyFortyMillisecondLinkCompletesIntact() throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        Path content = root.resolve("content");
        TestTorrents.multiFile(content, "lossy", 256 * 1024, 3_000_000, 1_000_001);
        byte[] torrent = TorrentCreator.create(content.resolve("lossy"),
                new TorrentCreator.Options(List.of(), 256 * 1024, false, null, "Magnetar bad link test", null), n -> { });
        Path torrentFile = Files.write(root.resolve("lossy.torrent"), torrent);
        Metainfo metainfo = MetainfoParser.parse(torrent);
        String script = Path.of(UtpBadLinkTest.class.getResource("/interop/lt_utp.py").toURI()).toString();
        try (ChildProcess seeder = ChildProcess.start(List.of(python.toString(), script, "seed", torrentFile.toString(),
                content.toString(), "utp-only"), null);
                BadLinkRelay link = BadLinkRelay.start(BadLinkRelay.Profile.lossy());
                Engine engine = Engine.start(loopback(root, "ours").toBuilder().utp(true).build())) {
            String ready = seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent seeder READY");
            InetSocketAddress via = link.relayUdp(new InetSocketAddress("127.0.0.1", Integer.parseInt(ready.substring(6).strip())));
            Torrent t = engine.add(metainfo, root.resolve("ours"), AddOptions.defaults());
            t.addPeer(via);
            long start = System.nanoTime();
            await(t.completion(), "download over the lossy link");
            Interop.printRate("libtorrent -> magnetar over uTP, 40 ms RTT, 1 % loss", metainfo.info().totalLength(), start);
            assertTrue(engine.utp().streamBytesReceived() >= metainfo.info().totalLength(), "uTP carried it");
            assertTrue(link.droppedDatagrams() > 0, "the link lost packets: " + link.droppedDatagrams());
            seeder.closeStdin();
        }
        assertSameFiles(metainfo.info(), content, root.resolve("ours"));
    }
}
