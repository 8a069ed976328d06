package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.util.ProductVersion;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a real libtorrent (python3-libtorrent, 127.0.0.1) names us: by the BEP 10 handshake's "v" as
 * "Magnetar VERSION", and from the BEP 20 peer id alone as an unknown client "MZ …" — not as another
 * client (the earlier "-MG" prefix made every libtorrent and Transmission call us MediaGet).
 */
class PeerNameInteropTest {

    @TempDir
    Path root;

    @Test
    void libtorrentNamesUsMagnetarAndKnowsNoOtherClientByOurPeerId() throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        Path content = root.resolve("content");
        TestTorrents.multiFile(content, "names", 16 * 1024, 100_000);
        byte[] torrent = TorrentCreator.create(content.resolve("names"),
                new TorrentCreator.Options(List.of(), 16 * 1024, false, null, "Magnetar test", null), n -> { });
        Path torrentFile = root.resolve("names.torrent");
        Files.write(torrentFile, torrent);
        Metainfo metainfo = MetainfoParser.parse(torrent);
        String script = Path.of(getClass().getResource("/interop/lt_peer_names.py").toURI()).toString();

        try (ChildProcess seeder = ChildProcess.start(List.of(python.toString(), script, torrentFile.toString(), content.toString()), null);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            int port = Integer.parseInt(seeder.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent READY").substring(6).strip());
            Torrent t = engine.add(metainfo, root.resolve("ours"), AddOptions.defaults());
            t.addPeer(new InetSocketAddress("127.0.0.1", port));
            String[] peer = seeder.awaitLine(l -> l.startsWith("PEER "), GUARD, "libtorrent to name our peer").substring(5).split("\t");
            seeder.closeStdin();

            assertEquals(PeerIds.PREFIX, peer[0], "the peer id libtorrent received");
            assertTrue(peer[1].startsWith(ProductVersion.CLIENT_CODE + " "),
                    () -> "libtorrent's client table names our peer id \"" + peer[1] + "\"; it must know no client by our code");
            assertEquals(Engine.CLIENT_NAME, peer[2], "the name from our BEP 10 handshake");
        }
    }
}
