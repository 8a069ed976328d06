package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.HostileSeeder;
import dev.magnetar.testing.TestTorrents;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that lies ({@link HostileSeeder}: it claims every piece and serves the odd ones correctly but
 * flips bytes in every block of the even ones). The downloader must fail those pieces, ban the liar
 * (alone in a failed piece: banned at once, see {@link BanList}), fetch the pieces again from an honest
 * seeder, and end with the right bytes.
 */
class HostilePeerTest {

    @TempDir
    Path root;

    @Test
    void corruptPiecesFailAreRefetchedFromAnHonestPeerAndTheLiarIsBanned() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "hostile", 32 * 1024, 700_000, 555_555);

        try (HostileSeeder hostile = HostileSeeder.start(info, content);
                Engine honest = Engine.start(loopback(root, "honest"));
                Engine downloader = Engine.start(loopback(root, "downloader"))) {
            InetSocketAddress liar = hostile.address();
            Torrent seeding = honest.add(info, content, List.of(), AddOptions.defaults());
            await(seeding.completion(), "honest seeder's check");

            Torrent t = downloader.add(info, root.resolve("out"), List.of(), AddOptions.defaults());
            List<EngineEvent> events = new CopyOnWriteArrayList<>();
            CompletableFuture<EngineEvent.PeerBanned> banned = new CompletableFuture<>();
            t.addListener(e -> {
                events.add(e);
                if (e instanceof EngineEvent.PeerBanned b) {
                    banned.complete(b);
                }
            });
            // The liar first and alone: whatever even piece it completes fails with it as sole contributor.
            t.addPeer(liar);
            EngineEvent.PeerBanned ban = banned.get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
            assertEquals(liar.getPort(), ban.peer().address().getPort());
            assertEquals(java.util.HexFormat.of().formatHex(HostileSeeder.PEER_ID), ban.peer().peerIdHex());

            t.addPeer(addressOf(honest));
            t.addPeer(liar); // a banned address is never dialled again
            await(t.completion(), "download after the ban");

            List<EngineEvent.PieceFailed> failed = events.stream()
                    .filter(e -> e instanceof EngineEvent.PieceFailed).map(e -> (EngineEvent.PieceFailed) e).toList();
            assertTrue(!failed.isEmpty(), "a corrupt piece failed its hash check");
            for (EngineEvent.PieceFailed f : failed) {
                assertTrue(HostileSeeder.isCorrupt(f.piece()), "only the liar's corrupt (even) pieces fail");
                assertTrue(f.contributors().stream().allMatch(p -> p.peerIdHex().equals(ban.peer().peerIdHex())));
            }
            assertEquals(1, t.bannedPeers().get(10, TimeUnit.SECONDS));
            assertEquals(1, hostile.connections(), "the banned peer was not reconnected");
            assertTrue(t.wastedBytes() >= 0);
        }
        assertSameFiles(info, content, root.resolve("out"));
    }
}
