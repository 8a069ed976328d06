package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.tracker.CannedHttpServer;
import dev.magnetar.tracker.CompactPeers;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 7 end to end: a tracker we reach over IPv4 hears our IPv6 address ({@code ipv6=}) and hands us an
 * IPv6 peer in {@code peers6}, which we download from over ::1.
 */
class TrackerPeers6Test {

    @TempDir
    Path root;

    @Test
    void aPeerFromPeers6IsDialledOverIpv6AndOurAnnounceCarriesIpv6() throws Exception {
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "six.bin", 32768, 3_000_000);
        try (CannedHttpServer tracker = new CannedHttpServer();
                Engine seeder = Engine.start(Ipv6InteropTest.ipv6Loopback(root, "seeder"));
                Engine leecher = Engine.start(Ipv6InteropTest.ipv6Loopback(root, "leecher"))) {
            await(seeder.add(info, root.resolve("content"), List.of(), AddOptions.defaults()).completion(), "seeder check");
            InetSocketAddress seederAddress = seeder.listenAddress();
            tracker.reply("/announce", CannedHttpServer.Canned.ok(BencodeEncoder.encode(BDictionary.builder()
                    .put("interval", 1800).put("peers", new byte[0])
                    .put("peers6", CompactPeers.encodeIpv6(List.of(seederAddress))).build())));

            Torrent t = leecher.add(info, root.resolve("got"), List.of(List.of(tracker.uri("/announce").toString())),
                    AddOptions.defaults());
            await(t.completion(), "download from the peers6 peer");
            assertTrue(tracker.rawQueries.stream().anyMatch(q -> q.contains("&ipv6=%3A%3A1")), tracker.rawQueries.toString());
        }
        assertSameFiles(info, root.resolve("content"), root.resolve("got"));
    }

    @Test
    void onlyAnAddressOthersCanDialIsOffered() throws Exception {
        InetSocketAddress wildcard = new InetSocketAddress("::", 6881);
        InetAddress global = InetAddress.getByName("2001:db8::5");
        List<InetAddress> host = List.of(InetAddress.getByName("fe80::1"), InetAddress.getByName("fd12::1"),
                InetAddress.getByName("10.0.0.2"), global);
        assertEquals(global, OwnIpv6Address.choose(wildcard, host));
        assertNull(OwnIpv6Address.choose(wildcard, host.subList(0, 3)), "link-local, unique-local, IPv4: none");
        assertNull(OwnIpv6Address.choose(new InetSocketAddress("0.0.0.0", 6881), host), "an IPv4 listener");
        Inet6Address bound = (Inet6Address) InetAddress.getByName("2001:db8::9");
        assertEquals(bound, OwnIpv6Address.choose(new InetSocketAddress(bound, 6881), host), "the one address we listen on");
    }
}
