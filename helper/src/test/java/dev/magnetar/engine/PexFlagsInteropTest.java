package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metadata.PexPeer;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 11 flags as a real libtorrent sends them ({@code added.f}): libtorrent A, connected over uTP to
 * the seed B, tells us of B in its ut_pex, and we keep what A said about B with B's address.
 */
class PexFlagsInteropTest {

    @TempDir
    Path root;

    @Test
    void weKeepTheSeedAndUtpFlagsLibtorrentSendsWithAPeerInItsPex() throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "flags.bin", 16 * 1024, 1024 * 1024);
        Path torrentFile = TorrentFiles.write(info, root.resolve("flags.torrent"));
        String script = Path.of(getClass().getResource("/interop/lt_pex_relay.py").toURI()).toString();

        try (ChildProcess libtorrent = ChildProcess.start(List.of(python.toString(), script, torrentFile.toString(), content.toString(),
                root.resolve("a-empty").toString()), null);
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String[] ready = libtorrent.awaitLine(l -> l.startsWith("READY "), GUARD, "libtorrent A connected to the seed B").split(" ");
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", Integer.parseInt(ready[1]));
            InetSocketAddress b = new InetSocketAddress("127.0.0.1", Integer.parseInt(ready[2]));
            CompletableFuture<Void> bFromPex = new CompletableFuture<>();
            engine.subscribe(e -> {
                if (e instanceof EngineEvent.PeersFound f && f.source() == PeerSource.PEX && f.peers().contains(b)) {
                    bFromPex.complete(null);
                }
            });
            Torrent t = engine.add(info, root.resolve("ours"), List.of(), AddOptions.defaults());
            t.addPeer(a); // the only address we are given
            bFromPex.get(GUARD.toSeconds(), TimeUnit.SECONDS);

            int flags = t.pexFlags(b).get(GUARD.toSeconds(), TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("no PEX flags kept for " + b));
            assertEquals(PexPeer.SEED | PexPeer.SUPPORTS_UTP, flags & (PexPeer.SEED | PexPeer.SUPPORTS_UTP),
                    "A told us B seeds and speaks uTP: flags " + Integer.toBinaryString(flags));
            libtorrent.closeStdin();
        }
    }
}
