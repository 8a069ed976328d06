package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.magnetar.engine.V2MagnetInteropTest.LibtorrentTorrent;
import dev.magnetar.lsd.LocalServiceDiscovery;
import dev.magnetar.lsd.LsdCodec;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.testing.TestTorrents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid torrent (BEP 52) is in two swarms, and a LAN peer may know it by either: its BEP 14 announce
 * names both hashes, one {@code Infohash} line each. The announce is built without a socket (an
 * engine bound to loopback runs no LSD, and no test multicasts on a real network).
 */
class LsdHybridTest {

    @TempDir
    Path root;

    @Test
    void aHybridIsAnnouncedOnTheLanUnderItsSha1AndItsTruncatedSha256() throws Exception {
        Path content = root.resolve("content");
        TestTorrents.multiFile(content, "pack", 64 * 1024, 300_001, 20_000);
        LibtorrentTorrent hybrid = LibtorrentTorrent.make(root, content.resolve("pack"), 64 * 1024, "hybrid");
        LocalServiceDiscovery lsd = new LocalServiceDiscovery(6881, Duration.ofMinutes(5), Clock.systemUTC(), peer -> {},
                h -> true);
        PeerSources sources = new PeerSources(null, lsd);
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.add(MetainfoParser.parse(Files.readAllBytes(hybrid.torrentFile())), root.resolve("out"),
                    new AddOptions(null, true, false));
            InfoHash sha1 = t.infoHash();
            InfoHash v2Swarm = InfoHash.fromHex(hybrid.v2Hex().substring(0, 40));
            assertNotEquals(sha1, v2Swarm);

            sources.torrentAdded(t);
            byte[] datagram = lsd.datagramDue(Instant.now());
            assertEquals(Set.of(sha1, v2Swarm), Set.copyOf(LsdCodec.decode(datagram).infoHashes()));
            long lines = Arrays.stream(new String(datagram, StandardCharsets.US_ASCII).split("\r\n"))
                    .filter(line -> line.matches("Infohash: [0-9a-f]{40}")).count();
            assertEquals(2, lines, "one Infohash line per swarm");
        }
    }
}
