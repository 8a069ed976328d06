package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.V2MagnetInteropTest.LibtorrentTorrent;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.tracker.AnnounceEvent;
import dev.magnetar.tracker.EmbeddedTracker;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52's hybrid swarm rules at a tracker on 127.0.0.1: a hybrid announces its SHA-1 and its truncated
 * SHA-256, and a peer found under either is dialled with the hash it was found under — one torrent,
 * one peer set.
 */
class HybridSwarmAnnounceTest {

    private static final int PIECE_LENGTH = 64 * 1024;
    private static final byte[] SOME_PEER_ID = "-XX0001-abcdefghijkl".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    private LibtorrentTorrent hybrid;
    private InfoHash v1;
    private InfoHash v2;

    @BeforeEach
    void makeHybrid() throws Exception {
        Path content = root.resolve("content");
        TestTorrents.multiFile(content, "pack", PIECE_LENGTH, 700_001, 90_000);
        hybrid = LibtorrentTorrent.make(root, content.resolve("pack"), PIECE_LENGTH, "hybrid");
        v1 = InfoHash.fromHex(hybrid.v1Hex());
        v2 = InfoHash.fromHex(hybrid.v2Hex().substring(0, 40));
    }

    @Test
    void aSeederAnnouncedOnlyUnderTheV2HashIsFoundAndDownloadedFrom() throws Exception {
        Metainfo metainfo = MetainfoParser.parse(Files.readAllBytes(hybrid.torrentFile()));
        try (EmbeddedTracker tracker = InteropTorrent.quickTracker(); ChildProcess seeder = hybrid.seed()) {
            InetSocketAddress seederAddress = new InetSocketAddress("127.0.0.1", LibtorrentTorrent.readyPort(seeder));
            // libtorrent's seeder knows no tracker: the only trace of it is this entry, in the v2 swarm only.
            tracker.registry().announce(v2, seederAddress, SOME_PEER_ID, true, AnnounceEvent.STARTED);
            try (Engine engine = Engine.start(loopback(root, "ours"))) {
                Torrent ours = engine.add(metainfo.info(), root.resolve("out"),
                        List.of(List.of(tracker.announceUri().toString())), AddOptions.defaults());
                assertEquals(v1, ours.infoHash(), "a hybrid's .torrent is held by its v1 hash");
                await(ours.completion(), "download from the seeder found under the v2 hash");
                assertEquals(ours.info().totalLength(), ours.verifiedBytes());
                int ourPort = engine.listenAddress().getPort();
                // The answer that named the seeder came from our v2 announce, so the tracker recorded it first.
                assertTrue(tracker.peers(v2).stream().anyMatch(p -> p.getPort() == ourPort),
                        "we announced the truncated v2 hash too: " + tracker.peers(v2));
            }
            seeder.closeStdin();
        }
        V2MagnetInteropTest.assertSameTree(root.resolve("content").resolve("pack"), root.resolve("out").resolve("pack"), 2);
    }

    @Test
    void eachPeerIsGreetedWithTheHashItWasFoundUnder() throws Exception {
        Metainfo metainfo = MetainfoParser.parse(Files.readAllBytes(hybrid.torrentFile()));
        try (EmbeddedTracker tracker = InteropTorrent.quickTracker();
                ServerSocket inV1 = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket inV2 = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Engine engine = Engine.start(loopback(root, "ours"))) {
            tracker.registry().announce(v1, address(inV1), SOME_PEER_ID, true, AnnounceEvent.STARTED);
            tracker.registry().announce(v2, address(inV2), SOME_PEER_ID, true, AnnounceEvent.STARTED);
            CompletableFuture<byte[]> greetingV1 = CompletableFuture.supplyAsync(() -> handshakeOf(inV1));
            CompletableFuture<byte[]> greetingV2 = CompletableFuture.supplyAsync(() -> handshakeOf(inV2));
            engine.add(metainfo.info(), root.resolve("out"), List.of(List.of(tracker.announceUri().toString())),
                    AddOptions.defaults());
            byte[] a = greetingV1.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            byte[] b = greetingV2.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            // BEP 3 handshake: 19, "BitTorrent protocol", 8 reserved bytes, then the 20-byte info-hash.
            assertArrayEquals(v1.bytes(), Arrays.copyOfRange(a, 28, 48), "the peer of the v1 swarm hears the SHA-1");
            assertArrayEquals(v2.bytes(), Arrays.copyOfRange(b, 28, 48), "the peer of the v2 swarm hears the truncated SHA-256");
            // BEP 52's bit (reserved byte 7, 0x10) on both: on the v1 connection it offers the upgrade to v2, as
            // libtorrent dials a hybrid (a v2-capable peer answers with the v2 hash, and hash requests follow).
            assertEquals(0x10, a[27] & 0x10, "the v1 connection offers the upgrade");
            assertEquals(0x10, b[27] & 0x10, "the v2 connection says it speaks v2");
        }
    }

    private static InetSocketAddress address(ServerSocket s) {
        return new InetSocketAddress("127.0.0.1", s.getLocalPort());
    }

    /** The first 48 bytes a dialler sends: the handshake up to its info-hash. */
    private static byte[] handshakeOf(ServerSocket server) {
        try (Socket s = server.accept()) {
            byte[] b = new byte[48];
            new DataInputStream(s.getInputStream()).readFully(b);
            return b;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
