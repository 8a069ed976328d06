package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.WireOptions;
import dev.magnetar.wire.WirePipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that lies: it claims every piece and serves the odd ones correctly but flips bytes in every
 * block of the even ones. The downloader must fail those pieces, ban the liar (alone in a failed
 * piece: banned at once, see {@link BanList}), fetch the pieces again from an honest seeder, and end
 * with the right bytes.
 */
class HostilePeerTest {

    private static final byte[] LIAR_ID = "-XX0001-liarliarliar".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    private EventLoopGroup hostileGroup;

    @AfterEach
    void stopHostile() throws InterruptedException {
        if (hostileGroup != null) {
            hostileGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void corruptPiecesFailAreRefetchedFromAnHonestPeerAndTheLiarIsBanned() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "hostile", 32 * 1024, 700_000, 555_555);
        AtomicInteger hostileConnections = new AtomicInteger();
        InetSocketAddress liar = startHostileSeeder(info, content, hostileConnections);

        try (Engine honest = Engine.start(loopback(root, "honest"));
                Engine downloader = Engine.start(loopback(root, "downloader"))) {
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
            assertEquals(java.util.HexFormat.of().formatHex(LIAR_ID), ban.peer().peerIdHex());

            t.addPeer(addressOf(honest));
            t.addPeer(liar); // a banned address is never dialled again
            await(t.completion(), "download after the ban");

            List<EngineEvent.PieceFailed> failed = events.stream()
                    .filter(e -> e instanceof EngineEvent.PieceFailed).map(e -> (EngineEvent.PieceFailed) e).toList();
            assertTrue(!failed.isEmpty(), "a corrupt piece failed its hash check");
            for (EngineEvent.PieceFailed f : failed) {
                assertEquals(0, f.piece() % 2, "only the liar's corrupt (even) pieces fail");
                assertTrue(f.contributors().stream().allMatch(p -> p.peerIdHex().equals(ban.peer().peerIdHex())));
            }
            assertEquals(1, t.bannedPeers().get(10, TimeUnit.SECONDS));
            assertEquals(1, hostileConnections.get(), "the banned peer was not reconnected");
            assertTrue(t.wastedBytes() >= 0);
        }
        assertSameFiles(info, content, root.resolve("out"));
    }

    /** A test-only seeder built from the wire codecs: HaveAll, unchoke, and corrupt even pieces. */
    private InetSocketAddress startHostileSeeder(TorrentInfo info, Path content, AtomicInteger connections)
            throws InterruptedException {
        hostileGroup = new NioEventLoopGroup(1);
        Map<Integer, byte[]> pieces = new ConcurrentHashMap<>();
        Channel server = new ServerBootstrap().group(hostileGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        WirePipeline.installIncoming(ch.pipeline(), WireOptions.defaults(),
                                (remote, from) -> Handshake.of(info.infoHash(), LIAR_ID, true, true, false));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof PeerHandshakeCompleted) {
                                    ctx.write(new PeerMessage.HaveAll());
                                    ctx.writeAndFlush(new PeerMessage.Unchoke());
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof PeerMessage.Request r) {
                                    byte[] piece = pieces.computeIfAbsent(r.piece(), i -> TestTorrents.readPiece(info, content, i));
                                    byte[] block = Arrays.copyOfRange(piece, r.begin(), r.begin() + r.length());
                                    if (r.piece() % 2 == 0) {
                                        for (int i = 0; i < block.length; i += 97) {
                                            block[i] ^= 0x5A;
                                        }
                                    }
                                    ctx.writeAndFlush(new PeerMessage.Piece(r.piece(), r.begin(), block));
                                }
                                ReferenceCountUtil.release(msg); // a received block (InboundPiece) would be ours to release
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
    }
}
