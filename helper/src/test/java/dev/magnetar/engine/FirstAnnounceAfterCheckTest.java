package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.tracker.CannedHttpServer;
import dev.magnetar.tracker.CompactPeers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torrent whose data is on disk tells its trackers what it has from the first announce: {@code started}
 * goes out once the files are checked, as libtorrent does, not while they are. Before, the first announce
 * left at once with {@code left} = the whole size, so a tracker counted a seeder as a leecher until its
 * next announce, up to half an hour later.
 */
class FirstAnnounceAfterCheckTest {

    private static final Pattern LEFT = Pattern.compile("(?:^|&)left=(\\d+)");

    @TempDir
    Path root;

    @Test
    void aCompleteTorrentsStartedAnnounceSaysNothingIsLeft() throws Exception {
        // 64 MiB: hashing it takes long enough that an announce sent at add time would carry the full size.
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "whole.bin", 256 * 1024, 64L << 20);
        try (CannedHttpServer tracker = new CannedHttpServer();
                Engine engine = Engine.start(EngineFixtures.loopback(root, "seeder"))) {
            // One unreachable peer in the reply, so that the announce's answer shows as a PeersFound event.
            tracker.reply("/announce", CannedHttpServer.Canned.ok(BencodeEncoder.encode(BDictionary.builder()
                    .put("interval", 1800)
                    .put("peers", CompactPeers.encodeIpv4(List.of(new InetSocketAddress("127.0.0.1", 9)))).build())));
            CompletableFuture<Void> answered = new CompletableFuture<>();
            try (AutoCloseable s = engine.subscribe(e -> {
                if (e instanceof EngineEvent.PeersFound f && f.source() == PeerSource.TRACKER) {
                    answered.complete(null);
                }
            })) {
                Torrent t = engine.add(info, root.resolve("content"), List.of(List.of(tracker.uri("/announce").toString())),
                        AddOptions.defaults());
                await(t.completion(), "the check of the complete file");
                await(answered, "the tracker's answer");
            }
            String started = tracker.rawQueries.stream().filter(q -> q.contains("event=started")).findFirst().orElseThrow();
            assertEquals(started, tracker.rawQueries.get(0), "started is the first announce");
            Matcher left = LEFT.matcher(started);
            assertTrue(left.find(), started);
            assertEquals("0", left.group(1), "a seeder's first announce: " + started);
        }
    }
}
